// The Socket.IO half of the authorization matrix: a real Socket.IO server authenticated exactly as
// server.ts does it (gate.ts socketWorkspace: session cookie, or a bearer token in `auth`), tried as
// anonymous, a forged token, viewer, editor, admin, owner and the owner of another workspace, on every
// client-to-server event. Members come from the public API (test/members-harness.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { REALTIME_PATH, type RealtimeAck } from "@/lib/contracts/protocol";
import { InMemoryRunEventSource } from "@/lib/contracts/run-event-source";
import { startTestServer, makeEvents, type TestServer } from "@/lib/realtime/testing/harness";
import { TEST_OWNER, req, useTestDatabase } from "@/test/api-harness";
import { cookiesOf, joinAs, outsider, tokenFor } from "@/test/members-harness";
import { socketWorkspace } from "./gate";
import { attachWorkspaceFeed } from "@/lib/realtime/workspace-feed";
import * as signIn from "@/app/api/auth/sign-in/route";

const WS_A = "ws_default";

describe("Socket.IO authorization", () => {
  useTestDatabase("sqlite");
  let server: TestServer;
  const source = new InMemoryRunEventSource();
  const who: Record<string, { token?: string; cookie?: string }> = {};
  let workspaceB = "";
  let nextSeq = 3;

  beforeAll(async () => {
    server = await startTestServer({ source, authenticate: (hs) => socketWorkspace(hs) });
    attachWorkspaceFeed(server.io, { source, log: () => {} });
    who.owner = { token: TEST_OWNER.token };
    for (const role of ["viewer", "editor", "admin"] as const) who[role] = { token: await tokenFor(await joinAs(role, `${role}@sock.test`), role) };
    const b = await outsider("outsider@sock.test");
    who.outsider = { token: b.token };
    workspaceB = b.workspaceId;
    const signedIn = await signIn.POST(req("/api/auth/sign-in", { json: { email: TEST_OWNER.email, password: TEST_OWNER.password }, token: null }));
    who.ownerCookie = { cookie: cookiesOf(signedIn) };
    source.addRun("run_a", { workspaceId: WS_A, workflowId: "wf_a" });
    source.addRun("run_b", { workspaceId: workspaceB, workflowId: "wf_b" });
    source.append(makeEvents("run_a", 0, 2));
    source.append(makeEvents("run_b", 0, 2));
  }, 60_000);
  afterAll(async () => server?.close());

  function open(auth: { token?: string; cookie?: string }): Promise<{ socket: Socket; error?: string }> {
    const socket = connect(server.url, {
      path: REALTIME_PATH,
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : {},
    });
    return new Promise((resolve) => {
      socket.on("connect", () => resolve({ socket }));
      socket.on("connect_error", (err) => resolve({ socket, error: err.message }));
    });
  }
  const ask = (socket: Socket, event: string, payload: unknown) =>
    new Promise<RealtimeAck>((resolve) => socket.emit(event, payload, (res: RealtimeAck) => resolve(res)));

  it.each([
    ["anonymous", {}],
    ["a forged token", { token: "aura_forged-token-that-is-long-enough-000" }],
    ["a garbage cookie", { cookie: "aura.session_token=forged.value" }],
  ])("refuses the handshake of %s", async (_name, auth) => {
    const { socket, error } = await open(auth);
    expect(error).toBe("UNAUTHORIZED");
    socket.close();
  });

  it.each(["viewer", "editor", "admin", "owner", "ownerCookie"])("a %s of workspace A may follow A's runs, workflows and feed", async (name) => {
    const { socket, error } = await open(who[name]);
    expect(error).toBeUndefined();
    const events: number[] = [];
    socket.on("run:events", (m: { events: { seq: number }[] }) => events.push(...m.events.map((e) => e.seq)));
    expect(await ask(socket, "run:subscribe", { runId: "run_a", afterSeq: -1 })).toEqual({ ok: true });
    expect(await ask(socket, "workflow:subscribe", { workflowId: "wf_a" })).toEqual({ ok: true });
    expect(await ask(socket, "workspace:subscribe", {})).toEqual({ ok: true });
    await expect.poll(() => events).toEqual([0, 1, 2]);
    socket.close();
  });

  it.each(["viewer", "owner", "outsider"])("a %s never reaches another workspace's run or workflow", async (name) => {
    const { socket } = await open(who[name]);
    const seen: string[] = [];
    socket.on("run:events", (m: { runId: string }) => seen.push(m.runId));
    const [otherRun, otherWorkflow] = name === "outsider" ? ["run_a", "wf_a"] : ["run_b", "wf_b"];
    const run = await ask(socket, "run:subscribe", { runId: otherRun, afterSeq: -1 });
    expect(run.ok).toBe(false);
    const wf = await ask(socket, "workflow:subscribe", { workflowId: otherWorkflow });
    expect(wf.ok).toBe(false);
    const seq = nextSeq++;
    server.emit(makeEvents(otherRun, seq, seq));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    socket.close();
  });
});
