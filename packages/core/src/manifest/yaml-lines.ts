import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { FieldPath } from "./field-path.js";

/**
 * The 1-based line of the field at `path` in a parsed YAML document: the line of its key when it
 * is a mapping entry, of the item when it is a list entry. A path that does not exist (a missing
 * field) resolves to its deepest existing ancestor, which is where the field should be added.
 *
 * @example
 * const lineCounter = new LineCounter();
 * const doc = parseDocument("a:\n  b: [1, 2]\n", { lineCounter });
 * lineOfPath(doc, lineCounter, ["a", "b", 1]); // 2
 */
export function lineOfPath(doc: Document, lineCounter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
