// Would evaluate's read overlap its scoring if DuckDB's fetch loop ran on a worker thread? (issue
// 22/14). The step reads a batch, then scores it with both models: onnxruntime-node's
// `session.run` runs on the main thread (its backend calls the native, synchronous `run` from a
// `setImmediate`), and DuckDB computes a streamed result only inside `fetchChunk`, one chunk ahead,
// so reading and scoring take turns. Each variant runs in its own process, alternately, on the
// 1,000,000-row churn CSV with the evaluate bench's columns, key and two 100-tree models:
//   sequential  as the step does it: `readTable` batch, then `scoreBatch` with each model;
//   worker      a worker thread runs the same `readTable` and posts each batch (number columns'
//               typed arrays transferred, category columns' strings copied), while the main
//               thread scores the batch before;
//   worker-1    worker, with onnxruntime on one intra-op thread (the step uses up to 4, at most the
//               cores), so that scoring does not wait on a pool thread the reader displaced;
//   ahead       as sequential, but the next batch's read is started before this one is scored: the
//               reader converts a chunk each time onnxruntime's runs (16,384 rows each) yield;
//   read, score each alone (the rows read first, then scored), for their CPU seconds: on C cores
//               no overlap can bring read + score below (read CPU + score CPU) / C of wall.
// Prints each variant's median wall and CPU seconds (process.cpuUsage: every thread), its ratio to
// sequential, and that floor (which assumes the cores are free). BENCH_ROUNDS=<n> rounds (default 3).
//
//   node bench/evaluate-overlap.bench.mjs

import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { readTable } from "@gauntlet/data";
import { checkSignature, loadModel, scoreBatch } from "@gauntlet/model";
import { EVAL_SLICES } from "./python/inputs.mjs";
import { churnCsv, figure } from "./support.mjs";
import { benchModels } from "./support-models.mjs";
import { inChild, loadAverage, machineLine, ratio } from "./support-report.mjs";

const ROWS = 1_000_000;
const CATEGORIES = ["region", "plan", "payment_method", "device_os"];

/** The evaluate bench's read: label, slice and input columns, key hashed, categories declared. */
function readOptions(features) {
  const slices = EVAL_SLICES.map((s) => (typeof s === "string" ? s : s.column));
  return {
    columns: [...new Set(["churned", ...slices, ...features])],
    rowKey: ["customer_id"],
    kinds: Object.fromEntries(CATEGORIES.map((c) => [c, "category"])),
  };
}

if (!isMainThread) {
  // The worker variant's reader: every batch posted as it is made.
  for await (const batch of readTable(workerData.path, workerData.options)) {
    const columns = [...batch.columns];
    const buffers = columns.flatMap(([, c]) =>
      c.kind === "category" ? [c.nulls.buffer] : [c.values.buffer, c.nulls.buffer],
    );
    parentPort.postMessage({ length: batch.length, firstRow: batch.firstRow, columns }, buffers);
  }
  parentPort.postMessage(null);
} else if (process.argv[2]) {
  console.log(JSON.stringify(await variant(process.argv[2])));
} else {
  inChild("./support.mjs", ["churnCsv"], `churnCsv(${ROWS})`);
  inChild("./support-models.mjs", ["benchModels"], "benchModels()");
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const names = ["sequential", "worker", "worker-1", "ahead", "read", "score"];
  const runs = new Map(names.map((n) => [n, []]));
  const loadBefore = loadAverage();
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], {
        encoding: "utf8",
      });
      runs.get(name).push(JSON.parse(out));
    }
  }
  const median = (name, field) => {
    const sorted = runs
      .get(name)
      .map((r) => r[field])
      .sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  figure("rows", ROWS);
  figure("rounds (alternating, one process each)", rounds);
  for (const name of ["sequential", "worker", "worker-1", "ahead"]) {
    figure(`${name}: read + score wall (median)`, median(name, "wall"), "s");
    figure(`${name}: CPU (median)`, median(name, "cpu"), "s");
    figure(`${name}: waiting for batches (median)`, median(name, "read"), "s");
    figure(`${name}: scoring (median)`, median(name, "score"), "s");
  }
  ratio("worker / sequential wall", median("worker", "wall"), median("sequential", "wall"));
  ratio("worker / sequential CPU", median("worker", "cpu"), median("sequential", "cpu"));
  ratio("worker-1 / sequential wall", median("worker-1", "wall"), median("sequential", "wall"));
  ratio("ahead / sequential wall", median("ahead", "wall"), median("sequential", "wall"));
  for (const name of ["read", "score"]) {
    figure(
      `${name} alone: wall, CPU (median)`,
      `${median(name, "wall")} s, ${median(name, "cpu").toFixed(2)} s`,
    );
  }
  const cores = availableParallelism();
  figure(
    `floor with full overlap on ${cores} cores`,
    (median("read", "cpu") + median("score", "cpu")) / cores,
    "s (read CPU + score CPU) / cores",
  );
  figure("load average before", loadBefore);
  machineLine("load average after");
}

/** One variant, timed from the first read to the last score, in seconds. */
async function variant(name) {
  const data = churnCsv(ROWS);
  const { candidate, baseline } = benchModels();
  const options = readOptions(candidate.features);
  const kinds = new Map(options.columns.map((c) => [c, CATEGORIES.includes(c) ? "category" : "number"]));
  const artefact = {
    inputs: { numeric: candidate.features },
    outputs: { probabilities: "probabilities" },
    classes: [0, 1],
    positive: 1,
  };
  const models = [];
  for (const { path } of [candidate, baseline]) {
    const model = await loadModel(path, {
      manifestFile: "bench",
      ...(name === "worker-1" ? { threads: 1 } : {}),
    });
    models.push({ model, mapping: checkSignature(model, artefact, { columns: kinds }) });
  }
  const batches = name.startsWith("worker")
    ? workerBatches(data.path, options)
    : readTable(data.path, options);
  const cpuFrom = process.cpuUsage();
  const started = performance.now();
  let read = 0;
  let score = 0;
  const kept = [];
  const scoreAll = async (batch) => {
    const from = performance.now();
    for (const { model, mapping } of models) await scoreBatch(model, mapping, batch);
    score += performance.now() - from;
  };
  let pending = batches.next();
  for (;;) {
    const from = performance.now();
    const next = await pending;
    read += performance.now() - from;
    if (next.done) break;
    if (name === "ahead") pending = batches.next();
    if (name === "read" || name === "score") kept.push(next.value);
    else await scoreAll(next.value);
    if (name !== "ahead") pending = batches.next();
  }
  const readCpu = process.cpuUsage(cpuFrom);
  if (name === "score") {
    const scoreFrom = process.cpuUsage();
    const from = performance.now();
    for (const batch of kept) await scoreAll(batch);
    const cpu = process.cpuUsage(scoreFrom);
    return {
      wall: seconds(performance.now() - from),
      cpu: cpuSeconds(cpu),
      read: 0,
      score: seconds(score),
    };
  }
  const cpu = name === "read" ? readCpu : process.cpuUsage(cpuFrom);
  return {
    wall: seconds(performance.now() - started),
    cpu: cpuSeconds(cpu),
    read: seconds(read),
    score: seconds(score),
  };
}

/** Batches read on a worker thread, as it posts them. */
async function* workerBatches(path, options) {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { path, options } });
  const queue = [];
  let wake;
  let failed;
  worker.on("message", (message) => {
    queue.push(message);
    wake?.();
  });
  worker.on("error", (error) => {
    failed = error;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failed === undefined) await new Promise((resolve) => (wake = resolve));
      if (failed) throw failed;
      const message = queue.shift();
      if (message === null) return;
      yield {
        source: path,
        length: message.length,
        firstRow: message.firstRow,
        columns: new Map(message.columns),
        invalid: new Map(),
      };
    }
  } finally {
    await worker.terminate();
  }
}

function cpuSeconds({ user, system }) {
  return Math.round((user + system) / 1000) / 1000;
}

function seconds(ms) {
  return Math.round(ms) / 1000;
}
