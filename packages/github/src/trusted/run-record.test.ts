import { describe, expect, it } from "vitest";
import { recordMismatch } from "./run-record.js";

const HEAD = "5e6f0a1b2c3d4e5f60718293a4b5c6d7e8f90123";
const expected = {
  repository: "acme/models",
  runId: 4242,
  event: "pull_request_target",
  headSha: HEAD,
  pullRequest: 9,
};
const record = {
  schema: "gauntlet/run@1",
  repository: "acme/models",
  event: "pull_request_target",
  runId: 4242,
  pullRequest: 9,
  headSha: HEAD,
};

describe("recordMismatch", () => {
  it("accepts the record of the expected run, head and pull request", () => {
    expect(recordMismatch(record, expected)).toBeUndefined();
    expect(recordMismatch({ ...record, repository: "ACME/Models" }, expected)).toBeUndefined();
    const { pullRequest: _, ...withoutPull } = expected;
    expect(recordMismatch({ ...record, pullRequest: null }, withoutPull)).toBeUndefined();
  });

  it.each([
    [undefined, "it has no readable run.json (gauntlet/run@1)"],
    [{ ...record, schema: "gauntlet/run@2" }, "it has no readable run.json"],
    [{ ...record, repository: "eve/models" }, "its run.json says repository eve/models, not acme/models"],
    [{ ...record, runId: 7 }, "its run.json says run 7, not 4242: results copied from another run"],
    [{ ...record, event: "pull_request" }, "its run.json says event pull_request, not pull_request_target"],
    [{ ...record, headSha: null }, "its run.json says head none, not 5e6f0a1"],
    [{ ...record, pullRequest: 10 }, "its run.json says pull request #10, not #9"],
  ])("names what differs: %j", (raw, reason) => {
    expect(recordMismatch(raw, expected)).toContain(reason);
  });
});
