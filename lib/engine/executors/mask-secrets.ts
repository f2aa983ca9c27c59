import { EngineError } from "../errors";
import { runContext } from "../run-context";
import type { ExecResult, Executor } from "./types";

/**
 * Wraps an executor so that what it returns (value, writes, detail) and the message of what it throws
 * carry no secret value of a credential the run has used: masked before they reach the run state,
 * the checkpoints, a calling Agent's model or the events. A no-op until the run uses a credential.
 */
export function maskingSecrets<C>(run: Executor<C>): Executor<C> {
  return async (ctx) => {
    try {
      const result: ExecResult = await run(ctx);
      const secrets = runContext(ctx.runId)?.secrets;
      return secrets?.size ? secrets.redact(result) : result;
    } catch (err) {
      const secrets = runContext(ctx.runId)?.secrets;
      if (secrets?.size && err instanceof Error) {
        const message = secrets.redactText(err.message);
        if (message !== err.message) {
          if (err instanceof EngineError) throw new EngineError(err.code, message);
          err.message = message;
          err.stack = undefined;
        }
      }
      throw err;
    }
  };
}
