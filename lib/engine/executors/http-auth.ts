import type { NodeConfigOf } from "../../workflow";
import { useCredential } from "../credentials";
import type { ExecContext } from "./types";

/**
 * The header an HTTP request node's credential adds (`auth.credentialId`): `Authorization: Bearer`,
 * `Authorization: Basic`, or the credential's own header. Undefined when the node has none. Its
 * secret values are registered with the run, so the response and errors are masked (mask-secrets.ts).
 */
export async function httpAuthHeader(ctx: ExecContext<NodeConfigOf<"http-request">>): Promise<[name: string, value: string] | undefined> {
  const id = ctx.config.auth?.credentialId;
  if (!id) return undefined;
  const c = await useCredential(ctx.services, ctx.runId, id, ["http-bearer", "http-basic", "http-header"]);
  switch (c.type) {
    case "http-bearer":
      return ["authorization", `Bearer ${c.token}`];
    case "http-basic":
      return ["authorization", `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`];
    case "http-header":
      return [c.headerName, c.value];
  }
}
