export { FNV_OFFSET, FNV_PRIME, fmix32, fnvUnits, hashString } from "./hash.js";
export { createRng, type Rng, seedFromString } from "./rng.js";
