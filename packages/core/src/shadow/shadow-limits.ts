/** The limits a shadow comparison is held to; `null` means reported, not held. */
export interface ShadowLimits {
  maxDisagreement: number;
  maxPsi: number;
  maxSkew: number;
  maxLatencyP99Ms: number | null;
  /** Fewest compared requests (after repeated ids and unusable rows are left out) for a verdict. */
  minRequests: number;
}

/**
 * Limits used when the manifest's `shadow:` section sets none: a 5% decision disagreement (the
 * documented example), PSI 0.25 (the conventional "major shift"), 1% skewed rows (a pipeline bug,
 * not rounding), no latency budget (latency is reported until one is set), and 1,000 compared
 * requests: at a 5% disagreement the share's standard error is then under 0.7 points, so the
 * limit is judged on traffic rather than on noise.
 *
 * @example
 * DEFAULT_SHADOW_LIMITS.maxPsi; // 0.25
 */
export const DEFAULT_SHADOW_LIMITS: ShadowLimits = {
  maxDisagreement: 0.05,
  maxPsi: 0.25,
  maxSkew: 0.01,
  maxLatencyP99Ms: null,
  minRequests: 1000,
};

/**
 * The limits of a manifest's `shadow:` section, defaults filled in.
 *
 * @example
 * shadowLimits({ "max-disagreement": 0.02 }); // { maxDisagreement: 0.02, maxPsi: 0.25, maxSkew: 0.01, maxLatencyP99Ms: null, minRequests: 1000 }
 */
export function shadowLimits(shadow: {
  "max-disagreement"?: number | undefined;
  "max-psi"?: number | undefined;
  "max-skew"?: number | undefined;
  "max-latency-p99-ms"?: number | undefined;
  "min-requests"?: number | undefined;
}): ShadowLimits {
  return {
    maxDisagreement: shadow["max-disagreement"] ?? DEFAULT_SHADOW_LIMITS.maxDisagreement,
    maxPsi: shadow["max-psi"] ?? DEFAULT_SHADOW_LIMITS.maxPsi,
    maxSkew: shadow["max-skew"] ?? DEFAULT_SHADOW_LIMITS.maxSkew,
    maxLatencyP99Ms: shadow["max-latency-p99-ms"] ?? DEFAULT_SHADOW_LIMITS.maxLatencyP99Ms,
    minRequests: shadow["min-requests"] ?? DEFAULT_SHADOW_LIMITS.minRequests,
  };
}
