export {
  MAX_SHARDS,
  parseShard,
  parseShardFileName,
  type Shard,
  shardFileName,
  shardOf,
  shardOfHash,
} from "./shard.js";
export { keyIdentity, rowIdentity, shardRows, takeRows } from "./shard-rows.js";
