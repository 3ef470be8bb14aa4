import * as z from "zod";
import { escapeMarkdown, inlineCode } from "./escape.js";

/**
 * What produced a model and its evaluation, as `evaluation.json` records it under `provenance`
 * and the model card shows it: the exact evaluation data (each file's SHA-256), how the ONNX file
 * was made (producer, IR version and opsets, from its own metadata; `null` when the scores were
 * supplied and no model was run), the runtimes the numbers were computed with, the training data
 * with whether its digest was checked against the file, and the training code and parameters.
 */
export const evaluationProvenanceSchema = z.object({
  evaluationData: z.object({
    files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() })),
  }),
  model: z
    .object({
      irVersion: z.number().nullable(),
      producer: z.string().nullable(),
      opsets: z.record(z.string(), z.number()),
    })
    .nullable(),
  runtime: z.object({ gauntlet: z.string(), node: z.string(), onnxruntime: z.string().nullable() }),
  trainingData: z
    .object({
      location: z.string(),
      sha256: z.string().nullable(),
      verified: z.enum(["verified", "not verified"]),
      /** Why it was not verified, or what was hashed. */
      reason: z.string(),
    })
    .nullable(),
  code: z.object({ path: z.string().nullable(), commit: z.string().nullable() }).nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
});

/** The `provenance` block of `evaluation.json`. */
export type EvaluationProvenance = z.output<typeof evaluationProvenanceSchema>;

/**
 * The provenance as Markdown list items for the model card (the training data's line, with its
 * verification, is the card's own), data-derived text escaped.
 *
 * @example
 * provenanceLines(provenance);
 * // ["- Evaluation data: `data/eval.csv` SHA-256 `4f2c…` (812345 bytes)", "- ONNX: produced by `skl2onnx 1.17.0`, IR 8, opsets `ai.onnx` 17, `ai.onnx.ml` 3", ...]
 */
export function provenanceLines(p: EvaluationProvenance): string[] {
  const text = (value: string) => escapeMarkdown(value, 200);
  const code = (value: string) => inlineCode(value.slice(0, 200));
  const lines = p.evaluationData.files.map(
    (f) => `- Evaluation data: ${code(f.path)} SHA-256 ${code(f.sha256)} (${f.bytes} bytes)`,
  );
  if (p.model) {
    const opsets = Object.entries(p.model.opsets)
      .map(([domain, version]) => `${code(domain === "" ? "ai.onnx" : domain)} ${version}`)
      .join(", ");
    lines.push(
      `- ONNX: produced by ${p.model.producer === null ? "an unnamed exporter" : code(p.model.producer)}` +
        `${p.model.irVersion === null ? "" : `, IR ${p.model.irVersion}`}${opsets ? `, opsets ${opsets}` : ""}`,
    );
  } else lines.push("- ONNX: none; the scores were supplied (`evaluation.predictions`)");
  lines.push(
    `- Evaluated with gauntlet ${text(p.runtime.gauntlet)}, Node ${text(p.runtime.node)}` +
      `${p.runtime.onnxruntime === null ? "" : `, onnxruntime ${text(p.runtime.onnxruntime)}`}`,
  );
  return lines;
}
