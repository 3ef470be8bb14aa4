import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Fault, faultResponse, takeFault } from "./faults.js";
import { createSeeder, type Seeder } from "./github-seed.js";
import { Shapes } from "./github-shapes.js";
import { createState, type GitHubState, type RepoOptions } from "./github-state.js";
import { ARTIFACT_BLOB_PATH } from "./handlers/actions.js";
import { HttpError } from "./handlers/context.js";
import { handlers } from "./handlers/index.js";
import { docsPath, pickHeaders, readBody } from "./http-helpers.js";
import { matchRoute, validateRequest, validateResponse } from "./openapi.js";
import { ALL_WRITE, isAllowed, type PermissionMap, requiredPermission } from "./permissions.js";

export type { Fault };

/** One request as the server saw and answered it. */
export interface RecordedCall {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  query: Record<string, unknown>;
  body: unknown;
  headers: { accept?: string; "content-type"?: string; "user-agent"?: string; authorization?: string };
  /** Set when an injected fault answered instead of the handler. */
  fault?: string;
}

export type RejectionKind =
  | "unknown-route"
  | "unauthenticated"
  | "invalid-json"
  | "invalid-request"
  | "unhandled"
  | "server-error"
  | "invalid-response";

/** A request GitHub would refuse (or that this server cannot honestly answer). E2e tests expect none. */
export interface Rejection {
  kind: RejectionKind;
  method: string;
  path: string;
  operationId?: string;
  status: number;
  detail: unknown;
}

export interface GitHubServerOptions {
  repo?: RepoOptions;
  /**
   * Serve the API under this path, as GitHub Enterprise Server does under `/api/v3`: `url` then
   * ends with it, requests outside it get 404, and URLs in responses (upload URLs, links) carry it.
   */
  basePath?: string;
  /** Check each JSON response against the spec and record mismatches (default true). */
  validateResponses?: boolean;
}

/** A running fake of api.github.com for one test. */
export interface GitHubServer {
  /** Base URL for `GITHUB_API_URL`, e.g. `http://127.0.0.1:39215`. */
  url: string;
  /** A token with every permission, owned by `github-actions[bot]`. */
  token: string;
  state: GitHubState;
  seed: Seeder;
  /** Registers a token with an Actions-style permission map (unlisted scopes are `none`). */
  addToken(token: string, permissions: PermissionMap, login?: string): void;
  injectFault(fault: Fault): void;
  /**
   * Calls `hook` with each valid request just before it is answered, so a test can change the
   * state in the middle of an action's run (another run moving an alias meanwhile).
   */
  onRequest(hook: (request: { method: string; path: string; operationId: string }) => void): void;
  calls(): RecordedCall[];
  rejections(): Rejection[];
  close(): Promise<void>;
}

const DOCS = "https://docs.github.com/rest";
/**
 * Starts a local GitHub REST API that checks every request against GitHub's OpenAPI description.
 *
 * @example
 * const server = await startGitHubServer({ repo: { owner: "acme", name: "models" } });
 * server.seed.pullRequest({ number: 7 });
 * // ... run an action with GITHUB_API_URL=server.url and token server.token
 * expect(server.rejections()).toEqual([]);
 * await server.close();
 */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const state = createState(options.repo);
  const token = `ghs_${randomBytes(18).toString("hex")}`;
  const tokens = new Map<string, { permissions: PermissionMap; login: string }>([
    [token, { permissions: ALL_WRITE, login: "github-actions[bot]" }],
  ]);
  const calls: RecordedCall[] = [];
  const rejections: Rejection[] = [];
  const faults: Fault[] = [];
  const hooks: ((request: { method: string; path: string; operationId: string }) => void)[] = [];
  let remaining = 5000;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  let origin = "";
  let url = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const requestUrl = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    // Routes see the path below the API root (GHES: below /api/v3), as GitHub's own router does.
    const pathname = requestUrl.pathname.startsWith(basePath)
      ? requestUrl.pathname.slice(basePath.length) || "/"
      : "/__outside_the_api_root__";
    const query: Record<string, unknown> = {};
    for (const [key, value] of requestUrl.searchParams) query[key] = value;
    const call: RecordedCall = {
      method,
      path: pathname,
      operationId: undefined,
      status: 0,
      query: { ...query },
      body: undefined,
      headers: pickHeaders(req),
    };
    calls.push(call);
    remaining = Math.max(remaining - 1, 0);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      const bytes = Buffer.isBuffer(body)
        ? body
        : body === undefined
          ? Buffer.alloc(0)
          : Buffer.from(JSON.stringify(body));
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-api-version-selected": "2022-11-28",
        "x-github-media-type": "github.v3; format=json",
        "x-github-request-id": `${randomBytes(2).toString("hex").toUpperCase()}:${randomBytes(3).toString("hex").toUpperCase()}:${randomBytes(4).toString("hex").toUpperCase()}`,
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-reset": String(Math.floor(state.now / 1000) + 3600),
        "x-ratelimit-used": String(5000 - remaining),
        "x-ratelimit-resource": "core",
        "content-length": String(bytes.length),
        ...headers,
      });
      res.end(bytes);
    };
    const reject = (kind: RejectionKind, status: number, body: unknown, detail: unknown): void => {
      rejections.push({
        kind,
        method,
        path: pathname,
        operationId: call.operationId,
        status,
        detail,
      });
      send(status, body);
    };

    // Not the API: the blob storage an artifact download redirects to (no token, the link is signed).
    if (method === "GET" && pathname.startsWith(ARTIFACT_BLOB_PATH)) {
      const id = Number(pathname.slice(ARTIFACT_BLOB_PATH.length).replace(/\.zip$/, ""));
      const artifact = state.artifacts.find((a) => a.id === id);
      if (!artifact) send(404, { message: "BlobNotFound" });
      else send(200, artifact.zip, { "content-type": "application/zip" });
      return;
    }
    const match = matchRoute(method, pathname);
    if (!match) {
      reject(
        "unknown-route",
        404,
        { message: "Not Found", documentation_url: DOCS, status: "404" },
        "no operation matches",
      );
      return;
    }
    const { operation } = match;
    call.operationId = operation.operationId;
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    if (!auth) {
      reject(
        "unauthenticated",
        401,
        { message: "Requires authentication", documentation_url: DOCS, status: "401" },
        "no token",
      );
      return;
    }
    const identity = tokens.get(auth[1]!);
    if (!identity) {
      reject(
        "unauthenticated",
        401,
        { message: "Bad credentials", documentation_url: DOCS, status: "401" },
        "unknown token",
      );
      return;
    }
    let body: unknown;
    const contentType = String(req.headers["content-type"] ?? "");
    const jsonBody = operation.requestBody?.contentTypes.includes("application/json") ?? false;
    if (raw.length > 0 && jsonBody) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch (error) {
        reject(
          "invalid-json",
          400,
          { message: "Problems parsing JSON", documentation_url: DOCS, status: "400" },
          String(error),
        );
        return;
      }
    } else if (jsonBody && operation.requestBody?.required) {
      body = {};
    }
    call.body = body ?? (raw.length > 0 ? { bytes: raw.length, contentType } : undefined);
    const params: Record<string, unknown> = { ...match.pathParams };
    const problems = validateRequest(operation, params, query, body);
    if (problems.length > 0) {
      const errors = problems.flatMap((p) => p.errors.map((e) => ({ in: p.in, ...e })));
      reject(
        "invalid-request",
        422,
        { message: "Invalid request.", errors, documentation_url: DOCS, status: "422" },
        problems,
      );
      return;
    }
    const fault = takeFault(faults, method, pathname, operation.operationId);
    if (fault) {
      call.fault = fault.secondaryRateLimit
        ? "secondary-rate-limit"
        : fault.primaryRateLimit
          ? "primary-rate-limit"
          : String(fault.status);
      const answer = faultResponse(fault);
      send(answer.status, answer.body, answer.headers);
      return;
    }
    if (!isAllowed(identity.permissions, requiredPermission(operation, params, state))) {
      send(403, {
        message: "Resource not accessible by integration",
        documentation_url: `${DOCS}/${docsPath(operation.operationId)}`,
        status: "403",
      });
      return;
    }
    for (const hook of hooks) hook({ method, path: pathname, operationId: operation.operationId });
    const handler = handlers[operation.operationId];
    if (!handler) {
      reject(
        "unhandled",
        501,
        { message: `${operation.operationId} is not implemented by the test server` },
        operation.template,
      );
      return;
    }
    try {
      const shapes = new Shapes(state, url);
      const ctx = {
        state,
        shapes,
        params,
        query,
        body,
        raw,
        headers: req.headers,
        url: requestUrl,
        actor: identity.login,
      };
      const { status, body: out, headers } = handler(ctx);
      const json = out === undefined || Buffer.isBuffer(out) ? out : JSON.parse(JSON.stringify(out));
      if (options.validateResponses !== false && json !== undefined && !Buffer.isBuffer(json)) {
        const errors = validateResponse(operation, status, json);
        if (errors.length > 0)
          rejections.push({
            kind: "invalid-response",
            method,
            path: pathname,
            operationId: operation.operationId,
            status,
            detail: errors,
          });
      }
      send(status, json, headers);
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, {
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
          documentation_url: error.documentationUrl,
          status: String(error.status),
        });
        return;
      }
      reject(
        "server-error",
        500,
        { message: "Server Error" },
        error instanceof Error ? error.stack : String(error),
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      rejections.push({
        kind: "server-error",
        method: req.method ?? "",
        path: req.url ?? "",
        status: 500,
        detail: String(error),
      });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  url = `${origin}${basePath}`;
  return {
    url,
    token,
    state,
    seed: createSeeder(state),
    addToken: (value, permissions, login = "github-actions[bot]") => {
      tokens.set(value, { permissions, login });
    },
    injectFault: (fault) => {
      faults.push({ ...fault });
    },
    onRequest: (hook) => {
      hooks.push(hook);
    },
    calls: () => [...calls],
    rejections: () => [...rejections],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
