import { afterAll, describe, expect, it } from "vitest";
import { FAILING_WORKER, fakeWorker, removeFakeWorkers } from "./fake-worker.test-helper.js";
import { awaitWorker, startWorker, warmWorkers } from "./worker-share.js";

/** A worker that adds its job's `add` into `into[0]` and signals done, job after job. */
const ADDING_WORKER = [
  'import { parentPort } from "node:worker_threads";',
  'parentPort.on("message", (job) => {',
  "  job.into[0] += job.add;",
  "  Atomics.store(job.done, 0, 1);",
  "  Atomics.notify(job.done, 0);",
  "  job.port.close();",
  "});",
].join("\n");

afterAll(removeFakeWorkers);

describe("startWorker and awaitWorker", () => {
  it("hand every job to the one warmed worker while it is free, and a second job at once to another", () => {
    const url = fakeWorker(ADDING_WORKER);
    warmWorkers(url, 1, []);
    const into = new Float64Array(new SharedArrayBuffer(8));
    const first = startWorker(url, { into, add: 2 }, []);
    expect(awaitWorker(first, 60_000, "an adding worker")).toBe("done");
    const second = startWorker(url, { into, add: 3 }, []);
    expect(second.worker).toBe(first.worker);
    // Two jobs at once: the free worker and a new one.
    const third = startWorker(url, { into, add: 5 }, []);
    expect(third.worker).not.toBe(second.worker);
    expect(awaitWorker(second, 60_000, "an adding worker")).toBe("done");
    expect(awaitWorker(third, 60_000, "an adding worker")).toBe("done");
    expect(into[0]).toBe(10);
    // Both went back: the next two jobs take them, no third worker.
    const again = [startWorker(url, { into, add: 1 }, []), startWorker(url, { into, add: 1 }, [])];
    expect(new Set(again.map((s) => s.worker))).toEqual(new Set([second.worker, third.worker]));
    for (const s of again) awaitWorker(s, 60_000, "an adding worker");
    expect(into[0]).toBe(12);
  });

  it("stop a failed worker and never hand it another job", () => {
    const url = fakeWorker(FAILING_WORKER);
    const failed = startWorker(url, {}, []);
    expect(() => awaitWorker(failed, 60_000, "a failing worker")).toThrow(
      /a failing worker failed: out of cheese/,
    );
    const next = startWorker(url, {}, []);
    expect(next.worker).not.toBe(failed.worker);
    expect(() => awaitWorker(next, 60_000, "a failing worker")).toThrow(/out of cheese/);
  });

  it("stop a silent worker and never hand it another job", () => {
    const url = fakeWorker(
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => {});\n',
    );
    const silent = startWorker(url, {}, []);
    expect(awaitWorker(silent, 100, "a silent worker")).toBe("silent");
    const next = startWorker(url, {}, []);
    expect(next.worker).not.toBe(silent.worker);
    expect(awaitWorker(next, 100, "a silent worker")).toBe("silent");
  });
});
