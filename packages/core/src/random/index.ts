export { fmix32, hashString } from "./hash.js";
export { createRng, type Rng, seedFromString } from "./rng.js";
