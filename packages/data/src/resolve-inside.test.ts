import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, type UserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "./read-table.js";
import { resolveDataFiles } from "./resolve-data-files.js";
import { isWithin, resolveInside } from "./resolve-inside.js";

let outside: string;
let root: string;
const where = { file: "models/churn/model.yml", field: "evaluation.data" };

beforeAll(async () => {
  outside = await realpath(await mkdtemp(join(tmpdir(), "gauntlet-outside-")));
  await writeFile(join(outside, "secret.csv"), "password\nhunter2\n");
  root = join(outside, "repo");
  await mkdir(join(root, "data"), { recursive: true });
  await mkdir(join(root, "logs"), { recursive: true });
  await writeFile(join(root, "data", "eval.csv"), "id,score\n1,0.5\n");
  await writeFile(join(root, "logs", "a.csv"), "id\n1\n");
  await symlink(join(outside, "secret.csv"), join(root, "data", "leak.csv"));
  await symlink(join(outside, "secret.csv"), join(root, "logs", "b.csv"));
  await symlink(join(root, "data", "eval.csv"), join(root, "data", "alias.csv"));
  await symlink("/dev/urandom", join(root, "data", "random.csv"));
  await symlink(outside, join(root, "linked"));
  await symlink("loop.csv", join(root, "data", "loop.csv"));
  execFileSync("mkfifo", [join(root, "data", "pipe.csv")]);
});
afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe("resolveInside", () => {
  it("gives the real path of a regular file inside the workspace, relative or absolute", async () => {
    expect(await resolveInside(root, "data/eval.csv", where)).toBe(join(root, "data", "eval.csv"));
    expect(await resolveInside(root, join(root, "data", "eval.csv"), where)).toBe(
      join(root, "data", "eval.csv"),
    );
    // A link to a file inside the workspace is fine, and resolves to its target.
    expect(await resolveInside(root, "data/alias.csv", where)).toBe(join(root, "data", "eval.csv"));
  });

  it("refuses .. and absolute paths outside the workspace, naming the manifest, field and path", async () => {
    const climbing = await refusal(resolveInside(root, "../secret.csv", where));
    expect(climbing.message).toBe(
      `models/churn/model.yml: evaluation.data: "../secret.csv" is outside the workspace. Fix: give a path inside the workspace (${root}), relative to the repository root, without ..`,
    );
    expect(climbing.field).toBe("evaluation.data");
    const absolute = await refusal(resolveInside(root, "/etc/passwd", where));
    expect(absolute.message).toMatch(/"\/etc\/passwd" is outside the workspace/);
    // A sibling folder whose name starts like the workspace's is still outside.
    await expect(
      refusal(resolveInside(join(outside, "rep"), "../repo/data/eval.csv")),
    ).resolves.toMatchObject({
      problem: expect.stringMatching(/outside the workspace/),
    });
  });

  it("refuses symbolic links that lead outside, directly or through a linked folder", async () => {
    const link = await refusal(resolveInside(root, "data/leak.csv", where));
    expect(link.problem).toBe(
      '"data/leak.csv" is a symbolic link (or passes through one) that leads outside the workspace',
    );
    const folder = await refusal(resolveInside(root, "linked/secret.csv", where));
    expect(folder.problem).toMatch(/leads outside the workspace/);
  });

  it("refuses a committed link to /dev/urandom and a FIFO instead of hanging on them", async () => {
    const device = await refusal(resolveInside(root, "data/random.csv", where));
    expect(device.problem).toMatch(/leads outside the workspace/);
    const pipe = await refusal(resolveInside(root, "data/pipe.csv", where));
    expect(pipe.problem).toBe('"data/pipe.csv" is a named pipe (FIFO), not a regular file');
    expect(pipe.fix).toMatch(/does not read devices, pipes or sockets/);
  });

  it("refuses folders, missing files and link loops with a fix", async () => {
    expect((await refusal(resolveInside(root, "data", where))).problem).toBe(
      '"data" is a folder, not a regular file',
    );
    const missing = await refusal(resolveInside(root, "data/nope.csv", where));
    expect(missing.problem).toBe('"data/nope.csv" does not exist');
    expect(missing.file).toBe("models/churn/model.yml");
    // Without a manifest to name, the path itself is the file at fault.
    expect((await refusal(resolveInside(root, "data/nope.csv"))).message).toMatch(
      /^data\/nope\.csv: file not found/,
    );
    expect((await refusal(resolveInside(root, "data/loop.csv", where))).problem).toMatch(/points to itself/);
  });
});

describe("isWithin", () => {
  it("tells a path under the root from one beside it", () => {
    expect(isWithin("/repo", "/repo")).toBe(true);
    expect(isWithin("/repo", "/repo/..data/a.csv")).toBe(true);
    expect(isWithin("/repo", "/repo-old/a.csv")).toBe(false);
    expect(isWithin("/repo", "/")).toBe(false);
  });
});

describe("resolveDataFiles at the workspace boundary", () => {
  it("refuses globs that climb out of the workspace before expanding them", async () => {
    for (const pattern of ["../*.csv", "/etc/*", "logs/*/../../../*.csv", `${outside}/*.csv`]) {
      const error = await refusal(resolveDataFiles(pattern, root, where));
      expect(error.problem).toBe(`the glob "${pattern}" reaches outside the workspace`);
      expect(error.field).toBe("evaluation.data");
    }
  });

  it("never matches links with a glob, so a link to a file outside is not read", async () => {
    // logs/b.csv links to the outside secret; only the regular file matches.
    expect(await resolveDataFiles("logs/*.csv", root, where)).toEqual(["logs/a.csv"]);
    expect(await resolveDataFiles("*/*.csv", root)).toEqual(["data/eval.csv", "logs/a.csv"]);
    // Not walked into either: `**` does not follow `linked -> outside`.
    expect(await resolveDataFiles("**/*.csv", root)).toEqual(["data/eval.csv", "logs/a.csv"]);
  });

  it("refuses a glob whose fixed part is a link leading outside, at its first match", async () => {
    expect((await refusal(resolveDataFiles("linked/*.csv", root, where))).problem).toMatch(
      /"linked\/secret\.csv" is a symbolic link .* leads outside the workspace/,
    );
  });

  it("keeps the outside file's content out of what readTable returns", async () => {
    const read = async () => {
      for await (const _ of readTable("data/leak.csv", { cwd: root, origin: where })) {
        // nothing: the file must not be opened
      }
    };
    await expect(read()).rejects.toMatchObject({ field: "evaluation.data", name: "UserError" });
  });
});
