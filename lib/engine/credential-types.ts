// The credential shapes host and engine share (a file of their own: services.ts needs them, and
// credentials.ts needs services.ts).

/**
 * A workspace credential, decrypted, as the host hands it to the node that uses it. The engine never
 * stores it: the executor uses it for one call, and its secret values are registered with the run so
 * every event and the outcome are masked (redact.ts).
 */
export type ResolvedCredential =
  | { type: "openai" | "anthropic"; name: string; apiKey: string; baseUrl?: string }
  | { type: "http-bearer"; name: string; token: string }
  | { type: "http-basic"; name: string; username: string; password: string }
  | { type: "http-header"; name: string; headerName: string; value: string };

/** How the engine asks its host for a credential (the server: the workspace's Credential rows). */
export interface CredentialService {
  /** The credential with this id in the run's workspace, decrypted; null when there is none. */
  resolve(credentialId: string): Promise<ResolvedCredential | null>;
}
