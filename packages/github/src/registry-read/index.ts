export {
  type BaselineRelease,
  type FindReleaseOptions,
  findAliasRelease,
  findVersionRelease,
} from "./find-baseline-release.js";
export {
  downloadAsset,
  type RegistryResolverOptions,
  registryBaselineResolver,
} from "./registry-baseline-resolver.js";
export { type ReleaseLookupOptions, registryReleaseLookup } from "./release-lookup.js";
export { type RepoRef, tagCommit } from "./tag-commit.js";
