#!/usr/bin/env node
// Runs every benchmark in its own process (so peak RSS is the benchmark's own) and prints its
// figures. `npm run bench` builds first; `node bench/run.mjs validate` runs only matching ones.
// Data sets are generated once into bench/out/ by the seeded fixture generator and reused.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
for (const file of benches) {
  console.log(`\n## ${file.replace(".bench.mjs", "")}`);
  execFileSync(process.execPath, [join(here, file)], { stdio: "inherit" });
}
