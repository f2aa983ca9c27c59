import "server-only";

/** Migrate-on-start, called by lib/server/boot.ts before the server takes requests. */
export { prepareDatabase } from "./database";
