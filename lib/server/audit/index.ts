export { recordAudit, toAuditInsert, newAuditId, auditIdFloor, type AuditInput } from "./record-audit";
export { listAudit } from "./list-audit";
export { auditDetailText, parseAuditDetail, MAX_DETAIL_CHARS } from "./audit-detail";
export { audited } from "./audit-result";
