/**
 * Members and tokens for authorization tests, made through the public API only (the owner's
 * bootstrap token → an invitation → the invitee creates an account → their session makes a token).
 */
import { expect } from "vitest";
import { body, req } from "./api-harness";
import * as invitations from "@/app/api/invitations/route";
import * as accessLink from "@/app/api/access-links/[token]/route";
import * as tokens from "@/app/api/tokens/route";
import * as workspaces from "@/app/api/workspaces/route";
import * as members from "@/app/api/members/route";
import * as member from "@/app/api/members/[userId]/route";

/** The cookies a response sets, as a Cookie header. */
export const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** A new account that joined the owner's workspace with `role`; returns its session cookie. */
export async function joinAs(role: "viewer" | "editor" | "admin", email: string): Promise<string> {
  const invite = await body(await invitations.POST(req("/api/invitations", { json: { role } })));
  const secret = String(invite.url).split("/invite/")[1];
  const joined = await accessLink.POST(req(`/api/access-links/${secret}`, { json: { email, password: "a-long-password-1" }, token: null }), {
    params: Promise.resolve({ token: secret }),
  });
  expect(joined.status, await joined.clone().text()).toBe(200);
  return cookiesOf(joined);
}

/** An API token made by the signed-in browser with `cookie`. */
export async function tokenFor(cookie: string, name: string): Promise<string> {
  const res = await tokens.POST(req("/api/tokens", { json: { name }, token: null, headers: { cookie } }));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await body(res)).token as string;
}

/**
 * Someone who is not in the owner's workspace: they joined as a viewer (to get an account), created
 * a workspace of their own, made a token there, and were then removed from the owner's workspace.
 */
export async function outsider(email: string): Promise<{ token: string; workspaceId: string }> {
  const cookie = await joinAs("viewer", email);
  const created = await workspaces.POST(req("/api/workspaces", { json: { name: `${email}'s workspace` }, token: null, headers: { cookie } }));
  expect(created.status).toBe(201);
  const ws = await body(created);
  const token = await tokenFor(`${cookie.replace(/aura-workspace=[^;]*/, "")}; ${cookiesOf(created)}`, "outsider token");
  const list = (await body(await members.GET(req("/api/members")))).members as { userId: string; email: string }[];
  const me = list.find((m) => m.email === email)!;
  expect((await member.DELETE(req(`/api/members/${me.userId}`, { method: "DELETE" }), { params: Promise.resolve({ userId: me.userId }) })).status).toBe(204);
  return { token, workspaceId: ws.id as string };
}
