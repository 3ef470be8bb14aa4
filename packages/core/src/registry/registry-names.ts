/**
 * The immutable version tag of a model version (DESIGN.md, Registry conventions).
 *
 * @example
 * versionTag("churn", "1.3.0"); // "churn/v1.3.0"
 */
export function versionTag(model: string, version: string): string {
  return `${model}/v${version}`;
}

/**
 * The version a tag names, when it is one of `model`'s version tags.
 *
 * @example
 * versionOfTag("churn", "churn/v1.3.0"); // "1.3.0"
 * versionOfTag("churn", "churn/production"); // undefined
 */
export function versionOfTag(model: string, tag: string): string | undefined {
  const prefix = `${model}/v`;
  return tag.startsWith(prefix) ? tag.slice(prefix.length) : undefined;
}

/**
 * The model and version a version tag names (`<model>/v<version>`, model names have no `/`), or
 * `undefined` for any other tag (an alias such as `churn/production`).
 *
 * @example
 * parseVersionTag("churn/v1.3.0"); // { model: "churn", version: "1.3.0" }
 * parseVersionTag("churn/production"); // undefined
 */
export function parseVersionTag(tag: string): { model: string; version: string } | undefined {
  const match = /^([^/]+)\/v(\d[^/]*)$/.exec(tag);
  return match ? { model: match[1] as string, version: match[2] as string } : undefined;
}

/**
 * The movable alias tag of a stage; consumers fetch the production model by it.
 *
 * @example
 * aliasTag("churn", "production"); // "churn/production"
 */
export function aliasTag(model: string, stage: string): string {
  return `${model}/${stage}`;
}

/**
 * The release title of a model version.
 *
 * @example
 * releaseName("churn", "1.3.0"); // "churn v1.3.0"
 */
export function releaseName(model: string, version: string): string {
  return `${model} v${version}`;
}

/**
 * The deployment environment of a stage.
 *
 * @example
 * environmentName("churn", "production"); // "churn/production"
 */
export function environmentName(model: string, stage: string): string {
  return `${model}/${stage}`;
}
