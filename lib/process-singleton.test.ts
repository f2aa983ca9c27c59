import { afterEach, describe, expect, it } from "vitest";
import { processKey, processSingleton, processSlot } from "./process-singleton";

const g = globalThis as unknown as Record<symbol, unknown>;
afterEach(() => {
  delete g[processKey("test.singleton")];
  delete g[processKey("test.slot")];
});

describe("processSingleton", () => {
  it("creates the value once and keeps it under Symbol.for('aura.<name>')", () => {
    let made = 0;
    const a = processSingleton("test.singleton", () => ({ n: ++made }));
    const b = processSingleton("test.singleton", () => ({ n: ++made }));
    expect(a).toBe(b);
    expect(made).toBe(1);
    // Another bundle's copy of the helper finds the same value through the registered symbol.
    expect(g[Symbol.for("aura.test.singleton")]).toBe(a);
  });

  it("keeps a created falsy value instead of creating it again", () => {
    let made = 0;
    processSingleton("test.singleton", () => (made++, 0));
    expect(processSingleton("test.singleton", () => (made++, 1))).toBe(0);
    expect(made).toBe(1);
  });
});

describe("processSlot", () => {
  it("sets, reads and clears a value", () => {
    const slot = processSlot<string>("test.slot");
    expect(slot.get()).toBeUndefined();
    slot.set("x");
    expect(processSlot<string>("test.slot").get()).toBe("x");
    slot.set(undefined);
    expect(slot.get()).toBeUndefined();
    expect(Object.getOwnPropertySymbols(globalThis)).not.toContain(processKey("test.slot"));
  });
});
