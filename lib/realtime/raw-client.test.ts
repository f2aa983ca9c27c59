import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { makeEvents, sleep, startTestServer, waitFor, type TestServer } from "./testing/harness";

const childScript = fileURLToPath(new URL("./testing/raw-client.mjs", import.meta.url));
let server: TestServer | null = null;
let child: ChildProcess | null = null;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill();
  child = null;
  await server?.close();
  server = null;
});

describe("realtime server with a separate Node process as a raw socket.io-client", () => {
  it("delivers 10,000 events in order and exactly once across a forced disconnect", async () => {
    const total = 10_000;
    server = await startTestServer();
    server.source.addRun("run-10k", { workspaceId: "ws_default", workflowId: "w1" });
    const messages: Record<string, unknown>[] = [];
    child = fork(childScript, [server.url, "run-10k", String(total)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.on("message", (m) => messages.push(m as Record<string, unknown>));
    await waitFor(() => messages.some((m) => m.type === "subscribed"), 15_000, "child subscribed");

    // Persist + publish 10,000 events in chunks; halfway, kill the connection under the server socket.
    let disconnectedAt = -1;
    for (let from = 1; from <= total; from += 100) {
      server.emit(makeEvents("run-10k", from, from + 99));
      if (from + 99 === total / 2) {
        for (const s of server.io.sockets.sockets.values()) s.conn.close();
        disconnectedAt = from + 99;
      }
      await sleep(4);
    }
    await waitFor(() => messages.some((m) => m.type === "done"), 30_000, "child done");
    const done = messages.find((m) => m.type === "done")!;
    const disconnect = messages.find((m) => m.type === "disconnected");
    const resubscribe = messages.filter((m) => m.type === "subscribed");

    expect(disconnectedAt).toBe(total / 2);
    expect(messages.find((m) => m.type === "error")).toBeUndefined();
    // The disconnect really happened mid-stream: some but not all events had arrived.
    expect(disconnect).toBeDefined();
    expect(disconnect!.received as number).toBeGreaterThan(0);
    expect(disconnect!.received as number).toBeLessThan(total);
    expect(resubscribe.length).toBe(2);
    expect(resubscribe[1].afterSeq as number).toBeGreaterThan(0);
    expect(done).toMatchObject({ count: total, duplicates: 0, outOfOrder: 0, missing: 0, exact: true, connects: 2, disconnects: 1 });
  });
});
