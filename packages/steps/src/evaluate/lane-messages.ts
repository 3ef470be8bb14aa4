import type { GroupedRows, GroupFields, GroupIds, StateTables } from "@gauntlet/core";

/** What `workerLane` posts to its worker: rows to add, or a request answered by a {@link LaneReply}. */
export type LaneRequest =
  | { type: "add"; rows: GroupedRows; groupOf: readonly GroupIds[]; groupCount: number }
  | { type: "idle"; id: number }
  | { type: "tables"; id: number }
  | { type: "sort"; labels: Uint8Array | Float64Array; models: Float64Array[] }
  | { type: "ranking"; id: number; fields: GroupFields; groups: number };

/** The worker's answer to request `id`: its value, or the error it threw. */
export interface LaneReply {
  id: number;
  value?: StateTables | Float64Array[];
  error?: { name: string; message: string; stack: string };
}
