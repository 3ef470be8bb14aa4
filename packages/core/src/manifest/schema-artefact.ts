import * as z from "zod";
import { columnName, sha256, strictObject, withFix } from "./schema-helpers.js";

const classValue = z.union([z.string(), z.number()]);

/** Where the model file is, how data columns feed its inputs and how its outputs are read. */
export const artefactSchema = strictObject({
  path: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Repo-relative path of the ONNX file (or use `uri` + `sha256`); with `evaluation.predictions`, any file (pickle, container digest, archive), verified by its SHA-256 only.",
    ),
  uri: z
    .string()
    .min(1)
    .optional()
    .describe("Where an earlier step fetched the ONNX file from; requires `sha256`."),
  sha256: sha256.optional().describe("SHA-256 of the file, verified before evaluation and promotion."),
  inputs: z
    .union([
      z.literal("auto"),
      z.record(z.string().min(1), z.union([columnName, z.array(columnName).min(1)]).describe("Column(s)")),
    ])
    .default("auto")
    .describe(
      "Model input name -> the column that feeds it (an `[N]` tensor) or a list of columns (an `[N, k]` tensor); " +
        "`auto` = every model input is the column of the same name.",
    ),
  outputs: strictObject({
    probabilities: z
      .string()
      .min(1)
      .optional()
      .describe("Output holding class probabilities, `[N, C]` or `[N]`."),
    label: z.string().min(1).optional().describe("Output holding the predicted label."),
    value: z.string().min(1).optional().describe("Output holding the predicted value (regression)."),
  })
    .default({})
    .describe("Model output names to read; none with `evaluation.predictions`, where no model is run."),
  classes: z.array(classValue).min(2).optional().describe("Class values in output order (classification)."),
  positive: classValue.optional().describe("The positive class; binary only, one of `classes`."),
}).describe("The model file and its signature.");

const fileReference = strictObject({
  path: z.string().min(1).optional().describe("Repo-relative path."),
  uri: z.string().min(1).optional().describe("Location outside the repository."),
  sha256: sha256.optional().describe("SHA-256 of the file."),
});

/** How the model was made, recorded in the model card. */
export const provenanceSchema = strictObject({
  "training-data": fileReference.optional().describe("The data the model was trained on."),
  code: z.string().min(1).optional().describe("The training code (path or URL)."),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, withFix("expected a git commit SHA", "write 7 to 40 lowercase hex digits"))
    .optional()
    .describe("Commit of the training code."),
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe("Hyper-parameters, name -> value."),
}).describe("How the model was made; recorded in the model card.");
