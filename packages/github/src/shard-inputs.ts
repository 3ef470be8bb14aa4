import { parseShard, type Shard, UserError } from "@gauntlet/core";
import * as z from "zod";
import { booleanInput } from "./inputs.js";

/**
 * The `shard` and `merge` inputs of the actions that split work across a matrix
 * (`evaluate-slices`, `drift-check`), as zod pieces to spread into an action's input schema.
 *
 * @example
 * const schema = z.object({ ...commonInputs, ...shardInputs });
 */
export const shardInputs = {
  shard: z.string().optional(),
  merge: booleanInput().default(false),
};

/**
 * Reads `shard: i/n` (validated) and `merge`, refusing both at once: a job either computes one
 * shard or merges all of them.
 *
 * @example
 * shardMode({ shard: "2/4", merge: false }); // { shard: { index: 2, count: 4 }, merge: false }
 * shardMode({ shard: "2/4", merge: true }); // throws UserError
 */
export function shardMode(inputs: { shard?: string | undefined; merge: boolean }): {
  shard: Shard | undefined;
  merge: boolean;
} {
  const shard = inputs.shard === undefined ? undefined : parseShard(inputs.shard, { input: "shard" });
  if (shard && inputs.merge) {
    throw new UserError("input 'shard' and input 'merge' cannot be used together", {
      fix: "run the shards with shard: i/n, then one job with merge: true (and no shard)",
    });
  }
  return { shard, merge: inputs.merge };
}
