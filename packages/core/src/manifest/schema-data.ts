import * as z from "zod";
import { DURATION_PATTERN } from "./duration.js";
import { columnName, strictObject, withFix } from "./schema-helpers.js";

const fraction = z.number().min(0).max(1);
const severity = z.enum(["error", "warn", "ignore"]);

const nullable = z.boolean().default(true).describe("Whether the column may hold nulls.");
const sensitive = z
  .boolean()
  .optional()
  .describe(
    "A personal or protected attribute: reports do not show rows' values (check-behaviour's examples are off).",
  );
const maxNullFraction = fraction
  .optional()
  .describe("Largest share of nulls allowed in this column (overrides the data-level limit).");

const numberColumn = strictObject({
  type: z.literal("number"),
  min: z.number().optional().describe("Smallest allowed value."),
  max: z.number().optional().describe("Largest allowed value."),
  nullable,
  "max-null-fraction": maxNullFraction,
  sensitive,
});

const categoryColumn = strictObject({
  type: z.literal("category"),
  values: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .optional()
    .describe("The allowed values (compared as text)."),
  unseen: severity
    .default("error")
    .describe("What a value outside `values` does: `error` fails, `warn` warns, `ignore` only counts."),
  nullable,
  "max-null-fraction": maxNullFraction,
  sensitive,
});

const timestampColumn = strictObject({
  type: z.literal("timestamp"),
  "max-age": z
    .string()
    .regex(
      DURATION_PATTERN,
      withFix("expected a duration such as 30d or 12h", "write a number and a unit (w, d, h, m, s)"),
    )
    .optional()
    .describe("The newest timestamp must be at most this old (`30d`, `12h`)."),
  nullable,
  "max-null-fraction": maxNullFraction,
  sensitive,
});

const booleanColumn = strictObject({
  type: z.literal("boolean"),
  nullable,
  "max-null-fraction": maxNullFraction,
  sensitive,
});

/** The contract for one column, by its declared type. */
export const columnContractSchema = z
  .discriminatedUnion("type", [numberColumn, categoryColumn, timestampColumn, booleanColumn], {
    error: (issue) =>
      issue.code === "invalid_union"
        ? withFix("expected type: number, category, timestamp or boolean", "set type: to one of them")
        : undefined,
  })
  .describe("Declared type (`number`, `category`, `timestamp`, `boolean`) and its limits.");

/** The data contract `validate-data` checks. */
export const dataContractSchema = strictObject({
  key: z
    .union([columnName, z.array(columnName).min(1)])
    .optional()
    .describe("Column (or columns) whose values must be unique and present in every row."),
  rows: strictObject({
    min: z.number().int().min(0).optional().describe("Fewest rows allowed."),
    max: z.number().int().min(0).optional().describe("Most rows allowed."),
  })
    .optional()
    .describe("Bounds on the number of rows."),
  "max-null-fraction": fraction
    .optional()
    .describe("Largest share of nulls allowed in any column (a column's own limit wins)."),
  "duplicate-rows": severity
    .default("warn")
    .describe("What fully identical rows do: `error` fails, `warn` warns, `ignore` only counts."),
  columns: z.record(columnName, columnContractSchema).default({}).describe("Declared columns by name."),
}).describe("The data contract checked by validate-data.");
