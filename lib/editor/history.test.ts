import { describe, expect, it } from "vitest";
import { COALESCE_MS, HISTORY_LIMIT, emptyHistory, record, redo, undo } from "./history";

describe("history", () => {
  it("undoes and redoes", () => {
    let h = emptyHistory<number>();
    h = record(h, 1);
    h = record(h, 2);
    const u = undo(h, 3)!;
    expect(u.present).toBe(2);
    const r = redo(u.history, u.present)!;
    expect(r.present).toBe(3);
    expect(undo(emptyHistory<number>(), 1)).toBeNull();
  });

  it("coalesces edits with the same key inside the window", () => {
    let h = emptyHistory<string>();
    h = record(h, "a", "field:x", 1000);
    h = record(h, "ab", "field:x", 1200);
    h = record(h, "abc", "field:x", 1400);
    expect(h.past).toEqual(["a"]);
    h = record(h, "abcd", "field:x", 1400 + COALESCE_MS + 1);
    expect(h.past).toEqual(["a", "abcd"]);
    h = record(h, "z", "field:y", 5000);
    expect(h.past.length).toBe(3);
  });

  it("is bounded and clears redo on a new edit", () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) h = record(h, i);
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(h.past[0]).toBe(20);
    const u = undo(h, 999)!;
    expect(u.history.future.length).toBe(1);
    expect(record(u.history, 5).future).toEqual([]);
  });
});
