/**
 * Process-wide values on globalThis, one `Symbol.for("aura.<name>")` key each. Next.js route handlers,
 * the custom server (server.ts) and dev hot reloads load separate copies of a module, so a module-level
 * variable would exist once per bundle; a registered symbol on globalThis exists once per process
 * (per worker thread) and cannot clash with another library's string key.
 */

const slots = globalThis as unknown as Record<symbol, unknown>;

/** The global key of a process-wide value (exported for tests). */
export const processKey = (name: string): symbol => Symbol.for(`aura.${name}`);

/** The process-wide value `name`, created by `create` on first use. */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = processKey(name);
  if (!(key in slots)) slots[key] = create();
  return slots[key] as T;
}

/** A process-wide slot that is set and cleared explicitly (a server handle, a test override). */
export function processSlot<T>(name: string): { get(): T | undefined; set(value: T | undefined): void } {
  const key = processKey(name);
  return {
    get: () => slots[key] as T | undefined,
    set: (value) => {
      if (value === undefined) delete slots[key];
      else slots[key] = value;
    },
  };
}
