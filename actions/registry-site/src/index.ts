import { runAction } from "@gauntlet/github";
import { run } from "./main.js";

await runAction(run);
