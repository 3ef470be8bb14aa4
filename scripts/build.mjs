#!/usr/bin/env node
// Builds everything: `tsc -b` emits JavaScript for every workspace, then each action's entry is
// bundled with ncc into `actions/<name>/dist/index.js` so the runner needs no `npm install`.
// onnxruntime-node loads a native binding (and libonnxruntime.so.1 beside it) by a path relative
// to the bundle, which no bundler copies: every bundle that scores models is pointed at one shared
// copy of the Linux x64 and arm64 binaries in `runtime/onnxruntime/` (the runner checks out the
// whole repository for `uses: OWNER/gauntlet/actions/<name>@v1`, so one copy serves all actions).
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
  const extras = uses ? " (+ onnxruntime linux x64/arm64)" : "";
  console.log(`bundled actions/${name}/dist/index.js${extras}`);
}
