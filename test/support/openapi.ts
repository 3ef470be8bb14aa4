import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, unknown>;

/** One operation of GitHub's OpenAPI description, ready for matching and validation. */
export interface Operation {
  operationId: string;
  method: string;
  /** Path template as written in the spec, e.g. `/repos/{owner}/{repo}/issues`. */
  template: string;
  /** True when the operation lives on `uploads.github.com` (served under `/uploads` here). */
  upload: boolean;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema?: Json; contentTypes: string[] };
  responses: Record<string, Json | undefined>;
  regex: RegExp;
  pathParamNames: string[];
  specificity: number;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Json;
}

/** A request matched to an operation, with its decoded path parameters. */
export interface RouteMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

/** Where the request failed validation, in ajv's own words. */
export interface ValidationProblem {
  in: "path" | "query" | "body";
  errors: ErrorObject[];
}

interface Spec {
  routes: Map<string, Operation[]>;
  methodsByPath: Operation[];
  examples: Record<string, { value?: unknown } | undefined>;
  bodyAjv: Ajv;
  paramAjv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const SPEC_ID = "https://gauntlet.test/api.github.com.json";
const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head"];
let cached: Spec | undefined;

/**
 * GitHub's REST description, parsed once per process: 13 MB of JSON is worth caching across
 * the many servers a test file starts.
 */
export function loadSpec(): Spec {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const doc = JSON.parse(readFileSync(file, "utf8")) as Json;
  const components = doc["components"] as Json;
  convertNullable(components["schemas"]);
  convertNullable(components["parameters"]);
  const routes = new Map<string, Operation[]>();
  const all: Operation[] = [];
  for (const [template, item] of Object.entries(doc["paths"] as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const raw = item[method] as Json | undefined;
      if (!raw?.["operationId"]) continue;
      convertNullable(raw);
      const operation = compileOperation(method.toUpperCase(), template, raw, item, components);
      const list = routes.get(operation.method) ?? [];
      list.push(operation);
      routes.set(operation.method, list);
      all.push(operation);
    }
  }
  for (const list of routes.values()) list.sort((a, b) => b.specificity - a.specificity);
  const schemaDoc = { $id: SPEC_ID, components: { schemas: components["schemas"] } };
  cached = {
    routes,
    methodsByPath: all,
    examples: components["examples"] as Spec["examples"],
    bodyAjv: makeAjv(schemaDoc, false),
    paramAjv: makeAjv(schemaDoc, true),
    validators: new Map(),
  };
  return cached;
}

function makeAjv(schemaDoc: Json, coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateSchema: false,
    coerceTypes: coerce,
    logger: false,
  });
  addFormats(ajv);
  // GitHub's own format names carry no checkable rule; declaring them keeps ajv quiet.
  for (const name of [
    "binary",
    "repo.nwo",
    "int32",
    "int64",
    "uri-template",
    "ssh-key",
    "ssh-key fingerprint",
  ]) {
    ajv.addFormat(name, true);
  }
  // The spec defaults several `format: uri` fields to "" (deployment status URLs), and GitHub sends "".
  ajv.addFormat("uri", (value: string) => value === "" || URL.canParse(value));
  ajv.addSchema(schemaDoc);
  return ajv;
}

function compileOperation(
  method: string,
  template: string,
  raw: Json,
  item: Json,
  components: Json,
): Operation {
  const declared = [...((item["parameters"] as Json[]) ?? []), ...((raw["parameters"] as Json[]) ?? [])];
  const parameters = declared.map((p) => resolveParameter(p, components));
  const pathParamNames: string[] = [];
  const pattern = template
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\{([^}]+)\}/g, (_m, name: string) => {
      pathParamNames.push(name);
      const param = parameters.find((p) => p.name === name && p.in === "path");
      return param?.schema["x-multi-segment"] || (param as Json | undefined)?.["multiSegment"]
        ? "(.+?)"
        : "([^/]+?)";
    });
  const servers = raw["servers"] as Json[] | undefined;
  const upload = servers?.some((s) => String(s["url"]).includes("uploads.github.com")) ?? false;
  const body = raw["requestBody"] as Json | undefined;
  const content = (body?.["content"] as Record<string, Json>) ?? {};
  const literal = template.replace(/\{[^}]+\}/g, "").length;
  const responses: Record<string, Json | undefined> = {};
  for (const [status, response] of Object.entries((raw["responses"] as Record<string, Json>) ?? {})) {
    const resolved = resolveRef(response, components);
    const media = (resolved["content"] as Record<string, Json> | undefined)?.["application/json"];
    responses[status] = media?.["schema"] as Json | undefined;
  }
  return {
    operationId: String(raw["operationId"]),
    method,
    template,
    upload,
    parameters,
    requestBody: body
      ? {
          required: Boolean(body["required"]),
          schema: content["application/json"]?.["schema"] as Json | undefined,
          contentTypes: Object.keys(content),
        }
      : undefined,
    responses,
    regex: new RegExp(`^${pattern}$`),
    pathParamNames,
    specificity: literal * 100 - pathParamNames.length,
  };
}

function resolveParameter(raw: Json, components: Json): Parameter {
  const p = resolveRef(raw, components);
  const multi = p["x-multi-segment"] === true;
  const schema = { ...((p["schema"] as Json) ?? {}), ...(multi ? { "x-multi-segment": true } : {}) };
  return {
    name: String(p["name"]),
    in: p["in"] as Parameter["in"],
    required: Boolean(p["required"]),
    schema,
  };
}

function resolveRef(node: Json, components: Json): Json {
  const ref = node["$ref"];
  if (typeof ref !== "string") return node;
  const [, , kind, name] = ref.split("/");
  return resolveRef((components[kind!] as Record<string, Json>)[name!]!, components);
}

/** OpenAPI 3.0's `nullable` is not JSON Schema; rewrite it in place to `type: [t, "null"]`. */
function convertNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) convertNullable(child);
    return;
  }
  if (!node || typeof node !== "object") return;
  const obj = node as Json;
  for (const [key, value] of Object.entries(obj)) {
    if (key !== "example" && key !== "examples") convertNullable(value);
  }
  if (!("nullable" in obj)) return;
  const nullable = obj["nullable"] === true;
  delete obj["nullable"];
  if (!nullable) return;
  if (Array.isArray(obj["enum"]) && !(obj["enum"] as unknown[]).includes(null)) {
    (obj["enum"] as unknown[]).push(null);
  }
  if (typeof obj["type"] === "string") {
    obj["type"] = [obj["type"], "null"];
  } else if (obj["type"] === undefined) {
    const copy = { ...obj };
    for (const key of Object.keys(obj)) delete obj[key];
    obj["anyOf"] = [copy, { type: "null" }];
  }
}

/** Finds the operation for a method and path; `/uploads/...` paths reach only upload operations. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const spec = loadSpec();
  const upload = pathname.startsWith("/uploads/");
  const path = upload ? pathname.slice("/uploads".length) : pathname;
  for (const operation of spec.routes.get(method) ?? []) {
    if (operation.upload !== upload) continue;
    const match = operation.regex.exec(path);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    operation.pathParamNames.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(match[i + 1]!);
    });
    return { operation, pathParams };
  }
  return undefined;
}

/** True when some other method is defined for this path: GitHub still answers 404, but it helps debugging. */
export function methodsForPath(pathname: string): string[] {
  return loadSpec()
    .methodsByPath.filter((op) => op.regex.test(pathname))
    .map((op) => op.method);
}

/**
 * Validates path, query and JSON body against the operation. Path and query values arrive as
 * strings, so they are coerced in place to the declared types (as GitHub's router does).
 */
export function validateRequest(
  operation: Operation,
  pathParams: Record<string, unknown>,
  query: Record<string, unknown>,
  body: unknown,
): ValidationProblem[] {
  const spec = loadSpec();
  const problems: ValidationProblem[] = [];
  for (const where of ["path", "query"] as const) {
    const values = where === "path" ? pathParams : query;
    const validate = cachedValidator(`${operation.operationId}:${where}`, spec.paramAjv, () => ({
      type: "object",
      properties: Object.fromEntries(
        operation.parameters.filter((p) => p.in === where).map((p) => [p.name, refToSpec(p.schema)]),
      ),
      required: operation.parameters.filter((p) => p.in === where && p.required).map((p) => p.name),
      // GitHub silently ignores unknown query parameters; refusing them here catches misspellings.
      additionalProperties: false,
    }));
    if (!validate(values)) problems.push({ in: where, errors: validate.errors ?? [] });
  }
  const schema = operation.requestBody?.schema;
  if (schema && body !== undefined) {
    const validate = cachedValidator(`${operation.operationId}:body`, spec.bodyAjv, () => refToSpec(schema));
    if (!validate(body)) problems.push({ in: "body", errors: validate.errors ?? [] });
  }
  return problems;
}

/** Validates a response body against the operation's schema for that status, if it has one. */
export function validateResponse(operation: Operation, status: number, body: unknown): ErrorObject[] {
  const schema = operation.responses[String(status)];
  if (!schema) return [];
  const spec = loadSpec();
  const validate = cachedValidator(`${operation.operationId}:${status}`, spec.bodyAjv, () =>
    refToSpec(schema),
  );
  return validate(body) ? [] : (validate.errors ?? []);
}

/** A deep copy of one of the spec's named examples, the base of realistic responses. */
export function specExample<T = Json>(name: string): T {
  const example = loadSpec().examples[name];
  if (!example?.value) throw new Error(`no example named ${name} in GitHub's OpenAPI description`);
  return structuredClone(example.value) as T;
}

function cachedValidator(key: string, ajv: Ajv, build: () => Json): ValidateFunction {
  const validators = loadSpec().validators;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(build());
    validators.set(key, validate);
  }
  return validate;
}

/** Operation-level schemas point at `#/components/...` of the spec document registered in ajv. */
function refToSpec(schema: Json): Json {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, `"$ref":"${SPEC_ID}#/components/`),
  ) as Json;
}
