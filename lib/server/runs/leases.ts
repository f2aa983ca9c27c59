import "server-only";
import os from "node:os";
import type { Database } from "@/lib/db/client";
import * as runsRepo from "@/lib/db/runs";
import type { Clock } from "./clock";

/** An unfinished run as recovery sees it. */
export interface LeasedRun {
  id: string;
  workflowId: string;
  workflowVersion: number;
  status: string;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
}

/** The lease queries a sweep makes (lib/db/runs over the app database; fakes in unit tests). */
export interface LeaseStore {
  renewLeases(ids: string[], owner: string, expiresAt: Date): Promise<void>;
  runStatuses(ids: string[]): Promise<Map<string, string>>;
  listUnfinishedRuns(): Promise<LeasedRun[]>;
  takeLease(id: string, owner: string, expiresAt: Date, deadOwners: string[]): Promise<boolean>;
}

/** The LeaseStore of a database. */
export function databaseLeaseStore(database: () => Promise<Database>): LeaseStore {
  return {
    renewLeases: async (ids, owner, expiresAt) => runsRepo.renewLeases(await database(), ids, owner, expiresAt),
    runStatuses: async (ids) => runsRepo.runStatuses(await database(), ids),
    listUnfinishedRuns: async () => runsRepo.listUnfinishedRuns(await database()),
    takeLease: async (id, owner, expiresAt, deadOwners) => runsRepo.takeLease(await database(), id, owner, expiresAt, deadOwners),
  };
}

/** What a sweep asks of the process that owns the leases. */
export interface SweepHost {
  /** Runs this process holds the lease of (queued or executing here); a live set. */
  held(): ReadonlySet<string>;
  /** Runs executing here. */
  active(): string[];
  cancelActive(runId: string, reason: string): void;
  /** Queues a run whose lease was just taken. */
  enqueue(run: LeasedRun): Promise<void>;
  closing(): boolean;
}

/** Whether a process is alive (signal 0); false only when it certainly is not (ESRCH). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The leases of one process (`host:pid:nonce`): how long they last, who is certainly dead, and the
 * sweep that renews ours and takes over the unfinished runs of owners that died or let theirs expire.
 */
export class Leases {
  readonly owner: string;

  constructor(
    private readonly store: LeaseStore,
    private readonly clock: Clock,
    readonly leaseMs: number,
    readonly nonce: string,
    private readonly host = os.hostname(),
    private readonly pid = process.pid,
    private readonly isPidAlive: (pid: number) => boolean = pidAlive,
  ) {
    this.owner = `${host}:${pid}:${nonce}`;
  }

  /** When a lease taken or renewed now expires. */
  expiry(): Date {
    return new Date(this.clock.now() + this.leaseMs);
  }

  /** True for a lease owner that is certainly gone: this host, and its pid is dead (or it is an earlier manager of this process). */
  isDeadOwner(owner: string): boolean {
    const [host, pidText, n] = owner.split(":");
    if (host !== this.host) return false;
    const pid = Number(pidText);
    if (pid === this.pid) return n !== this.nonce;
    return !this.isPidAlive(pid);
  }

  /**
   * Renews this process's leases, stops runs another process cancelled, and takes over unfinished
   * runs whose owner died or whose lease expired (oldest first). Returns how many it took, and the
   * time it judged expiry by.
   */
  async sweep(host: SweepHost, onTaken: (run: LeasedRun) => void = () => {}): Promise<{ taken: number; now: number }> {
    await this.store.renewLeases([...host.held()], this.owner, this.expiry());
    const statuses = await this.store.runStatuses(host.active());
    for (const [id, status] of statuses) if (status === "cancelled") host.cancelActive(id, "cancelled");
    let taken = 0;
    const now = this.clock.now();
    for (const row of await this.store.listUnfinishedRuns()) {
      if (host.held().has(row.id) || host.closing()) continue;
      const free = !row.leaseOwner || !row.leaseExpiresAt || row.leaseExpiresAt.getTime() < now || this.isDeadOwner(row.leaseOwner);
      if (!free) continue;
      if (!(await this.store.takeLease(row.id, this.owner, this.expiry(), row.leaseOwner ? [row.leaseOwner] : []))) continue;
      taken++;
      onTaken(row);
      await host.enqueue(row);
    }
    return { taken, now };
  }
}
