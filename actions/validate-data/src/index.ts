import { y } from "@gauntlet/data";

console.log(y);
