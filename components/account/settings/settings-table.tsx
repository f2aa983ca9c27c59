"use client";

import { accountErrorText } from "../error-text";
import { Panel, thClass } from "./section";

/** The part of a TanStack query a settings table reads. */
interface ListQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: readonly unknown[];
}

/**
 * A settings list in its panel: the header row (the last column is the row actions, named for screen readers),
 * the rows, and one line while loading, on error (naming what failed to load) or when the list is empty.
 */
export function SettingsTable({
  label,
  testId,
  columns,
  query,
  what,
  empty,
  children,
}: {
  label: string;
  testId: string;
  columns: string[];
  query: ListQuery;
  /** What failed to load, for the error line ("the tokens"). */
  what: string;
  /** The line for an empty list; none when omitted. */
  empty?: string;
  children: React.ReactNode;
}) {
  return (
    <Panel label={label}>
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="border-b border-border">
          <tr>
            {columns.map((c) => (
              <th key={c} className={thClass}>
                {c}
              </th>
            ))}
            <th className={thClass}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {query.isPending && <p className="p-4 text-sm text-muted">Loading…</p>}
      {query.isError && (
        <p className="p-4 text-sm text-danger">
          Could not load {what}: {accountErrorText(query.error)}
        </p>
      )}
      {empty && query.data?.length === 0 && <p className="p-4 text-sm text-muted">{empty}</p>}
    </Panel>
  );
}
