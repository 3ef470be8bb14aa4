import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The built worker module, for the threads' tests: tests run from sources, where there is no
 * worker file beside the runners (which then give none), while `npm test` builds dist/ before it
 * runs them. It runs without vitest's Node options, whose `--conditions @gauntlet/source` would
 * have it import TypeScript.
 */
export const WORKER = new URL("../../dist/evaluate/replicate-worker.js", import.meta.url);
export const built = { url: WORKER, execArgv: [] as string[] };

/** A worker module that answers every job with an error ("out of cheese"), signalling failure. */
export const FAILING_WORKER = [
  'import { parentPort } from "node:worker_threads";',
  'parentPort.on("message", (job) => {',
  '  job.port.postMessage({ message: "out of cheese", stack: "at the worker" });',
  "  Atomics.store(job.done, 0, 2);",
  "  Atomics.notify(job.done, 0);",
  "  job.port.close();",
  "});",
].join("\n");

const dirs: string[] = [];

/**
 * A stand-in worker module (plain JS) in a temporary folder; {@link removeFakeWorkers} deletes them.
 *
 * @example
 * const url = fakeWorker("export {};\n"); // a worker that never answers
 */
export function fakeWorker(code: string): URL {
  const dir = mkdtempSync(join(tmpdir(), "fake-worker-"));
  dirs.push(dir);
  const file = join(dir, "worker.mjs");
  writeFileSync(file, code);
  return pathToFileURL(file);
}

/** Deletes every {@link fakeWorker} folder (call it in `afterAll`). */
export function removeFakeWorkers(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
