import { describe, expect, it } from "vitest";
import { isOpenPage, safeNextPath, signInPath } from "./auth-paths";

describe("safeNextPath", () => {
  it("follows same-site paths with their query and hash", () => {
    expect(safeNextPath("/workflows/abc")).toBe("/workflows/abc");
    expect(safeNextPath("/runs?status=failed#top")).toBe("/runs?status=failed#top");
    expect(safeNextPath("/")).toBe("/");
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["absolute URL", "https://evil.example/x"],
    ["protocol-relative", "//evil.example/x"],
    ["backslash trick", "/\\evil.example"],
    ["javascript URL", "javascript:alert(1)"],
    ["relative without slash", "workflows/abc"],
    ["tab inside", "/\t/evil.example"],
    ["newline inside", "/x\n"],
    ["too long", "/" + "a".repeat(2100)],
  ])("falls back to / for %s", (_name, raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });

  it("does not send the user back to the sign-in or setup page (no loop), but back to an invitation", () => {
    expect(safeNextPath("/sign-in?next=/runs")).toBe("/");
    expect(safeNextPath("/setup")).toBe("/");
    expect(safeNextPath("/invite/abc")).toBe("/invite/abc");
  });

  it("normalizes dot segments so they cannot climb out", () => {
    expect(safeNextPath("/a/../runs")).toBe("/runs");
  });
});

describe("isOpenPage", () => {
  it("knows the open pages and nothing else", () => {
    expect(isOpenPage("/sign-in")).toBe(true);
    expect(isOpenPage("/setup")).toBe(true);
    expect(isOpenPage("/invite/abc")).toBe(true);
    expect(isOpenPage("/reset/abc/")).toBe(true);
    expect(isOpenPage("/invite")).toBe(false);
    expect(isOpenPage("/invite/abc/more")).toBe(false);
    expect(isOpenPage("/settings")).toBe(false);
    expect(isOpenPage("/")).toBe(false);
  });
});

describe("signInPath", () => {
  it("carries the current page as next, and drops unsafe or trivial ones", () => {
    expect(signInPath("/workflows/w1?x=1")).toBe("/sign-in?next=%2Fworkflows%2Fw1%3Fx%3D1");
    expect(signInPath("/")).toBe("/sign-in");
    expect(signInPath("//evil.example")).toBe("/sign-in");
  });
});
