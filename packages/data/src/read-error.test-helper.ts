import { isUserError, type UserError } from "@gauntlet/core";
import { readTable } from "./read-table.js";

/**
 * Reads `name` (relative to `cwd`) to the end and returns the {@link UserError} that stops it;
 * throws when the read succeeds or fails otherwise.
 *
 * @example
 * (await readError("torn.jsonl", dir)).line; // 3
 */
export async function readError(name: string, cwd: string): Promise<UserError> {
  try {
    for await (const _ of readTable(name, { cwd })) {
      // read to the end
    }
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error(`expected reading ${name} to fail with a UserError`);
}
