import { describe, expect, it } from "vitest";
import { createFakeClock } from "./fake-clock";
import { Leases, type LeasedRun, type LeaseStore, type SweepHost } from "./leases";

const LEASE_MS = 30_000;
const HOST = "host-a";
const PID = 100;

/** An in-memory LeaseStore with the database's conditional semantics (take only a free, expired, own or dead owner's lease). */
function memoryStore(clock: { now(): number }, rows: LeasedRun[]) {
  const byId = new Map(rows.map((r) => [r.id, { ...r }]));
  const store: LeaseStore = {
    async renewLeases(ids, owner, expiresAt) {
      for (const id of ids) {
        const r = byId.get(id);
        if (r?.leaseOwner === owner) r.leaseExpiresAt = expiresAt;
      }
    },
    async runStatuses(ids) {
      return new Map(ids.filter((id) => byId.has(id)).map((id) => [id, byId.get(id)!.status]));
    },
    async listUnfinishedRuns() {
      return [...byId.values()].filter((r) => r.status === "queued" || r.status === "running").map((r) => ({ ...r }));
    },
    async takeLease(id, owner, expiresAt, deadOwners) {
      const r = byId.get(id);
      if (!r) return false;
      const free =
        !r.leaseOwner || (r.leaseExpiresAt && r.leaseExpiresAt.getTime() < clock.now()) || r.leaseOwner === owner || deadOwners.includes(r.leaseOwner);
      if (!free) return false;
      r.leaseOwner = owner;
      r.leaseExpiresAt = expiresAt;
      return true;
    },
  };
  return { store, row: (id: string) => byId.get(id)! };
}

function host(): SweepHost & { queued: string[]; cancelled: string[]; heldSet: Set<string>; activeIds: string[] } {
  const heldSet = new Set<string>();
  const h = {
    heldSet,
    activeIds: [] as string[],
    queued: [] as string[],
    cancelled: [] as string[],
    held: () => heldSet,
    active: () => h.activeIds,
    cancelActive: (id: string) => void h.cancelled.push(id),
    enqueue: async (run: LeasedRun) => {
      heldSet.add(run.id);
      h.queued.push(run.id);
    },
    closing: () => false,
  };
  return h;
}

const run = (id: string, leaseOwner: string | null, leaseExpiresAt: number | null, status = "running"): LeasedRun => ({
  id,
  workflowId: "wf",
  workflowVersion: 1,
  status,
  leaseOwner,
  leaseExpiresAt: leaseExpiresAt == null ? null : new Date(leaseExpiresAt),
});

describe("Leases", () => {
  it("names its owner host:pid:nonce and leases for leaseMs from the clock", () => {
    const clock = createFakeClock(1_000_000);
    const leases = new Leases(memoryStore(clock, []).store, clock, LEASE_MS, "n1", HOST, PID);
    expect(leases.owner).toBe("host-a:100:n1");
    expect(leases.expiry().getTime()).toBe(1_000_000 + LEASE_MS);
  });

  it("calls an owner dead only on this host: an earlier manager of this pid, or a pid that is gone", () => {
    const clock = createFakeClock();
    const alive = new Set([200]);
    const leases = new Leases(memoryStore(clock, []).store, clock, LEASE_MS, "n1", HOST, PID, (pid) => alive.has(pid));
    expect(leases.isDeadOwner("host-a:100:n1")).toBe(false); // ourselves
    expect(leases.isDeadOwner("host-a:100:old")).toBe(true); // a manager this process closed
    expect(leases.isDeadOwner("host-a:200:x")).toBe(false);
    expect(leases.isDeadOwner("host-a:300:x")).toBe(true);
    expect(leases.isDeadOwner("host-b:300:x")).toBe(false); // another machine: only expiry frees it
  });

  it("takes over runs whose lease expired, was never set, or whose owner died; leaves live leases alone", async () => {
    const clock = createFakeClock(1_000_000);
    const now = clock.now();
    const { store, row } = memoryStore(clock, [
      run("expired", "host-b:1:x", now - 1),
      run("unowned", null, null, "queued"),
      run("dead", "host-a:300:x", now + LEASE_MS),
      run("live", "host-b:1:x", now + 5_000),
      run("done", null, null, "succeeded"),
    ]);
    const leases = new Leases(store, clock, LEASE_MS, "n1", HOST, PID, () => false);
    const h = host();
    const taken: string[] = [];
    expect(await leases.sweep(h, (r) => taken.push(r.id))).toEqual({ taken: 3, now });
    expect(h.queued).toEqual(["expired", "unowned", "dead"]);
    expect(taken).toEqual(h.queued);
    expect(row("expired").leaseOwner).toBe(leases.owner);
    expect(row("expired").leaseExpiresAt!.getTime()).toBe(now + LEASE_MS);
    expect(row("live").leaseOwner).toBe("host-b:1:x");
    // The live lease frees up once it expires (another server stopped renewing it).
    await clock.advance(5_001);
    expect((await leases.sweep(h)).taken).toBe(1);
    expect(h.queued).toEqual(["expired", "unowned", "dead", "live"]);
  });

  it("renews the leases it holds, so another server never sees them expire while this one lives", async () => {
    const clock = createFakeClock(1_000_000);
    const { store, row } = memoryStore(clock, [run("mine", null, null, "queued")]);
    const leases = new Leases(store, clock, LEASE_MS, "n1", HOST, PID);
    const other = new Leases(store, clock, LEASE_MS, "n2", "host-b", 7);
    const h = host();
    await leases.sweep(h);
    expect(h.queued).toEqual(["mine"]);
    // A sweep every third of the lease keeps it ahead of the clock.
    for (let i = 0; i < 6; i++) {
      await clock.advance(LEASE_MS / 3);
      await leases.sweep(h);
      expect(row("mine").leaseExpiresAt!.getTime()).toBe(clock.now() + LEASE_MS);
      expect((await other.sweep(host())).taken).toBe(0);
    }
    // This process stops renewing (it died): the other takes the run once the lease has run out.
    await clock.advance(LEASE_MS + 1);
    const h2 = host();
    expect((await other.sweep(h2)).taken).toBe(1);
    expect(row("mine").leaseOwner).toBe(other.owner);
  });

  it("stops runs executing here that another process marked cancelled", async () => {
    const clock = createFakeClock();
    const { store } = memoryStore(clock, [run("a", "host-a:100:n1", clock.now() + LEASE_MS, "cancelled"), run("b", "host-a:100:n1", clock.now() + LEASE_MS)]);
    const leases = new Leases(store, clock, LEASE_MS, "n1", HOST, PID);
    const h = host();
    h.heldSet.add("a").add("b");
    h.activeIds = ["a", "b"];
    expect((await leases.sweep(h)).taken).toBe(0);
    expect(h.cancelled).toEqual(["a"]);
  });

  it("takes nothing while closing", async () => {
    const clock = createFakeClock();
    const { store } = memoryStore(clock, [run("a", null, null, "queued")]);
    const leases = new Leases(store, clock, LEASE_MS, "n1", HOST, PID);
    const h = { ...host(), closing: () => true };
    expect((await leases.sweep(h)).taken).toBe(0);
  });
});
