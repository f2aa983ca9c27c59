"use client";

import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FileUp, Plus, RefreshCw, Search, Upload, Workflow as WorkflowIcon } from "lucide-react";
import type { WorkflowSummary } from "@/lib/contracts";
import { useCreateWorkflow, useDeleteWorkflow, useRenameWorkflow, useWorkflows } from "@/lib/api/workflows";
import { useCreateFromTemplate, useDuplicateWorkflow, useTemplates, type TemplateSummary } from "@/lib/api/templates";
import { useCanEdit, VIEWER_HINT } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { ImportDialog } from "./import-dialog";
import { looksLikeJsonFile } from "./import-errors";
import { NameDialog } from "./name-dialog";
import { TemplatesGallery } from "./templates-gallery";
import { WorkflowTable } from "./workflow-table";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Re-renders every 30 s so relative times ("2 minutes ago") stay true. */
function useNow(intervalMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** True while a file is dragged over the window, and the file when it is dropped. */
function usePageFileDrop(onFile: (file: File) => void, enabled: boolean) {
  const [over, setOver] = useState(false);
  useEffect(() => {
    if (!enabled) {
      setOver(false);
      return;
    }
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) onFile(file);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", overFn);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", overFn);
      window.removeEventListener("drop", drop);
    };
  }, [onFile, enabled]);
  return over;
}

export interface WorkflowsPageProps {
  /** Templates read on the server, so the gallery renders without a round trip. */
  initialTemplates?: TemplateSummary[];
}

/** The home page: every workflow with its actions, the templates gallery, and import. */
export function WorkflowsPage({ initialTemplates }: WorkflowsPageProps) {
  const router = useRouter();
  const now = useNow();
  const workflows = useWorkflows();
  // Viewers read only: no create, import, rename, duplicate, delete or templates (the server answers 403 anyway).
  const canEdit = useCanEdit();
  const templates = useTemplates(initialTemplates);
  const create = useCreateWorkflow();
  const rename = useRenameWorkflow();
  const remove = useDeleteWorkflow();
  const duplicate = useDuplicateWorkflow();
  const fromTemplate = useCreateFromTemplate();

  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<WorkflowSummary | null>(null);
  const [deleting, setDeleting] = useState<WorkflowSummary | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [droppedFile, setDroppedFile] = useState<File | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [busySlug, setBusySlug] = useState<string | null>(null);

  const openEditor = (id: string) => router.push(`/workflows/${encodeURIComponent(id)}`);

  const dragOver = usePageFileDrop(
    useMemo(
      () => (file: File) => {
        if (!looksLikeJsonFile(file)) {
          toast.error(`"${file.name}" is not a .json file`);
          return;
        }
        setDroppedFile(file);
        setImportOpen(true);
      },
      [],
    ),
    !importOpen && canEdit,
  );

  const list = useMemo(() => workflows.data ?? [], [workflows.data]);
  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    const sorted = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return q ? sorted.filter((w) => w.name.toLowerCase().includes(q) || w.description.toLowerCase().includes(q)) : sorted;
  }, [list, query]);

  const onDuplicate = async (w: WorkflowSummary) => {
    setBusyId(w.id);
    try {
      const copy = await duplicate.mutateAsync(w.id);
      toast.success(`Created "${copy.name}"`);
    } catch (err) {
      toast.error(`Could not duplicate: ${errorText(err)}`);
    } finally {
      setBusyId(null);
    }
  };

  const onUseTemplate = async (t: TemplateSummary) => {
    setBusySlug(t.slug);
    try {
      const created = await fromTemplate.mutateAsync(t);
      openEditor(created.id);
    } catch (err) {
      toast.error(`Could not create from template: ${errorText(err)}`);
      setBusySlug(null);
    }
  };

  const isEmpty = workflows.isSuccess && list.length === 0;

  return (
    <div className="h-full overflow-auto" data-testid="workflows-page">
      <div className="mx-auto max-w-6xl space-y-8 px-6 py-8">
        <header className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Workflows</h1>
            <p className="mt-1 text-sm text-muted">Design, version and run multi-agent AI workflows.</p>
          </div>
          {canEdit ? (
            <div className="flex items-center gap-2">
              <Button onClick={() => setImportOpen(true)} data-testid="import-button" className="h-9">
                <Upload size={15} /> Import
              </Button>
              <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-workflow-button" className="h-9">
                <Plus size={15} /> New workflow
              </Button>
            </div>
          ) : (
            <span className="rounded-md border border-border px-2 py-1 text-xs text-muted" title={VIEWER_HINT} data-testid="read-only-badge">
              Read only
            </span>
          )}
        </header>

        <section aria-label="Your workflows" className="space-y-3">
          {!isEmpty && (
            <div className="flex items-center justify-between gap-3">
              <h2 className="text-sm font-semibold">
                Your workflows {workflows.isSuccess && <span className="ml-1 font-normal text-muted">{list.length}</span>}
              </h2>
              <div className="relative w-64 max-w-full">
                <Search size={14} className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-muted" />
                <Input
                  placeholder="Search workflows"
                  aria-label="Search workflows"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                  className="h-8 pl-8"
                  data-testid="workflow-search"
                />
              </div>
            </div>
          )}

          {workflows.isPending && (
            <div className="overflow-hidden rounded-xl border border-border bg-panel" aria-busy="true" aria-label="Loading workflows">
              {Array.from({ length: 3 }, (_, i) => (
                <div key={i} className="flex items-center gap-3 border-b border-border px-4 py-3 last:border-0">
                  <div className="h-8 w-8 animate-pulse rounded-lg bg-panel-2" />
                  <div className="h-3 w-48 animate-pulse rounded bg-panel-2" />
                  <div className="ml-auto h-3 w-20 animate-pulse rounded bg-panel-2" />
                </div>
              ))}
            </div>
          )}

          {workflows.isError && (
            <div
              role="alert"
              className="flex items-center justify-between gap-3 rounded-xl border border-danger/40 bg-danger/5 px-4 py-3 text-sm"
              data-testid="workflows-error"
            >
              <span>
                <span className="font-medium text-danger">Could not load workflows.</span> {errorText(workflows.error)}
              </span>
              <Button size="sm" onClick={() => void workflows.refetch()}>
                <RefreshCw size={12} /> Retry
              </Button>
            </div>
          )}

          {isEmpty && (
            <div
              className="flex flex-col items-center rounded-xl border border-dashed border-border bg-panel px-6 py-12 text-center"
              data-testid="workflows-empty"
            >
              <div className="flex h-12 w-12 items-center justify-center rounded-xl bg-accent/10 text-accent">
                <WorkflowIcon size={24} />
              </div>
              <h2 className="mt-4 text-lg font-semibold">No workflows yet</h2>
              <p className="mt-1 max-w-md text-sm text-muted">
                Create a workflow from scratch, start from one of the templates below, or import a <code className="font-mono text-xs">.aura.json</code> file.
              </p>
              {canEdit && (
                <div className="mt-5 flex gap-2">
                  <Button variant="primary" onClick={() => setCreating(true)} className="h-9" data-testid="empty-new-workflow">
                    <Plus size={15} /> Create your first workflow
                  </Button>
                  <Button onClick={() => setImportOpen(true)} className="h-9">
                    <FileUp size={15} /> Import a file
                  </Button>
                </div>
              )}
            </div>
          )}

          {workflows.isSuccess &&
            list.length > 0 &&
            (filtered.length > 0 ? (
              <WorkflowTable
                workflows={filtered}
                now={now}
                busyId={busyId}
                readOnly={!canEdit}
                onRename={setRenaming}
                onDuplicate={(w) => void onDuplicate(w)}
                onDelete={setDeleting}
              />
            ) : (
              <div className="rounded-xl border border-border bg-panel px-4 py-8 text-center text-sm text-muted">No workflow matches “{query}”.</div>
            ))}
        </section>

        {canEdit && <TemplatesGallery templates={templates.data} loading={templates.isPending} busySlug={busySlug} onUse={(t) => void onUseTemplate(t)} />}
      </div>

      {dragOver && (
        <div
          className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-accent/10 backdrop-blur-[1px]"
          data-testid="page-drop-overlay"
        >
          <div className="rounded-xl border-2 border-dashed border-accent bg-panel px-8 py-6 text-center shadow-xl">
            <Upload className="mx-auto text-accent" size={28} />
            <div className="mt-2 font-semibold">Drop to import the workflow</div>
            <div className="text-xs text-muted">.aura.json or .json, up to 5 MB</div>
          </div>
        </div>
      )}

      <NameDialog
        open={creating}
        title="New workflow"
        label="Name"
        submitLabel="Create and open"
        initialName="Untitled workflow"
        busy={create.isPending}
        error={create.error ? errorText(create.error) : null}
        onClose={() => {
          setCreating(false);
          create.reset();
        }}
        onSubmit={(name) =>
          create.mutate(
            { name },
            {
              onSuccess: (created) => {
                setCreating(false);
                openEditor(created.id);
              },
            },
          )
        }
      />

      <NameDialog
        open={renaming !== null}
        title="Rename workflow"
        label="Name"
        submitLabel="Rename"
        initialName={renaming?.name ?? ""}
        busy={rename.isPending}
        error={rename.error ? errorText(rename.error) : null}
        onClose={() => {
          setRenaming(null);
          rename.reset();
        }}
        onSubmit={(name) => {
          if (!renaming) return;
          if (name === renaming.name) return setRenaming(null);
          rename.mutate(
            { id: renaming.id, name },
            {
              onSuccess: () => {
                setRenaming(null);
                toast.success(`Renamed to "${name}"`);
              },
            },
          );
        }}
      />

      <ConfirmDialog
        open={deleting !== null}
        title="Delete workflow?"
        message={
          <p>
            <span className="font-medium">“{deleting?.name}”</span> and all of its versions will be deleted. This cannot be undone.
          </p>
        }
        confirmLabel="Delete"
        danger
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          const target = deleting;
          remove.mutate(target.id, {
            onSuccess: () => {
              setDeleting(null);
              toast.success(`Deleted "${target.name}"`);
            },
            onError: (err) => toast.error(`Could not delete: ${errorText(err)}`),
          });
        }}
      />

      <ImportDialog
        open={importOpen}
        pendingFile={droppedFile}
        onClose={() => {
          setImportOpen(false);
          setDroppedFile(null);
        }}
        onImported={(id) => {
          setImportOpen(false);
          setDroppedFile(null);
          openEditor(id);
        }}
      />
    </div>
  );
}
