import type { BatchAssembler } from "./batch-assembler.js";
import type { FileContext, OpenedFile } from "./table-file.js";
import { readTextChunks } from "./text-chunks.js";

/**
 * Turns decoded text into rows of a {@link BatchAssembler}.
 *
 * @example
 * parser.push("id,age\n1,3"); // the record "1,3" waits: more text may follow
 * parser.end(); // now it is a row
 */
export interface TextParser {
  /** Parses the next chunk of text. */
  push(text: string): void;
  /** The file has ended: parse what is left and check the file was not empty. */
  end(): void;
}

/**
 * Opens a text data file: reads chunks into `parser` until `assembler` has its schema (the
 * header and type-inference sample), then streams the rest on demand, one chunk at a time, so
 * that no more than a chunk's worth of batches is ever waiting.
 *
 * @example
 * const assembler = new BatchAssembler(context);
 * const file = await openTextFile(context, new JsonlParser(context, assembler), assembler);
 */
export async function openTextFile(
  context: FileContext,
  parser: TextParser,
  assembler: BatchAssembler,
): Promise<OpenedFile> {
  const chunks = readTextChunks(context.path, context.display);
  let ended = false;
  const pull = async (): Promise<void> => {
    const next = await chunks.next();
    if (next.done) {
      parser.end();
      assembler.finish();
      ended = true;
    } else {
      parser.push(next.value);
    }
  };
  const close = async (): Promise<void> => {
    await chunks.return(undefined);
  };
  try {
    while (!assembler.hasSchema && !ended) await pull();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    schema: assembler.schema(),
    async *batches() {
      try {
        for (;;) {
          const ready = assembler.ready;
          assembler.ready = [];
          yield* ready;
          if (ended) return;
          await pull();
        }
      } finally {
        await close();
      }
    },
    close,
  };
}
