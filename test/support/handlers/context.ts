import type { IncomingHttpHeaders } from "node:http";
import type { Shapes } from "../github-shapes.js";
import type { GitHubState } from "../github-state.js";

/** What a handler sees of one request, already matched and validated. */
export interface HandlerContext {
  state: GitHubState;
  shapes: Shapes;
  /** Path parameters, coerced to the spec's types (`issue_number` is a number). */
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are schema-checked before handlers read them
  body: any;
  raw: Buffer;
  headers: IncomingHttpHeaders;
  /** The request URL as the client sent it, for `Link` headers. */
  url: URL;
  /** Login of the token's owner, the author of whatever this request creates. */
  actor: string;
}

/** A handler's answer: JSON (or raw bytes) with GitHub's status code. */
export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

/** An error answered the way GitHub words it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
    readonly documentationUrl = "https://docs.github.com/rest",
  ) {
    super(message);
  }
}

/** GitHub's plain 404, which it also uses for resources the token may not see. */
export function notFound(): HttpError {
  return new HttpError(404, "Not Found");
}

/** GitHub's 422 naming the resource, field and code (`already_exists`, `missing_field`, `invalid`). */
export function validationFailed(resource: string, field: string, code: string, message?: string): HttpError {
  return new HttpError(422, "Validation Failed", [
    { resource, code, field, ...(message ? { message } : {}) },
  ]);
}

/** Slices a list by `per_page`/`page` and writes the `Link` header GitHub sends with it. */
export function paginate<T>(ctx: HandlerContext, items: T[], shape: (item: T) => unknown): HandlerResult {
  const perPage = Math.min(Math.max(Number(ctx.query["per_page"] ?? 30), 1), 100);
  const page = Math.max(Number(ctx.query["page"] ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number): string => {
    const next = new URL(ctx.url);
    next.searchParams.set("page", String(n));
    return next.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) links.push(`<${link(1)}>; rel="first"`);
  return { status: 200, body: slice.map(shape), headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

/** The single repository this server hosts; any other owner/repo is GitHub's 404. */
export function requireRepo(ctx: HandlerContext): void {
  const { owner, repo } = ctx.params;
  const expected = ctx.state.repo;
  if (
    String(owner).toLowerCase() !== expected.owner.toLowerCase() ||
    String(repo).toLowerCase() !== expected.name.toLowerCase()
  ) {
    throw notFound();
  }
}
