import type { ApiError } from "@/lib/contracts";

/** An HTTP error from the Aura API, carrying the server's code, message and issue list. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: NonNullable<ApiError["error"]["issues"]> = [],
    readonly currentVersion?: number,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** fetch + JSON with the API's error shape turned into ApiRequestError (network failures too). */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (e) {
    throw new ApiRequestError(0, "NETWORK_ERROR", `Could not reach the server: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const err = (body as ApiError | undefined)?.error;
    throw new ApiRequestError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? (text.slice(0, 200) || res.statusText),
      err?.issues,
      err?.currentVersion,
    );
  }
  return body as T;
}
