export { listCredentials, getCredential, createCredential, updateCredential, deleteCredential, workflowsUsingCredential } from "./manage";
export { resolveCredential } from "./resolve";
export { credentialsToNames, credentialsFromNames, type UnmappedCredential } from "./portable";
/** The workspace routes act in until the lead's auth wrapper passes the caller's (re-exported: app/ may not import lib/db). */
