"use client";

import Link from "next/link";
import { CheckCircle2, XCircle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { BulkResult } from "@/lib/api/dashboard";

/** Per-run outcome of a bulk cancel / retry. */
export function BulkResultsDialog({ title, results, onClose }: { title: string; results: BulkResult[] | null; onClose: () => void }) {
  const ok = results?.filter((r) => r.ok).length ?? 0;
  return (
    <Dialog
      open={results !== null}
      onClose={onClose}
      title={title}
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <p className="mb-3 text-sm text-muted" data-testid="bulk-summary">
        {ok} of {results?.length ?? 0} succeeded{results && ok < results.length ? `, ${results.length - ok} refused` : ""}.
      </p>
      <ul className="max-h-80 space-y-1 overflow-auto text-sm" data-testid="bulk-results">
        {results?.map((r) => (
          <li key={r.runId} className="flex items-start gap-2 rounded-md px-2 py-1.5 odd:bg-panel-2/50" data-testid="bulk-result" data-ok={r.ok}>
            {r.ok ? <CheckCircle2 size={15} className="mt-0.5 shrink-0 text-success" /> : <XCircle size={15} className="mt-0.5 shrink-0 text-danger" />}
            <span className="min-w-0">
              <Link href={`/runs/${encodeURIComponent(r.runId)}`} className="font-mono text-xs hover:underline">
                {r.runId}
              </Link>
              <span className="block text-xs text-muted">
                {r.newRunId ? (
                  <>
                    retried as{" "}
                    <Link href={`/runs/${encodeURIComponent(r.newRunId)}`} className="font-mono hover:underline">
                      {r.newRunId}
                    </Link>
                  </>
                ) : (
                  r.message
                )}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
