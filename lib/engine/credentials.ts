import { EngineError, EngineErrorCode } from "./errors";
import { runContext } from "./run-context";
import type { EngineServices } from "./services";
import type { ResolvedCredential } from "./credential-types";

export type { CredentialService, ResolvedCredential } from "./credential-types";

/** Every form in which a credential's secret could show up in what a run produces. */
export function secretValuesOf(c: ResolvedCredential): string[] {
  switch (c.type) {
    case "openai":
    case "anthropic":
      return [c.apiKey];
    case "http-bearer":
      return [c.token];
    case "http-basic": {
      const pair = `${c.username}:${c.password}`;
      return [c.password, pair, Buffer.from(pair).toString("base64")];
    }
    case "http-header":
      return [c.value];
  }
}

/**
 * Fetches a credential for a node of run `runId` and registers its secret values with the run, so
 * nothing the run emits carries them. Throws CREDENTIAL_NOT_FOUND / _UNAVAILABLE / _TYPE_MISMATCH
 * with messages that name the credential by id or name, never by secret.
 */
export async function useCredential<T extends ResolvedCredential["type"]>(
  services: EngineServices,
  runId: string,
  credentialId: string,
  allowed: readonly T[],
): Promise<Extract<ResolvedCredential, { type: T }>> {
  if (!services.credentials)
    throw new EngineError(
      EngineErrorCode.CREDENTIAL_UNAVAILABLE,
      `This node uses credential ${credentialId}, but credentials are only available in the server; here, set the provider's environment keys instead.`,
    );
  let found: ResolvedCredential | null;
  try {
    found = await services.credentials.resolve(credentialId);
  } catch (err) {
    throw new EngineError(EngineErrorCode.CREDENTIAL_UNAVAILABLE, `Credential ${credentialId} could not be read: ${(err as Error).message}`);
  }
  if (!found)
    throw new EngineError(
      EngineErrorCode.CREDENTIAL_NOT_FOUND,
      `Credential ${credentialId} does not exist in this workspace (deleted?); pick another one on the node.`,
    );
  runContext(runId)?.secrets.add(...secretValuesOf(found));
  if (!(allowed as readonly string[]).includes(found.type))
    throw new EngineError(
      EngineErrorCode.CREDENTIAL_TYPE_MISMATCH,
      `Credential "${found.name}" is a ${found.type} credential; this node needs one of: ${allowed.join(", ")}.`,
    );
  return found as Extract<ResolvedCredential, { type: T }>;
}
