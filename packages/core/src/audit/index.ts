export {
  type AuditRelease,
  type AuditReleaseLookup,
  type AuditReport,
  auditFindings,
  renderAuditReport,
} from "./audit-report.js";
