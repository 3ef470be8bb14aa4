/**
 * How a message names an input of a step. Fixes are written once for both ways gauntlet runs:
 * an action reads them as they are ("the `data` input"), and the `gauntlet` command line shows
 * them through {@link forCommandLine} as its option (`--data`), so a person at a terminal is
 * never told to set an action input.
 *
 * @example
 * inputRef("data"); // "the `data` input"
 */
export function inputRef(name: string): string {
  return `the \`${name}\` input`;
}

const INPUT_REF = /the `([a-z][a-z0-9-]*)` input/g;
/** How an input opens a message about its own value (`input 'shard': expected i/n`). */
const INPUT_PREFIX = /input '([a-z][a-z0-9-]*)'/g;

/**
 * A message written for an action, as the command line says it: every {@link inputRef}, and
 * every `input 'name'` that opens a problem with an input's value, becomes the option of the same
 * name.
 *
 * @example
 * forCommandLine("point evaluation.data (or the `data` input) at a file with rows");
 * // "point evaluation.data (or `--data`) at a file with rows"
 * forCommandLine("input 'shard': expected i/n, got '5/3'"); // "--shard: expected i/n, got '5/3'"
 */
export function forCommandLine(message: string): string {
  return message.replace(INPUT_REF, "`--$1`").replace(INPUT_PREFIX, "--$1");
}
