import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { UserError } from "@gauntlet/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";

/** The Octokit client gauntlet uses: REST methods, pagination, retries and throttling. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Where Octokit's own log lines go. */
export interface GitHubLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

/** How the client reaches GitHub and how patiently it retries. */
export interface GitHubClientOptions {
  /** REST API root; on GHES `https://ghes.example/api/v3`. Default `https://api.github.com`. */
  apiUrl?: string;
  /** Default: the runner's log via `@actions/core` (debug lines only show with step debugging). */
  log?: GitHubLog;
  /** Retries of a 5xx or network failure, with (n+1)² backoff units between them. Default 3. */
  retries?: number;
  /** Retries after a secondary rate limit, each waiting `retry-after`. Default 3. */
  secondaryRateLimitRetries?: number;
  /**
   * The longest wait gauntlet accepts: a primary rate limit is waited out once, and only when the
   * reset is this close; a `retry-after` longer than this is not slept through but ends the request
   * with a `UserError` asking to re-run later. Default 60 s.
   */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds per backoff unit and per second of `retry-after`. Default 1000; tests pass 1 so a
   * "retry after 60 s" takes 60 ms.
   */
  delayUnitMs?: number;
  /**
   * Minimum spacing between writes. Default: GitHub's advice (1 s, 3 s for writes that notify,
   * such as comments). Tests pass 0.
   */
  writeSpacingMs?: number;
}

/**
 * An authenticated client that retries server errors with backoff and honours GitHub's rate
 * limits: a secondary limit is retried after `retry-after` a few times, but only when that wait is
 * at most `maxRateLimitWaitSeconds` (a longer one is a `UserError`: "GitHub asked to wait N s;
 * re-run later", not a job asleep for an hour); a primary limit is waited out once when its reset
 * is near and otherwise surfaces as an error rather than a stalled job.
 * 429 is left to the throttling plugin so the two plugins never retry the same response twice.
 *
 * @example
 * const client = createGitHubClient(inputs["github-token"], { apiUrl: ctx.apiUrl });
 * await client.rest.issues.createComment({ owner, repo, issue_number: 12, body: "hi" });
 */
export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const log = options.log ?? actionsLog();
  const unit = options.delayUnitMs ?? 1000;
  const secondaryRetries = options.secondaryRateLimitRetries ?? 3;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const spacing =
    options.writeSpacingMs === undefined
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs }),
        };
  const client = getOctokit(
    token,
    {
      baseUrl: (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, ""),
      log,
      retry: {
        retries: options.retries ?? 3,
        retryAfterBaseValue: unit,
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle: {
        retryAfterBaseValue: unit,
        ...spacing,
        onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
          const again = retryCount < secondaryRetries && retryAfter <= maxWait;
          log.warn(
            `GitHub secondary rate limit on ${request.method} ${request.url}; ` +
              (again
                ? `retrying after ${retryAfter} s (retry ${retryCount + 1} of ${secondaryRetries})`
                : retryAfter > maxWait
                  ? `it asks to wait ${retryAfter} s, longer than ${maxWait} s: not waiting`
                  : "giving up"),
          );
          return again;
        },
        onRateLimit: (retryAfter, request, _octokit, retryCount) => {
          const again = retryCount === 0 && retryAfter <= maxWait;
          log.warn(
            `GitHub rate limit exhausted on ${request.method} ${request.url}; ` +
              (again ? `retrying after ${retryAfter} s` : `it resets in ${retryAfter} s, not waiting`),
          );
          return again;
        },
      },
    },
    retry,
    throttling,
  );
  client.hook.error("request", (error, request) => {
    const seconds = askedWaitSeconds(error);
    if (seconds !== undefined && seconds > maxWait) {
      throw new UserError(
        `GitHub asked to wait ${seconds} s before ${request.method} ${request.url}; re-run later`,
        {
          fix: `re-run the job after ${seconds} s; gauntlet waits at most ${maxWait} s for GitHub`,
        },
      );
    }
    throw error;
  });
  return client;
}

/** The `retry-after` seconds of a 403/429 rate-limit answer, if it has one. */
function askedWaitSeconds(error: unknown): number | undefined {
  const { status, response } = error as { status?: number; response?: { headers?: Record<string, unknown> } };
  if (status !== 403 && status !== 429) return undefined;
  const seconds = Number(response?.headers?.["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Octokit's log routed to the runner: its warnings become workflow warnings.
 *
 * @example
 * createGitHubClient(token, { log: actionsLog() });
 */
export function actionsLog(): GitHubLog {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
    error: (message) => core.error(message),
  };
}
