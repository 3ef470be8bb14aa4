export {
  type ContractValidator,
  type ContractValidatorOptions,
  createContractValidator,
  LISTED,
  validateSummary,
} from "./contract-validator.js";
export { kindsFromContract } from "./kinds-from-contract.js";
export {
  formatValue,
  type RenderValidationOptions,
  renderValidationSection,
} from "./render-validation.js";
export {
  type ColumnSummary,
  DISTINCT_CAP,
  type RowRef,
  type TableSummary,
  type Tally,
} from "./table-summary.js";
export {
  type ColumnProfile,
  VALIDATION_SCHEMA,
  type ValidationResult,
} from "./validation-result.js";
