import { type Document, isAlias, isCollection, isPair, type Node, visit } from "yaml";

/**
 * How many values a manifest may hold once every alias is expanded. A real manifest holds a few
 * hundred; an anchor reused thousands of times stays far below; an "alias bomb" (anchors that
 * each repeat the previous one ten times, nine levels deep) expands to a billion and is refused
 * before anything walks it.
 */
export const MAX_EXPANDED_YAML_VALUES = 1_000_000;

/**
 * The number of values (scalars, lists, maps and map entries' keys) a YAML document stands for
 * once every alias `*name` is replaced by what its anchor `&name` holds, counted without
 * expanding anything: each node's count is worked out once and reused. The `yaml` package's own
 * guard counts alias uses instead (more than 100 uses of one anchor fail), which refuses ordinary
 * manifests that reuse a block of settings across many rules while being a poor measure of
 * expansion; this counts what the expansion would actually cost. An alias that contains itself
 * counts as infinite.
 *
 * @example
 * expandedValueCount(parseDocument("a: &x [1, 2]\nb: *x\n")); // 9: the map, 2 keys, 2 lists, 4 numbers
 */
export function expandedValueCount(doc: Document): number {
  const sources = aliasSources(doc);
  const counts = new Map<unknown, number>();
  const counting = new Set<unknown>();
  const count = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = counts.get(node);
    if (known !== undefined) return known;
    if (counting.has(node)) return Number.POSITIVE_INFINITY;
    counting.add(node);
    let total: number;
    if (isAlias(node)) total = count(sources.get(node));
    else if (isPair(node)) total = count(node.key) + count(node.value);
    else if (isCollection(node)) {
      total = 1;
      for (const item of node.items) total += count(item);
    } else total = 1;
    counting.delete(node);
    counts.set(node, total);
    return total;
  };
  return count(doc.contents);
}

/** The node each alias stands for: the last node with its anchor before the alias, as YAML reads it. */
function aliasSources(doc: Document): Map<unknown, Node | undefined> {
  const anchors = new Map<string, Node>();
  const sources = new Map<unknown, Node | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) sources.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return sources;
}
