import "server-only";
import type { AuditAction, AuditActor } from "@/lib/contracts/audit-api";
import { recordAudit } from "./record-audit";

/**
 * Records `action` on a target and hands `result` back, so a use-case audits in one line:
 * `return audited(ws, "workflow.saved", actor, { type: "workflow", id }, await save(…), (d) => ({ version: d.version }))`.
 * Only reached when the use-case succeeded (a refused change is not an event of the log).
 */
export async function audited<T>(
  workspaceId: string | null,
  action: AuditAction,
  actor: AuditActor | null | undefined,
  target: { type: string; id: string },
  result: T,
  detail?: (result: T) => Record<string, unknown>,
): Promise<T> {
  let specifics: Record<string, unknown> | undefined;
  try {
    specifics = detail?.(result);
  } catch (err) {
    specifics = { detailError: (err as Error).message }; // the change happened; the entry still gets written
  }
  await recordAudit({ workspaceId, action, actor, target, detail: specifics });
  return result;
}
