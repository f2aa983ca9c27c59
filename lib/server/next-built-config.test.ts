import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NEXT_BUILT_CONFIG_ENV, useBuiltNextConfig } from "./next-built-config";

describe("useBuiltNextConfig", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-next-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hands Next the config the build serialised", () => {
    mkdirSync(path.join(dir, ".next"), { recursive: true });
    writeFileSync(path.join(dir, ".next", "required-server-files.json"), JSON.stringify({ version: 1, config: { poweredByHeader: false, distDir: ".next" } }));
    const env: Record<string, string | undefined> = {};
    expect(useBuiltNextConfig(dir, env)).toBe(true);
    expect(JSON.parse(env[NEXT_BUILT_CONFIG_ENV]!)).toEqual({ poweredByHeader: false, distDir: ".next" });
  });

  it("keeps a config already given", () => {
    const env: Record<string, string | undefined> = { [NEXT_BUILT_CONFIG_ENV]: '{"mine":true}' };
    expect(useBuiltNextConfig(dir, env)).toBe(false);
    expect(env[NEXT_BUILT_CONFIG_ENV]).toBe('{"mine":true}');
  });

  it("changes nothing without a build (Next then loads next.config.ts and says what is missing)", () => {
    const env: Record<string, string | undefined> = {};
    expect(useBuiltNextConfig(path.join(dir, "nowhere"), env)).toBe(false);
    writeFileSync(path.join(dir, ".next", "required-server-files.json"), "{not json");
    expect(useBuiltNextConfig(dir, env)).toBe(false);
    expect(env).toEqual({});
  });
});
