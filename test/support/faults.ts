const DOCS = "https://docs.github.com/rest";
const SECONDARY_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID";

/** A failure the next `times` matching requests get instead of their answer. */
export interface Fault {
  operationId?: string;
  method?: string;
  path?: RegExp;
  status: 500 | 502 | 503 | 403 | 404;
  /** A 403 with `retry-after: 1` and GitHub's secondary rate limit message. */
  secondaryRateLimit?: boolean;
  /** A 403 with `x-ratelimit-remaining: 0`, resetting in an hour: GitHub's primary rate limit. */
  primaryRateLimit?: boolean;
  times: number;
}

/** Takes one use of the first fault matching the request, if any is left. */
export function takeFault(
  faults: Fault[],
  method: string,
  path: string,
  operationId: string,
): Fault | undefined {
  const fault = faults.find(
    (f) =>
      f.times > 0 &&
      (f.operationId === undefined || f.operationId === operationId) &&
      (f.method === undefined || f.method.toUpperCase() === method) &&
      (f.path === undefined || f.path.test(path)),
  );
  if (fault) fault.times -= 1;
  return fault;
}

/** The answer GitHub gives for a fault: a rate-limit 403 (secondary or primary), or a bare 5xx/403/404. */
export function faultResponse(fault: Fault): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  if (fault.secondaryRateLimit) {
    return {
      status: 403,
      body: {
        message: SECONDARY_MESSAGE,
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      },
      headers: { "retry-after": "1" },
    };
  }
  if (fault.primaryRateLimit) {
    return {
      status: 403,
      body: {
        message: "API rate limit exceeded for installation ID 1.",
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-primary-rate-limits`,
      },
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      },
    };
  }
  const message =
    fault.status === 403
      ? "Forbidden"
      : fault.status === 404
        ? "Not Found"
        : fault.status === 503
          ? "Service Unavailable"
          : "Server Error";
  return { status: fault.status, body: { message, status: String(fault.status) }, headers: {} };
}
