/**
 * A semantic version, semver.org's recommended pattern: `MAJOR.MINOR.PATCH` without leading zeros
 * (`1.02.0` is not one), then an optional pre-release (`-rc.1`) and build (`+build.5`). The one
 * pattern the manifest's `version`, registry tags and baseline references are all held to.
 */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Parsed {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): Parsed | undefined {
  const m = SEMVER.exec(version);
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split(".") : [] };
}

/**
 * True when `version` is a semantic version (`1.3.0`, `2.0.0-rc.1`, `1.0.0+build.5`; see {@link SEMVER}).
 *
 * @example
 * isVersion("1.3.0"); // true
 * isVersion("1.02.0"); // false: a leading zero
 * isVersion("latest"); // false
 */
export function isVersion(version: string): boolean {
  return parse(version) !== undefined;
}

/**
 * Compares two semantic versions by semver precedence (https://semver.org/#spec-item-11):
 * negative when `a` comes first, positive when `b` does, 0 when they rank equal. A pre-release
 * ranks below its release, numeric identifiers compare as numbers and below alphanumeric ones,
 * and build metadata is ignored. Written here (20 lines) rather than depending on `semver`
 * because registry ordering needs precedence only.
 *
 * @example
 * compareVersions("1.10.0", "1.9.0"); // 1
 * compareVersions("1.0.0-rc.1", "1.0.0"); // -1
 * compareVersions("1.0.0+a", "1.0.0+b"); // 0
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) throw new RangeError(`not a semantic version: ${pa ? b : a}`);
  for (let i = 0; i < 3; i++) {
    const d = pa.core[i]! - pb.core[i]!;
    if (d !== 0) return Math.sign(d);
  }
  // A release outranks any of its pre-releases.
  if (pa.pre.length === 0 || pb.pre.length === 0) return Math.sign(pb.pre.length) - Math.sign(pa.pre.length);
  for (let i = 0; i < Math.min(pa.pre.length, pb.pre.length); i++) {
    const d = compareIdentifier(pa.pre[i]!, pb.pre[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(pa.pre.length - pb.pre.length);
}

function compareIdentifier(x: string, y: string): number {
  const xn = /^\d+$/.test(x);
  const yn = /^\d+$/.test(y);
  if (xn && yn) return Math.sign(Number(x) - Number(y));
  if (xn !== yn) return xn ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
