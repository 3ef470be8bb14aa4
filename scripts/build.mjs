#!/usr/bin/env node
// Builds everything: `tsc -b` emits JavaScript for every workspace, then each action's entry is
// bundled with ncc into `actions/<name>/dist/index.js` so the runner needs no `npm install`.
// onnxruntime-node loads a native binding (and libonnxruntime.so.1 beside it) by a path relative
// to the bundle, which no bundler copies: every bundle that scores models is pointed at one shared
// copy of the Linux x64 and arm64 binaries in `runtime/onnxruntime/` (the runner checks out the
// whole repository for `uses: OWNER/gauntlet/actions/<name>@v1`, so one copy serves all actions).
// A bundle that runs bootstrap replicates in worker threads (`replicateThreads`) gets the worker
// bundled beside it as `dist/replicate-worker.js`, where it looks for it; one that runs a drift
// check, its window-sorting worker (`sortThreads`) as `dist/sort-worker.js`.
// DuckDB (@duckdb/node-api, loaded lazily by the steps that read data) is done the same way: ncc
// would copy its 70 MB duckdb.node + libduckdb.so into every bundle; instead the bundles load one
// copy in `runtime/duckdb/<platform>/<arch>/` (linux x64 from node_modules; linux arm64 from
// node_modules/@duckdb/node-bindings-linux-arm64 when present, which release.yml unpacks there).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const only = process.argv.slice(2);

// `node scripts/build.mjs <action>...` builds only those actions (and what they reference).
const projects = only.length > 0 ? only.map((name) => join("actions", name)) : ["tsconfig.json"];
execFileSync(bin("tsc"), ["-b", ...projects], { cwd: root, stdio: "inherit" });

// The worker files, as the modules that start them write their names into the bundles
// (packages/steps/src/evaluate/replicate-threads.ts, packages/steps/src/drift/sort-threads.ts),
// where they are built in packages/steps/dist, and the calls of an action's compiled entry that
// start them: evaluating (`evaluateModel`, `mergeEvaluation`), a drift check (`runDriftCheck`,
// `driftShard`).
const WORKERS = [
  { file: "replicate-worker.js", dir: "evaluate", calls: /\b(evaluateModel|mergeEvaluation)\(/ },
  { file: "sort-worker.js", dir: "drift", calls: /\b(runDriftCheck|driftShard)\(/ },
];
const workerBundles = new Map();

/** Whether an action's compiled entry makes one of `calls`. */
function calls(dir, pattern) {
  const lib = join(dir, "lib");
  return readdirSync(lib).some((f) => f.endsWith(".js") && pattern.test(readFileSync(join(lib, f), "utf8")));
}

function bundleWorker(worker) {
  if (workerBundles.has(worker.file)) return workerBundles.get(worker.file);
  const out = join(root, "node_modules", ".cache", `gauntlet-${worker.file.replace(/\.js$/, "")}`);
  rmSync(out, { recursive: true, force: true });
  const entry = join(root, "packages", "steps", "dist", worker.dir, worker.file);
  execFileSync(bin("ncc"), ["build", entry, "-o", out, "--quiet", "--source-map"], {
    cwd: root,
    stdio: "inherit",
  });
  const bundle = {
    code: readFileSync(join(out, "index.js"), "utf8").replace(
      /\/\/# sourceMappingURL=index\.js\.map\s*$/,
      `//# sourceMappingURL=${worker.file}.map\n`,
    ),
    map: readFileSync(join(out, "index.js.map"), "utf8"),
  };
  workerBundles.set(worker.file, bundle);
  return bundle;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text of the require in the bundle
const ORT_REQUIRE = "`../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`";
const ORT_SHARED =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text written into the bundle
  "`../../../runtime/onnxruntime/${process.platform}/${process.arch}/onnxruntime_binding.node`";
const ORT_PLATFORMS = ["linux/x64", "linux/arm64"];

let ortCopied = false;
function copyOnnxRuntime() {
  if (ortCopied) return;
  const from = join(root, "node_modules", "onnxruntime-node", "bin", "napi-v6");
  for (const platform of ORT_PLATFORMS) {
    cpSync(join(from, platform), join(root, "runtime", "onnxruntime", platform), { recursive: true });
  }
  ortCopied = true;
}

// What ncc writes for DuckDB's native binding: the linux-x64 one copied into dist (`.ab` is the
// bundle's asset folder), the others left as requires of packages the runner does not have.
const DUCKDB_X64 =
  '__WEBPACK_EXTERNAL_createRequire(import.meta.url)(__webpack_require__.ab + "duckdb.node")';
const DUCKDB_ARM64 = 'eval("require")("@duckdb/node-bindings-linux-arm64/duckdb.node")';
const DUCKDB_SHARED =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text written into the bundle
  "__WEBPACK_EXTERNAL_createRequire(import.meta.url)(`../../../runtime/duckdb/${process.platform}/${process.arch}/duckdb.node`)";
const DUCKDB_PLATFORMS = [
  ["linux/x64", "node-bindings-linux-x64"],
  ["linux/arm64", "node-bindings-linux-arm64"],
];

let duckdbCopied = false;
function copyDuckDb() {
  if (duckdbCopied) return;
  for (const [platform, pkg] of DUCKDB_PLATFORMS) {
    const from = join(root, "node_modules", "@duckdb", pkg);
    if (!existsSync(join(from, "duckdb.node"))) {
      console.warn(
        `DuckDB's ${platform} binding is not installed (${from}): the bundles will not read data there`,
      );
      continue;
    }
    const to = join(root, "runtime", "duckdb", platform);
    mkdirSync(to, { recursive: true });
    for (const file of ["duckdb.node", "libduckdb.so"]) cpSync(join(from, file), join(to, file));
  }
  duckdbCopied = true;
}

/** Points one bundle file at the shared DuckDB binding; true when it holds DuckDB's loader. */
function shareDuckDb(path) {
  const code = readFileSync(path, "utf8");
  const uses = code.split(DUCKDB_X64).length - 1;
  if (uses === 0) return false;
  if (uses > 1 || code.split(DUCKDB_ARM64).length !== 2) {
    throw new Error(`${path}: expected one DuckDB linux x64 and one arm64 binding require`);
  }
  writeFileSync(path, code.replace(DUCKDB_X64, DUCKDB_SHARED).replace(DUCKDB_ARM64, DUCKDB_SHARED));
  return true;
}

for (const name of readdirSync(join(root, "actions"))) {
  const dir = join(root, "actions", name);
  if (!existsSync(join(dir, "action.yml"))) continue;
  if (only.length > 0 && !only.includes(name)) continue;
  const out = join(dir, "dist");
  rmSync(out, { recursive: true, force: true });
  execFileSync(bin("ncc"), ["build", join(dir, "lib", "index.js"), "-o", out, "--quiet", "--source-map"], {
    cwd: root,
    stdio: "inherit",
  });
  // Every bundle holds the code that would start the workers; only one that starts it gets each.
  for (const worker of WORKERS) {
    if (!readFileSync(join(out, "index.js"), "utf8").includes(`"${worker.file}"`)) continue;
    if (!calls(dir, worker.calls)) continue;
    const { code, map } = bundleWorker(worker);
    writeFileSync(join(out, worker.file), code);
    writeFileSync(join(out, `${worker.file}.map`), map);
    console.log(`bundled actions/${name}/dist/${worker.file}`);
  }
  const bundlePath = join(out, "index.js");
  const bundle = readFileSync(bundlePath, "utf8");
  const uses = bundle.split(ORT_REQUIRE).length - 1;
  if (uses > 1) throw new Error(`${bundlePath}: expected one onnxruntime binding require, found ${uses}`);
  if (uses === 1) {
    writeFileSync(bundlePath, bundle.replace(ORT_REQUIRE, ORT_SHARED));
    copyOnnxRuntime();
  }
  let duckdb = false;
  for (const file of readdirSync(out)) {
    if (file.endsWith(".js") && shareDuckDb(join(out, file))) duckdb = true;
  }
  for (const file of ["duckdb.node", "libduckdb.so"]) rmSync(join(out, file), { force: true });
  if (duckdb) copyDuckDb();
  const extras = `${uses ? " (+ onnxruntime linux x64/arm64)" : ""}${duckdb ? " (+ duckdb)" : ""}`;
  console.log(`bundled actions/${name}/dist/index.js${extras}`);
}
