/**
 * The accounts the e2e server starts with (playwright.config.ts passes these to it as AURA_OWNER_* and
 * AURA_BOOTSTRAP_TOKEN): the owner can sign in in the browser, and `OWNER_TOKEN` is the owner's API
 * token for the default workspace, usable from the first request (`Authorization: Bearer`).
 */
export const OWNER_EMAIL = "owner@aura.test";
export const OWNER_PASSWORD = "correct-horse-battery";
export const OWNER_TOKEN = "e2e".padEnd(64, "0");

/** Headers that authenticate an API request as the owner. */
export const ownerAuth = { authorization: `Bearer ${OWNER_TOKEN}` };

/** Where e2e/auth.setup.ts saves the owner's signed-in browser state (every spec starts from it). */
export const OWNER_STATE = "test-results/.auth/owner.json";
