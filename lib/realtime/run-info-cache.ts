import { LRUCache } from "lru-cache";
import type { RunEventSource, RunInfo } from "../contracts/run-event-source";

/**
 * Where runs live (workspace, workflow), looked up once per run: runs never move, so an entry never
 * goes stale. Bounded by count (least recently used out first), since every run ever published would
 * otherwise stay in memory. Shared by run delivery and the workspace feed.
 */
export class RunInfoCache {
  private readonly infos: LRUCache<string, RunInfo>;

  constructor(
    private readonly source: Pick<RunEventSource, "runInfo">,
    max = 50_000,
  ) {
    this.infos = new LRUCache({ max });
  }

  /** The run's info when it was already looked up (no store query). */
  peek(runId: string): RunInfo | undefined {
    return this.infos.get(runId);
  }

  /** The run's info, from the store on a miss; null (and nothing cached) when there is no such run. */
  async lookup(runId: string): Promise<RunInfo | null> {
    const known = this.infos.get(runId);
    if (known) return known;
    const info = await this.source.runInfo(runId);
    if (info) this.infos.set(runId, info);
    return info;
  }
}
