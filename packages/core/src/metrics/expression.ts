/**
 * The expression language of custom metrics: arithmetic on named numbers, parsed to a tree and
 * evaluated by walking it — never `eval`, never `Function`, no property access, no strings, no
 * loops, so an expression in a pull request can compute a number and nothing else.
 *
 * Grammar (usual precedence, `^` binds tightest and to the right, comparisons give 1 or 0):
 * ```
 * expr    = sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]
 * sum     = product { ("+" | "-") product }
 * product = unary { ("*" | "/") unary }
 * unary   = "-" unary | power
 * power   = atom [ "^" unary ]
 * atom    = number | name | name "(" expr { "," expr } ")" | "(" expr ")"
 * ```
 */

/** A parsed expression: a tree of these nodes. */
export type ExpressionNode =
  | { kind: "number"; value: number }
  | { kind: "variable"; name: string }
  | { kind: "unary"; op: "-"; arg: ExpressionNode }
  | { kind: "binary"; op: BinaryOp; left: ExpressionNode; right: ExpressionNode }
  | { kind: "call"; fn: FunctionName; args: ExpressionNode[] };

type BinaryOp = "+" | "-" | "*" | "/" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=";

/** Longest expression text accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 500;
/** Most nodes in an expression's tree. */
export const MAX_EXPRESSION_NODES = 200;
/** Deepest nesting of an expression's tree. */
export const MAX_EXPRESSION_DEPTH = 32;

/**
 * The functions an expression may call, with their argument counts. Every one returns NaN (an
 * undefined metric) rather than ±Infinity or an exception where it is undefined.
 */
const FUNCTIONS = {
  abs: { min: 1, max: 1, apply: (a: number[]) => Math.abs(a[0]!) },
  sqrt: { min: 1, max: 1, apply: (a: number[]) => (a[0]! < 0 ? Number.NaN : Math.sqrt(a[0]!)) },
  log: { min: 1, max: 1, apply: (a: number[]) => (a[0]! <= 0 ? Number.NaN : Math.log(a[0]!)) },
  exp: { min: 1, max: 1, apply: (a: number[]) => Math.exp(a[0]!) },
  min: { min: 2, max: 8, apply: (a: number[]) => Math.min(...a) },
  max: { min: 2, max: 8, apply: (a: number[]) => Math.max(...a) },
  /** `if(condition, then, else)`: `then` where the condition is not 0. */
  if: { min: 3, max: 3, apply: (a: number[]) => (a[0] !== 0 && !Number.isNaN(a[0]!) ? a[1]! : a[2]!) },
} as const;

/** A function an expression may call. */
export type FunctionName = keyof typeof FUNCTIONS;

/** Names of the callable functions, for messages and docs. */
export const EXPRESSION_FUNCTIONS = Object.keys(FUNCTIONS) as FunctionName[];

/** Why an expression was refused: the message and the 0-based character position it points at. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "name"; value: string; at: number }
  | { kind: "op"; value: string; at: number }
  | { kind: "end"; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number) {
      const value = Number(number[0]);
      if (!Number.isFinite(value)) throw new ExpressionError(`the number ${number[0]} is too large`, i);
      tokens.push({ kind: "number", value, at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64));
    if (name) {
      tokens.push({ kind: "name", value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "<=" || two === ">=" || two === "==" || two === "!=") {
      tokens.push({ kind: "op", value: two, at: i });
      i += 2;
      continue;
    }
    if ("+-*/^(),<>".includes(c)) {
      tokens.push({ kind: "op", value: c, at: i });
      i++;
      continue;
    }
    throw new ExpressionError(
      `unexpected character ${JSON.stringify(c)}: only numbers, names, + - * / ^, comparisons, parentheses and commas are allowed`,
      i,
    );
  }
  tokens.push({ kind: "end", at: text.length });
  return tokens;
}

/**
 * Parses an expression over the given variable names into its tree, refusing anything outside the
 * grammar: unknown names (with the allowed ones listed), unknown functions, wrong argument counts,
 * text longer than {@link MAX_EXPRESSION_LENGTH}, trees larger than {@link MAX_EXPRESSION_NODES}
 * or deeper than {@link MAX_EXPRESSION_DEPTH}. Errors are {@link ExpressionError}s with the position.
 *
 * @example
 * parseExpression("(tp - 3 * fp) / n", ["tp", "fp", "fn", "tn", "n"]);
 * // { kind: "binary", op: "/", left: { kind: "binary", op: "-", … }, right: { kind: "variable", name: "n" } }
 */
export function parseExpression(text: string, variables: readonly string[]): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `the expression is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  const tokens = tokenize(text);
  let k = 0;
  let nodes = 0;
  const peek = () => tokens[k]!;
  const isOp = (value: string) => {
    const t = peek();
    return t.kind === "op" && t.value === value;
  };
  const node = <T extends ExpressionNode>(n: T, at: number): T => {
    nodes++;
    if (nodes > MAX_EXPRESSION_NODES) {
      throw new ExpressionError(`the expression has more than ${MAX_EXPRESSION_NODES} parts`, at);
    }
    return n;
  };
  // Depth counts nestings (parentheses, calls, signs, exponents), which is what grows the stack.
  const deeper = (depth: number, at: number) => {
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(`the expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`, at);
    }
    return depth + 1;
  };
  const expect = (value: string, what: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected ${what}`, peek().at);
    k++;
  };
  const COMPARISONS = ["<", "<=", ">", ">=", "==", "!="];

  const expr = (depth: number): ExpressionNode => {
    const left = sum(depth);
    const t = peek();
    if (t.kind === "op" && COMPARISONS.includes(t.value)) {
      k++;
      const right = sum(depth);
      return node({ kind: "binary", op: t.value as BinaryOp, left, right }, t.at);
    }
    return left;
  };
  const sum = (depth: number): ExpressionNode => {
    let left = product(depth);
    for (;;) {
      const t = peek();
      if (t.kind !== "op" || (t.value !== "+" && t.value !== "-")) return left;
      k++;
      left = node({ kind: "binary", op: t.value, left, right: product(depth) }, t.at);
    }
  };
  const product = (depth: number): ExpressionNode => {
    let left = unary(depth);
    for (;;) {
      const t = peek();
      if (t.kind !== "op" || (t.value !== "*" && t.value !== "/")) return left;
      k++;
      left = node({ kind: "binary", op: t.value, left, right: unary(depth) }, t.at);
    }
  };
  const unary = (depth: number): ExpressionNode => {
    const t = peek();
    if (t.kind === "op" && t.value === "-") {
      k++;
      return node({ kind: "unary", op: "-", arg: unary(deeper(depth, t.at)) }, t.at);
    }
    return power(depth);
  };
  const power = (depth: number): ExpressionNode => {
    const base = atom(depth);
    const t = peek();
    if (t.kind === "op" && t.value === "^") {
      k++;
      return node({ kind: "binary", op: "^", left: base, right: unary(deeper(depth, t.at)) }, t.at);
    }
    return base;
  };
  const atom = (depth: number): ExpressionNode => {
    const t = peek();
    if (t.kind === "number") {
      k++;
      return node({ kind: "number", value: t.value }, t.at);
    }
    if (t.kind === "name") {
      k++;
      if (isOp("(")) {
        k++;
        if (!Object.hasOwn(FUNCTIONS, t.value)) {
          throw new ExpressionError(
            `unknown function ${t.value}: use one of ${EXPRESSION_FUNCTIONS.join(", ")}`,
            t.at,
          );
        }
        const fn = t.value as FunctionName;
        const inner = deeper(depth, t.at);
        const args = [expr(inner)];
        while (isOp(",")) {
          k++;
          args.push(expr(inner));
        }
        expect(")", `) to close ${fn}(`);
        const { min, max } = FUNCTIONS[fn];
        if (args.length < min || args.length > max) {
          const wanted = min === max ? `${min}` : `${min} to ${max}`;
          throw new ExpressionError(`${fn} takes ${wanted} arguments, got ${args.length}`, t.at);
        }
        return node({ kind: "call", fn, args }, t.at);
      }
      if (!variables.includes(t.value)) {
        throw new ExpressionError(`unknown name ${t.value}: use one of ${variables.join(", ")}`, t.at);
      }
      return node({ kind: "variable", name: t.value }, t.at);
    }
    if (t.kind === "op" && t.value === "(") {
      k++;
      const inner = expr(deeper(depth, t.at));
      expect(")", "a closing )");
      return inner;
    }
    throw new ExpressionError(
      t.kind === "end" ? "the expression ends too early" : `unexpected ${t.value}`,
      t.at,
    );
  };

  const tree = expr(0);
  const rest = peek();
  if (rest.kind !== "end") {
    throw new ExpressionError(
      `unexpected ${rest.kind === "op" ? rest.value : String(rest.value)} after a complete expression`,
      rest.at,
    );
  }
  return tree;
}

/**
 * Evaluates a parsed expression with the given values of its variables. Division by zero, `0^-1`,
 * `sqrt` or `log` outside their domain, and any other non-finite result give NaN: the metric is
 * then undefined for that group (null with a reason), never ±Infinity.
 *
 * @example
 * evaluateExpression(parseExpression("(tp - 3 * fp) / n", ["tp", "fp", "n"]), { tp: 40, fp: 5, n: 100 }); // 0.25
 * evaluateExpression(parseExpression("tp / (tp + fp)", ["tp", "fp"]), { tp: 0, fp: 0 }); // NaN
 */
export function evaluateExpression(tree: ExpressionNode, values: Readonly<Record<string, number>>): number {
  const v = walk(tree, values);
  return Number.isFinite(v) ? v : Number.NaN;
}

function walk(n: ExpressionNode, values: Readonly<Record<string, number>>): number {
  switch (n.kind) {
    case "number":
      return n.value;
    case "variable":
      return values[n.name] ?? Number.NaN;
    case "unary":
      return -walk(n.arg, values);
    case "call":
      return FUNCTIONS[n.fn].apply(n.args.map((a) => walk(a, values)));
    case "binary": {
      const a = walk(n.left, values);
      const b = walk(n.right, values);
      switch (n.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return b === 0 ? Number.NaN : a / b;
        case "^":
          return a ** b;
        case "<":
          return a < b ? 1 : 0;
        case "<=":
          return a <= b ? 1 : 0;
        case ">":
          return a > b ? 1 : 0;
        case ">=":
          return a >= b ? 1 : 0;
        case "==":
          return a === b ? 1 : 0;
        case "!=":
          return a !== b ? 1 : 0;
      }
    }
  }
}
