#!/usr/bin/env node
// Builds everything: `tsc -b` emits JavaScript for every workspace, then each action's entry is
// bundled with ncc into `actions/<name>/dist/index.js` so the runner needs no `npm install`.
// onnxruntime-node loads a native binding (and libonnxruntime.so.1 beside it) by a path relative
// to the bundle, which no bundler copies: every bundle that scores models is pointed at one shared
// copy of the Linux x64 and arm64 binaries in `runtime/onnxruntime/` (the runner checks out the
// whole repository for `uses: OWNER/gauntlet/actions/<name>@v1`, so one copy serves all actions).
// A bundle that can share a binary evaluation with a worker thread gets the worker bundled beside
// it as `dist/evaluation-worker.js`, where `workerLane` looks for it.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const only = process.argv.slice(2);

// `node scripts/build.mjs <action>...` builds only those actions (and what they reference).
const projects = only.length > 0 ? only.map((name) => join("actions", name)) : ["tsconfig.json"];
execFileSync(bin("tsc"), ["-b", ...projects], { cwd: root, stdio: "inherit" });

// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text of the require in the bundle
const ORT_REQUIRE = "`../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`";
const ORT_SHARED =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text written into the bundle
  "`../../../runtime/onnxruntime/${process.platform}/${process.arch}/onnxruntime_binding.node`";
const ORT_PLATFORMS = ["linux/x64", "linux/arm64"];

// The worker file name, as packages/steps/src/evaluate/worker-lane.ts writes it into the bundle.
const WORKER = "evaluation-worker.js";
let workerBundle;
function bundleWorker() {
  if (workerBundle) return workerBundle;
  const out = join(root, "node_modules", ".cache", "gauntlet-worker");
  rmSync(out, { recursive: true, force: true });
  const entry = join(root, "packages", "steps", "dist", "evaluate", WORKER);
  execFileSync(bin("ncc"), ["build", entry, "-o", out, "--quiet", "--source-map"], {
    cwd: root,
    stdio: "inherit",
  });
  workerBundle = {
    code: readFileSync(join(out, "index.js"), "utf8").replace(
      /\/\/# sourceMappingURL=index\.js\.map\s*$/,
      `//# sourceMappingURL=${WORKER}.map\n`,
    ),
    map: readFileSync(join(out, "index.js.map"), "utf8"),
  };
  return workerBundle;
}

/** Whether an action's compiled entry calls `evaluateModel`. */
function evaluates(dir) {
  const lib = join(dir, "lib");
  return readdirSync(lib).some(
    (f) => f.endsWith(".js") && readFileSync(join(lib, f), "utf8").includes("evaluateModel("),
  );
}

let ortCopied = false;
function copyOnnxRuntime() {
  if (ortCopied) return;
  const from = join(root, "node_modules", "onnxruntime-node", "bin", "napi-v6");
  for (const platform of ORT_PLATFORMS) {
    cpSync(join(from, platform), join(root, "runtime", "onnxruntime", platform), { recursive: true });
  }
  ortCopied = true;
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
  const bundlePath = join(out, "index.js");
  const bundle = readFileSync(bundlePath, "utf8");
  const uses = bundle.split(ORT_REQUIRE).length - 1;
  if (uses > 1) throw new Error(`${bundlePath}: expected one onnxruntime binding require, found ${uses}`);
  if (uses === 1) {
    writeFileSync(bundlePath, bundle.replace(ORT_REQUIRE, ORT_SHARED));
    copyOnnxRuntime();
  }
  // Only an action that evaluates starts the worker; every bundle holds the code that would.
  const worker = bundle.includes(`"${WORKER}"`) && evaluates(dir);
  if (worker) {
    const { code, map } = bundleWorker();
    writeFileSync(join(out, WORKER), code);
    writeFileSync(join(out, `${WORKER}.map`), map);
  }
  const extras = [uses ? "onnxruntime linux x64/arm64" : "", worker ? WORKER : ""].filter(Boolean);
  console.log(`bundled actions/${name}/dist/index.js${extras.length ? ` (+ ${extras.join(", ")})` : ""}`);
}
