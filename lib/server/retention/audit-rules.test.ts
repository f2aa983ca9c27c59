import { describe, expect, it } from "vitest";
import { auditCutoffs, DEFAULT_AUDIT_RETENTION, serverAuditRetention } from "./audit-rules";
import { RetentionConfigError } from "./rules";

const DAY = 86_400_000;

describe("serverAuditRetention", () => {
  it("defaults to a year for people's actions and 30 days for run starts", () => {
    expect(serverAuditRetention({})).toEqual({ days: 365, runStartDays: 30 });
    expect(DEFAULT_AUDIT_RETENTION).toEqual({ days: 365, runStartDays: 30 });
  });

  it("reads whole and fractional days", () => {
    expect(serverAuditRetention({ AURA_RETENTION_AUDIT_DAYS: "90", AURA_RETENTION_AUDIT_RUN_START_DAYS: "0.5" })).toEqual({ days: 90, runStartDays: 0.5 });
  });

  it("refuses a value that is not a number of days in range, naming the variable", () => {
    for (const raw of ["-1", "0", "abc", "1e3", "40000", "7 days"]) {
      expect(() => serverAuditRetention({ AURA_RETENTION_AUDIT_RUN_START_DAYS: raw }), raw).toThrow(RetentionConfigError);
      expect(() => serverAuditRetention({ AURA_RETENTION_AUDIT_RUN_START_DAYS: raw }), raw).toThrow(/AURA_RETENTION_AUDIT_RUN_START_DAYS/);
    }
  });
});

describe("auditCutoffs", () => {
  it("puts each class's cutoff its own number of days back", () => {
    const now = Date.UTC(2026, 11, 7);
    expect(auditCutoffs({ days: 365, runStartDays: 0.25 }, now)).toEqual({ runStartsBefore: now - DAY / 4, othersBefore: now - 365 * DAY });
  });
});
