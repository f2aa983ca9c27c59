import "server-only";
import { AppError, ErrorCode } from "../errors";

/**
 * Time travel needs a run's full step history; retention's compaction keeps only the last checkpoint
 * of runs finished longer ago than AURA_COMPACT_AFTER_HOURS. Say so plainly (410) instead of showing
 * a one-step history or "checkpoint not found".
 */
export function assertHistoryNotCompacted(run: { id: string; compactedAt: Date | null }): void {
  if (!run.compactedAt) return;
  throw new AppError(
    ErrorCode.RUN_HISTORY_COMPACTED,
    `The step history of run "${run.id}" was compacted on ${run.compactedAt.toISOString()} (retention keeps only the last checkpoint of older finished runs), so time travel and fork are no longer available for it. Its events, result and per-node outputs are kept, and resume or retry from the failed node still work.`,
  );
}
