import { describe, expect, it } from "vitest";
import { DEFAULT_PRUNER_SETTINGS, prunerSettings } from "./settings";
import { RetentionConfigError } from "./rules";

describe("prunerSettings", () => {
  it("uses the defaults when nothing is set", () => {
    expect(prunerSettings({})).toEqual(DEFAULT_PRUNER_SETTINGS);
    expect(DEFAULT_PRUNER_SETTINGS.maxPassMs).toBe(60_000);
  });

  it("reads every variable", () => {
    expect(
      prunerSettings({
        AURA_RETENTION_INTERVAL_MINUTES: "0.5",
        AURA_RETENTION_BATCH: "250",
        AURA_RETENTION_PAUSE_MS: "0",
        AURA_RETENTION_MAX_PASS_SECONDS: "20",
        AURA_COMPACT_AFTER_HOURS: "0",
        AURA_RETENTION: "off",
      }),
    ).toEqual({ intervalMs: 30_000, batchSize: 250, pauseMs: 0, maxPassMs: 20_000, compactAfterMs: 0, enabled: false });
  });

  it("refuses a value out of range, naming the variable", () => {
    expect(() => prunerSettings({ AURA_RETENTION_MAX_PASS_SECONDS: "0" })).toThrow(RetentionConfigError);
    expect(() => prunerSettings({ AURA_RETENTION_MAX_PASS_SECONDS: "soon" })).toThrow(/AURA_RETENTION_MAX_PASS_SECONDS/);
    expect(() => prunerSettings({ AURA_RETENTION_BATCH: "5001" })).toThrow(/AURA_RETENTION_BATCH/);
  });
});
