"use client";

import { useEffect, useState } from "react";
import { Gauge, Plus, Trash2 } from "lucide-react";
import { ProviderKeySchema, type ProviderEntry, type ProviderSettings } from "@/lib/contracts/providers-api";
import { useProviders, useSaveProviders } from "@/lib/api/providers";
import { roleAtLeast, useRole } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { BreakersPanel } from "@/components/runs/dashboard/breakers-panel";

/** The editable columns: label, field, unit shown in the header, and how the field is stored (ms ↔ s). */
const COLUMNS: { field: keyof ProviderSettings; label: string; unit: string; scale: number }[] = [
  { field: "requestsPerMinute", label: "Requests", unit: "/min, 0 = no limit", scale: 1 },
  { field: "tokensPerMinute", label: "Tokens", unit: "/min, 0 = no limit", scale: 1 },
  { field: "failureThreshold", label: "Open after", unit: "failures", scale: 1 },
  { field: "windowMs", label: "Within", unit: "s", scale: 1000 },
  { field: "cooldownMs", label: "Probe after", unit: "s", scale: 1000 },
];

/**
 * Settings → Providers: per model provider (`model:openai`) or HTTP host (`http:api.example.com`) of
 * the workspace, the rate limits (calls over them wait in line, up to the node's timeout) and the
 * circuit breaker thresholds; keys not listed use the defaults. Admins edit, everyone else reads.
 * Below: the breakers' live state and history.
 */
export function ProvidersPage() {
  const q = useProviders();
  const save = useSaveProviders();
  const role = useRole();
  const canEdit = role !== null && roleAtLeast(role, "admin");
  const [rows, setRows] = useState<ProviderEntry[] | null>(null);
  const [newKey, setNewKey] = useState("");
  const [keyError, setKeyError] = useState<string | null>(null);
  const serverRows = q.data?.providers;
  // Start from the server's list once; later polls must not overwrite what is being typed.
  useEffect(() => {
    if (serverRows && rows === null) setRows(serverRows);
  }, [serverRows, rows]);
  const defaults = q.data?.defaults;
  const list = rows ?? [];

  /** The list with the typed key added, or null (and the reason shown under the field) when it is refused. */
  const withNewKey = (): ProviderEntry[] | null => {
    const parsed = ProviderKeySchema.safeParse(newKey.trim());
    if (!parsed.success) return (setKeyError(parsed.error.issues[0]?.message ?? "Invalid key."), null);
    if (list.some((r) => r.key === parsed.data)) return (setKeyError(`"${parsed.data}" is already listed.`), null);
    if (!defaults) return null;
    setNewKey("");
    setKeyError(null);
    return [...list, { key: parsed.data, ...defaults }];
  };
  const addRow = () => {
    const next = withNewKey();
    if (next) setRows(next);
  };
  // A key still in the field when Save is pressed is part of what the user means to save: add it
  // first, and when it is refused, save nothing (saving the old list and saying "Saved" would mislead).
  const saveAll = () => {
    const next = newKey.trim() ? withNewKey() : list;
    if (!next) return save.reset();
    setRows(next);
    save.mutate({ providers: next }, { onSuccess: (d) => setRows(d.providers) });
  };
  const setField = (i: number, field: keyof ProviderSettings, value: number) => setRows(list.map((r, j) => (j === i ? { ...r, [field]: value } : r)));

  return (
    <main className="mx-auto w-full max-w-5xl space-y-4 overflow-auto p-6" data-testid="providers-page">
      <div className="flex items-center gap-3">
        <Gauge size={20} />
        <h1 className="text-lg font-semibold">Providers</h1>
      </div>
      <p className="text-sm text-muted">
        Rate limits and circuit breakers per model provider (<code>model:openai</code>) or HTTP host (<code>http:api.example.com</code>). A call over a limit
        waits in line (first come, first served) up to its node&apos;s timeout. A breaker opens after the given number of provider failures (5xx, no answer,
        timeouts, 429) within the window; while open, calls fail at once with <code>CIRCUIT_OPEN</code> and a Model router moves to its next candidate; after
        the cool-down one probe call goes through, and a success closes it.
        {defaults &&
          ` Unlisted providers use the defaults: open after ${defaults.failureThreshold} failures within ${defaults.windowMs / 1000} s, probe after ${defaults.cooldownMs / 1000} s, no rate limit.`}
      </p>
      {q.isError && (
        <p className="text-sm text-danger" role="alert">
          Could not load the providers: {q.error.message}
        </p>
      )}
      <table className="w-full text-sm" data-testid="providers-table">
        <thead className="text-left text-xs text-muted">
          <tr>
            <th className="py-1 font-medium">Provider or host</th>
            {COLUMNS.map((c) => (
              <th key={c.field} className="py-1 font-medium">
                {c.label} <span className="font-normal">({c.unit})</span>
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => (
            <tr key={r.key} className="border-t border-border" data-testid={`provider-row-${r.key}`}>
              <td className="py-1.5 pr-2 font-mono text-xs">{r.key}</td>
              {COLUMNS.map((c) => (
                <td key={c.field} className="py-1.5 pr-2">
                  <Input
                    type="number"
                    min={0}
                    aria-label={`${r.key} ${c.label}`}
                    data-testid={`provider-${r.key}-${c.field}`}
                    disabled={!canEdit}
                    value={r[c.field] / c.scale}
                    onChange={(e) => setField(i, c.field, Math.round(Number(e.target.value) * c.scale))}
                    className="w-24"
                  />
                </td>
              ))}
              <td className="py-1.5 text-right">
                {canEdit && (
                  <Button variant="ghost" size="icon" aria-label={`Remove ${r.key}`} onClick={() => setRows(list.filter((_, j) => j !== i))}>
                    <Trash2 size={14} />
                  </Button>
                )}
              </td>
            </tr>
          ))}
          {!list.length && (
            <tr>
              <td colSpan={COLUMNS.length + 2} className="py-2 text-muted">
                Every provider and host uses the defaults.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && (
        <div className="flex flex-wrap items-start gap-2">
          <div>
            <Input
              placeholder="model:openai or http:api.example.com"
              aria-label="Provider key"
              data-testid="provider-new-key"
              value={newKey}
              aria-invalid={!!keyError}
              onChange={(e) => setNewKey(e.target.value)}
              onKeyDown={(e) => e.key === "Enter" && addRow()}
              className="w-72"
            />
            {keyError && <p className="mt-1 text-xs text-danger">{keyError}</p>}
          </div>
          <Button onClick={addRow} data-testid="provider-add">
            <Plus size={14} /> Add
          </Button>
          <div className="flex-1" />
          <Button variant="primary" data-testid="providers-save" disabled={save.isPending || rows === null} onClick={saveAll}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        </div>
      )}
      {save.isError && (
        <p className="text-sm text-danger" role="alert" data-testid="providers-save-error">
          {save.error.message}
        </p>
      )}
      {save.isSuccess && !save.isPending && (
        <p className="text-sm text-success" data-testid="providers-saved">
          Saved: the next call of each node uses these settings.
        </p>
      )}
      <BreakersPanel />
    </main>
  );
}
