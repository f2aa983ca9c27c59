import { describe, expect, it } from "vitest";
import { AuthError, AuthErrorCode } from "@/lib/auth/errors";
import { AppError, ErrorCode } from "./errors";
import { toErrorResponse } from "./http";

describe("AppError across bundles", () => {
  it("an AppError made by another copy of the class (the server bundle's) still answers its own status", async () => {
    // What dist/server-main.js throws into a Next route: same brand, different class object.
    const foreign = Object.assign(new Error("The run queue did not take the run."), {
      [Symbol.for("aura.AppError")]: true,
      code: ErrorCode.QUEUE_UNAVAILABLE,
      extra: {},
    });
    expect(foreign instanceof AppError).toBe(true);
    const res = toErrorResponse(foreign);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: "QUEUE_UNAVAILABLE", message: "The run queue did not take the run." } });
  });

  it("plain errors are not AppErrors", () => {
    expect(new Error("x") instanceof AppError).toBe(false);
    expect((null as unknown) instanceof AppError).toBe(false);
    expect(new AppError(ErrorCode.NOT_FOUND, "gone") instanceof AppError).toBe(true);
  });

  it("an AuthError made by another copy of its class answers its own status too", async () => {
    const foreign = Object.assign(new Error("Sign in first."), { [Symbol.for("aura.AuthError")]: true, code: AuthErrorCode.UNAUTHENTICATED });
    expect(foreign instanceof AuthError).toBe(true);
    expect(new Error("x") instanceof AuthError).toBe(false);
    expect(toErrorResponse(foreign).status).toBe(401);
  });
});
