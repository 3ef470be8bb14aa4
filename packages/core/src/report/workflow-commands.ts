/**
 * Makes text safe to print in a GitHub Actions job: no line of it can be read by the runner as a
 * workflow command. The runner takes any output line that starts, after whitespace, with `::`
 * (`::set-output`, `::add-mask`, `::stop-commands`) or the older `##[`; a file name or value
 * holding a newline followed by `::` would otherwise inject one. A word joiner (U+2060, which the
 * runner does not trim) goes after the first character of such a line; the text reads the same.
 * The start of `text` counts as a line start, since a chunk may begin one.
 *
 * @example
 * neutralizeWorkflowCommands("error: data/x\n::set-output name=passed::true.csv does not exist\n");
 * // "error: data/x\n:\u2060:set-output name=passed::true.csv does not exist\n"
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text.replace(/(^|\n)(\s*)(::|##\[)/g, (_match, lineBreak: string, space: string, start: string) => {
    return `${lineBreak}${space}${start[0]}\u2060${start.slice(1)}`;
  });
}
