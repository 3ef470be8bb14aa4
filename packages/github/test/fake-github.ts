import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received, decoded. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

/** What a handler answers; `undefined` means 404. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A running fake: its base URL, every request in order, and a way to stop it. */
export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  close: () => Promise<void>;
}

/**
 * A tiny GitHub REST stand-in on a random local port: tests mock only the HTTP boundary, so the
 * real Octokit, its retry and throttling plugins, and pagination all run.
 */
export async function startFakeGitHub(
  handler: (request: FakeRequest, url: string) => FakeResponse | undefined,
): Promise<FakeGitHub> {
  const requests: FakeRequest[] = [];
  let base = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      const text = Buffer.concat(chunks).toString("utf8");
      const request: FakeRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      const answer = handler(request, base) ?? { status: 404, body: { message: "Not Found" } };
      res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A comment as the fake stores it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

/**
 * The issue-comments endpoints over an in-memory list, listing `pageSize` comments per page
 * (whatever `per_page` asks, so a few comments span several pages) with GitHub's `Link` header.
 */
export function issueComments(comments: FakeComment[], options: { pageSize?: number; login?: string } = {}) {
  let nextId = Math.max(100, ...comments.map((c) => c.id)) + 1;
  const view = (c: FakeComment, base: string) => ({ ...c, html_url: `${base}/comment/${c.id}` });
  return (request: FakeRequest, base: string): FakeResponse | undefined => {
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.exec(request.path);
    const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(request.path);
    if (list && request.method === "GET") {
      const size = options.pageSize ?? 100;
      const page = Number(request.query.get("page") ?? 1);
      const pages = Math.max(1, Math.ceil(comments.length / size));
      const headers: Record<string, string> = {};
      if (page < pages) {
        const next = new URL(`${base}${request.path}`);
        next.searchParams.set("per_page", request.query.get("per_page") ?? "30");
        next.searchParams.set("page", String(page + 1));
        headers["link"] = `<${next}>; rel="next"`;
      }
      return { headers, body: comments.slice((page - 1) * size, page * size).map((c) => view(c, base)) };
    }
    if (list && request.method === "POST") {
      const comment = {
        id: nextId++,
        body: (request.body as { body: string }).body,
        user: { login: options.login ?? "github-actions[bot]" },
      };
      comments.push(comment);
      return { status: 201, body: view(comment, base) };
    }
    const found = one && comments.find((c) => c.id === Number(one[1]));
    if (found && request.method === "PATCH") {
      found.body = (request.body as { body: string }).body;
      return { body: view(found, base) };
    }
    if (found && request.method === "DELETE") {
      comments.splice(comments.indexOf(found), 1);
      return { status: 204 };
    }
    return undefined;
  };
}

/** A log that records warnings, for asserting on retries. */
export function recordingLog() {
  const warnings: string[] = [];
  const ignore = () => {};
  return {
    warnings,
    log: { debug: ignore, info: ignore, warn: (m: string) => warnings.push(m), error: ignore },
  };
}
