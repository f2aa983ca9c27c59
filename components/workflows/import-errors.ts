import { ApiRequestError } from "@/lib/api/client";
import { plainIssue } from "./plain-issue";

/**
 * What the import dialog shows after a failed import: a headline and, for a bad document, each issue
 * in plain words (`text`) with the server's code, path and message kept as detail.
 */
export interface ImportProblem {
  title: string;
  message: string;
  issues: { text: string; path: string; code: string; message: string }[];
}

const withText = (issues: { path: string; code: string; message: string }[]) => issues.map((i) => ({ text: plainIssue(i), ...i }));

/** Turns a failed import (bad JSON in the browser, or the server's 400/413/other answer) into text to show. */
export function describeImportError(err: unknown): ImportProblem {
  if (err instanceof SyntaxError) {
    return { title: "This is not valid JSON", message: err.message, issues: [] };
  }
  if (err instanceof ApiRequestError) {
    if (err.status === 413) return { title: "Too large to import", message: err.message, issues: [] };
    if (err.status === 400) {
      const n = err.issues.length;
      return {
        title: n ? `The document has ${n} problem${n === 1 ? "" : "s"}; nothing was imported` : "The document was refused; nothing was imported",
        message: err.message,
        issues: withText(err.issues),
      };
    }
    return { title: "Import failed", message: err.message, issues: withText(err.issues) };
  }
  return { title: "Import failed", message: err instanceof Error ? err.message : String(err), issues: [] };
}

/** True for files the importer accepts by name or type (.json, .aura.json, application/json). */
export function looksLikeJsonFile(file: { name: string; type: string }): boolean {
  return /\.json$/i.test(file.name) || file.type === "application/json";
}
