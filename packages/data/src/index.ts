import { x } from "@gauntlet/core";
export const y = x + 1;
