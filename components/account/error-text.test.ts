import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/api/client";
import { accountErrorText, waitText } from "./error-text";

describe("accountErrorText", () => {
  it("says how long to wait after too many sign-in attempts", () => {
    const e = new ApiRequestError(429, "RATE_LIMITED", "Too many sign-in attempts.", [], undefined, 90);
    expect(accountErrorText(e)).toBe("Too many attempts. Try again in 2 minutes.");
  });

  it("keeps the server's message when no wait was given", () => {
    expect(accountErrorText(new ApiRequestError(429, "RATE_LIMITED", "Slow down."))).toBe("Too many attempts. Slow down.");
  });

  it("keeps the server's wording of a wrong password, with a fallback", () => {
    expect(accountErrorText(new ApiRequestError(401, "INVALID_CREDENTIALS", "The current password is wrong."))).toBe("The current password is wrong.");
    expect(accountErrorText(new ApiRequestError(401, "INVALID_CREDENTIALS", ""))).toBe("Wrong email or password.");
  });

  it("adds field issues the message does not already contain", () => {
    const e = new ApiRequestError(400, "VALIDATION_ERROR", "Invalid input.", [
      { path: "password", code: "too_small", message: "The password needs at least 10 characters." },
    ]);
    expect(accountErrorText(e)).toBe("Invalid input. The password needs at least 10 characters.");
  });

  it("handles plain errors and non-errors", () => {
    expect(accountErrorText(new Error("boom"))).toBe("boom");
    expect(accountErrorText("x")).toBe("x");
  });
});

describe("waitText", () => {
  it("rounds up and pluralizes", () => {
    expect(waitText(1)).toBe("1 second");
    expect(waitText(30.2)).toBe("31 seconds");
    expect(waitText(60)).toBe("1 minute");
    expect(waitText(61)).toBe("2 minutes");
  });
});
