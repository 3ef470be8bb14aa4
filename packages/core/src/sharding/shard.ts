import { rowIdHash } from "../bootstrap/row-hash.js";
import { UserError, type UserErrorLocation } from "../errors/user-error.js";
import { fmix32 } from "../random/hash.js";

/** One shard of a sharded run: `index` of `count`, numbered from 1 (`shard: 2/4`). */
export interface Shard {
  index: number;
  count: number;
}

/** Shards a run may be split into at most: far beyond any Actions matrix (256 jobs). */
export const MAX_SHARDS = 1024;

/**
 * Reads a `shard` input (`i/n`, 1 ≤ i ≤ n). Anything else is a {@link UserError} naming the input,
 * so a matrix typo fails before any data is read. The command line passes the same input name:
 * its error printer shows `input 'shard'` as `--shard` (see `forCommandLine`).
 *
 * @example
 * parseShard("2/4", { input: "shard" }); // { index: 2, count: 4 }
 * parseShard("4/3", { input: "shard" }); // throws UserError: input 'shard': expected i/n with 1 ≤ i ≤ n, got '4/3'
 */
export function parseShard(text: string, where: { input: string } & UserErrorLocation): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(index >= 1 && index <= count && count <= MAX_SHARDS)) {
    throw new UserError(
      `input '${where.input}': expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS} (shards are numbered from 1), got '${text}'`,
      {
        ...(where.file ? { file: where.file } : {}),
        fix: where.fix ?? "write it as i/n with i from 1 to n, e.g. 1/4 for the first of four shards",
      },
    );
  }
  return { index, count };
}

/**
 * The shard (1-based) a row belongs to, from its identity text: the key's value(s), or `#<row>` (its
 * 1-based position in the data) for rows without a key. The hash is `rowIdHash` re-mixed with a
 * constant, so which shard a row lands in is independent of its bootstrap weights, and stable
 * across runs, machines and shard jobs: every job reading the same data splits it the same way.
 *
 * @example
 * shardOf("customer-42", 4); // 3
 * shardOf("#17", 4);         // the 17th row of a table without a key
 */
export function shardOf(id: string, count: number): number {
  return shardOfHash(rowIdHash(id), count);
}

/**
 * {@link shardOf} from the row id's hash (`rowIdHash` of its identity text), for a reader that
 * hashed the key cells without making the text.
 *
 * @example
 * shardOfHash(rowIdHash("customer-42"), 4); // shardOf("customer-42", 4)
 */
export function shardOfHash(hash: number, count: number): number {
  return (fmix32(hash ^ 0x9e3779b9) % count) + 1;
}

/**
 * The part file name of a shard, as DESIGN.md lays it out.
 *
 * @example
 * shardFileName("evaluation", { index: 2, count: 4 }); // "evaluation.part-2-of-4.json"
 */
export function shardFileName(kind: string, shard: Shard): string {
  return `${kind}.part-${shard.index}-of-${shard.count}.json`;
}

/**
 * Reads a part file name back: `evaluation.part-2-of-4.json` → `{ index: 2, count: 4 }`, and
 * `undefined` for any other name.
 *
 * @example
 * parseShardFileName("drift", "drift.part-1-of-3.json"); // { index: 1, count: 3 }
 * parseShardFileName("drift", "drift.json"); // undefined
 */
export function parseShardFileName(kind: string, name: string): Shard | undefined {
  const match = /^(.+)\.part-(\d+)-of-(\d+)\.json$/.exec(name);
  if (!match || match[1] !== kind) return undefined;
  return { index: Number(match[2]), count: Number(match[3]) };
}
