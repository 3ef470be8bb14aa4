import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { permissionError, withPermission } from "./permission.js";

const need = { action: "create check run gauntlet/churn", permission: "checks: write" };
const httpError = (status: number, message: string, method = "POST") =>
  Object.assign(new Error(message), { status, request: { method } });

describe("permissionError", () => {
  it("maps 403 'Resource not accessible by integration' to a user error naming the permission and the fix", () => {
    const mapped = permissionError(httpError(403, "Resource not accessible by integration"), need);
    expect(isUserError(mapped)).toBe(true);
    const message = (mapped as Error).message;
    expect(message).toContain("the token cannot create check run gauntlet/churn");
    expect(message).toContain("it needs `permissions: checks: write` in the workflow job");
    expect(message).toMatch(/Fix: add `checks: write` under `permissions:`/);
    expect(message).toContain("workflow_run");
  });

  it("maps a 404 from a write, but leaves a 404 from a read alone", () => {
    expect(isUserError(permissionError(httpError(404, "Not Found", "PATCH"), need))).toBe(true);
    const read = httpError(404, "Not Found", "GET");
    expect(permissionError(read, need)).toBe(read);
  });

  it("maps 401 to a user error about the github-token input", () => {
    const mapped = permissionError(httpError(401, "Bad credentials", "GET"), need);
    expect(isUserError(mapped)).toBe(true);
    expect((mapped as Error).message).toMatch(/^github-token: GitHub rejected the token/);
  });

  it("returns other errors unchanged", () => {
    const other = httpError(422, "Validation Failed");
    expect(permissionError(other, need)).toBe(other);
    expect(permissionError("boom", need)).toBe("boom");
  });
});

describe("withPermission", () => {
  it("passes results through and rethrows mapped errors", async () => {
    await expect(withPermission(need, async () => 42)).resolves.toBe(42);
    const failing = withPermission(need, async () => {
      throw httpError(403, "Resource not accessible by integration");
    });
    await expect(failing).rejects.toMatchObject({ name: "UserError" });
  });
});
