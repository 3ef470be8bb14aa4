export { forCommandLine, inputRef } from "./input-ref.js";
export { formatUserError, isUserError, UserError, type UserErrorLocation } from "./user-error.js";
