import { getQuickJS, type QuickJSWASMModule } from "quickjs-emscripten";
import { EngineError, EngineErrorCode } from "../errors";
import { publicState } from "../state";
import type { ExecutorFor } from "./types";

let modulePromise: Promise<QuickJSWASMModule> | undefined;
const quickjs = () => (modulePromise ??= getQuickJS());

/**
 * Runs `code` as the body of `function (state) { … }` inside QuickJS (WebAssembly): a fresh runtime per
 * call with a memory limit and a deadline, no require/process/fs/fetch — only the language itself and a
 * `console` whose lines are returned. The state goes in and the result comes out as JSON.
 */
export async function runSandboxed(
  code: string,
  state: Record<string, unknown>,
  limits: { timeoutMs: number; memoryLimitMb: number; signal?: AbortSignal },
): Promise<{ value: unknown; logs: string[] }> {
  const QuickJS = await quickjs();
  const deadline = Date.now() + limits.timeoutMs;
  let timedOut = false;
  const runtime = QuickJS.newRuntime({
    memoryLimitBytes: limits.memoryLimitMb * 1024 * 1024,
    maxStackSizeBytes: 512 * 1024,
    interruptHandler: () => {
      if (Date.now() > deadline) timedOut = true;
      return timedOut || !!limits.signal?.aborted;
    },
  });
  const vm = runtime.newContext();
  const logs: string[] = [];
  try {
    const consoleObj = vm.newObject();
    const log = vm.newFunction("log", (...args) => {
      if (logs.length < 100)
        logs.push(
          args
            .map((a) => {
              const v: unknown = vm.dump(a);
              return typeof v === "string" ? v : JSON.stringify(v);
            })
            .join(" ")
            .slice(0, 2000),
        );
    });
    for (const name of ["log", "info", "warn", "error"]) vm.setProp(consoleObj, name, log);
    vm.setProp(vm.global, "console", consoleObj);
    log.dispose();
    consoleObj.dispose();
    const stateJson = vm.newString(JSON.stringify(state));
    vm.setProp(vm.global, "__aura_state_json", stateJson);
    stateJson.dispose();
    const source = `(function () { const __r = (function (state) { "use strict";\n${code}\n})(JSON.parse(__aura_state_json)); return __r === undefined ? undefined : JSON.stringify(__r); })()`;
    const result = vm.evalCode(source, "transform.js");
    if (result.error) {
      const err = vm.dump(result.error) as { name?: string; message?: string } | string;
      result.error.dispose();
      const message = typeof err === "string" ? err : `${err?.name ?? "Error"}: ${err?.message ?? ""}`;
      if (timedOut) throw new EngineError(EngineErrorCode.JS_TIMEOUT, `The code ran longer than its ${limits.timeoutMs} ms limit.`);
      if (limits.signal?.aborted) throw limits.signal.reason;
      if (/out of memory/i.test(message))
        throw new EngineError(EngineErrorCode.JS_MEMORY, `The code used more than its ${limits.memoryLimitMb} MB memory limit.`);
      throw new EngineError(EngineErrorCode.JS_ERROR, message);
    }
    const json = vm.dump(result.value) as string | undefined;
    result.value.dispose();
    return { value: json === undefined ? null : JSON.parse(json), logs };
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

/** JavaScript transform: the code's return value becomes the node's result. */
export const jsTransform: ExecutorFor<"js-transform"> = () => async (ctx) => {
  const { value, logs } = await runSandboxed(ctx.config.code, publicState(ctx.state), {
    timeoutMs: ctx.config.timeoutMs,
    memoryLimitMb: ctx.config.memoryLimitMb,
    signal: ctx.signal,
  });
  return { value, ...(logs.length ? { detail: { logs } } : {}) };
};
