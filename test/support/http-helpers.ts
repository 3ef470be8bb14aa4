import type { IncomingMessage } from "node:http";
import type { RecordedCall } from "./github-server.js";

/** The whole request body; uploads are small in tests, so buffering is fine. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The request headers worth recording, with the token itself masked. */
export function pickHeaders(req: IncomingMessage): RecordedCall["headers"] {
  const headers: RecordedCall["headers"] = {};
  for (const name of ["accept", "content-type", "user-agent"] as const) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = String(value);
  }
  // Keep the scheme only: a recorded token would leak into snapshots and logs.
  if (req.headers.authorization) headers.authorization = `${req.headers.authorization.split(/\s+/)[0]} ***`;
  return headers;
}

/** The docs anchor GitHub puts in a 403 body for an operation. */
export function docsPath(operationId: string): string {
  const [category = "", name = ""] = operationId.split("/");
  return `${category}/${category}#${name}`;
}
