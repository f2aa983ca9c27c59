"use client";

import { useMemo } from "react";
import { ChevronRight, Copy, Info, Trash2 } from "lucide-react";
import {
  configJsonSchema,
  getNodeKind,
  WorkflowSettingsSchema,
  type NodePolicy,
  type StickyNote,
  type WorkflowNode,
  type WorkflowSettings,
} from "@/lib/workflow";
import { setNodeConfig, setNodeLabel, setNodePolicy, setWorkflowFields, updateNote, useEditor, useEditorStoreApi } from "@/lib/editor";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";
import { KindIcon } from "./kind-icon";
import { SchemaForm, type JsonSchema } from "./schema-form";
import { RunNodeSection } from "./run/run-node-section";
import { PinSection } from "./pin-section";

const schemaCache = new Map<string, JsonSchema>();
function kindSchema(kind: string): JsonSchema | null {
  const def = getNodeKind(kind);
  if (!def) return null;
  let s = schemaCache.get(kind);
  if (!s) {
    s = configJsonSchema(def.configSchema);
    schemaCache.set(kind, s);
  }
  return s;
}
let settingsSchema: JsonSchema | null = null;

/** Right-hand panel: the selected node's label, help, generated config form and policy; else workflow settings. */
export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const node = useEditor((s) => (s.selection.size === 1 ? s.doc.nodes.find((n) => s.selection.has(n.id)) : undefined));
  const note = useEditor((s) => (s.selection.size === 1 ? s.doc.notes.find((n) => s.selection.has(n.id)) : undefined));
  return (
    <aside className="flex h-full w-80 shrink-0 flex-col border-l border-border bg-panel" aria-label="Inspector" data-testid="inspector">
      <div className="min-h-0 flex-1 overflow-y-auto">
        {node ? (
          <NodeInspector key={node.id} node={node} />
        ) : note ? (
          <NoteInspector note={note} />
        ) : selection.size > 1 ? (
          <MultiInspector count={selection.size} />
        ) : (
          <WorkflowSettingsPanel />
        )}
      </div>
    </aside>
  );
}

function Section({ title, children, defaultOpen = true, testId }: { title: string; children: React.ReactNode; defaultOpen?: boolean; testId?: string }) {
  return (
    <details open={defaultOpen} className="group border-b border-border" data-testid={testId}>
      <summary className="flex cursor-pointer list-none items-center gap-1 px-4 py-2.5 text-[11px] font-semibold tracking-wider text-muted uppercase select-none hover:text-fg">
        <ChevronRight size={13} className="transition-transform group-open:rotate-90" aria-hidden />
        {title}
      </summary>
      <div className="px-4 pb-4">{children}</div>
    </details>
  );
}

function NodeInspector({ node }: { node: WorkflowNode }) {
  const store = useEditorStoreApi();
  const def = getNodeKind(node.kind);
  const schema = kindSchema(node.kind);
  const issues = useEditor((s) => s.nodeIssues.get(node.id));
  const { errors, general } = useMemo(() => {
    const map = new Map<string, string[]>();
    const general: string[] = [];
    const fieldPaths = new Set(Object.keys(schema?.properties ?? {}));
    for (const i of issues?.issues ?? []) {
      if (i.code === "CONFIG_INVALID" || i.field) {
        const f = i.field ?? "";
        const top = f.split(".")[0];
        // "Agent "X": "role" Too small…" → "Too small…" (the field is already named by its label).
        const stripped = i.message.replace(/^[^"]*"[^"]*": /, "").replace(/^"[^"]*" /, "");
        const msg = stripped === "is required." ? "This field is required." : stripped;
        if (f && fieldPaths.has(top)) map.set(f, [...(map.get(f) ?? []), msg]);
        else general.push(i.message);
      } else general.push(i.message);
    }
    return { errors: map, general };
  }, [issues, schema]);

  return (
    <div data-testid={`inspector-node-${node.id}`}>
      <div className="border-b border-border p-4">
        <div className="flex items-center gap-3">
          <KindIcon kind={node.kind} size={20} className="h-10 w-10" />
          <div className="min-w-0 flex-1">
            <input
              aria-label="Node label"
              data-testid="inspector-label"
              value={node.label}
              maxLength={200}
              onChange={(e) => store.getState().apply((d) => setNodeLabel(d, node.id, e.target.value), { coalesce: `label:${node.id}` })}
              className="w-full rounded-md border border-transparent bg-transparent px-1.5 py-0.5 text-[15px] font-semibold outline-none hover:border-border focus:border-accent focus:bg-panel"
            />
            <div className="px-1.5 text-xs text-muted">
              {def?.label ?? "Unknown kind"} · <span className="font-mono">{node.id}</span>
            </div>
          </div>
        </div>
        {def && (
          <p className="mt-3 flex gap-2 rounded-lg bg-panel-2 p-2.5 text-xs leading-relaxed text-muted" data-testid="inspector-help">
            <Info size={14} className="mt-0.5 shrink-0" aria-hidden />
            <span>{def.help}</span>
          </p>
        )}
        {general.length > 0 && (
          <ul className="mt-3 space-y-1 rounded-lg border border-danger/30 bg-danger/5 p-2.5 text-xs text-danger" data-testid="inspector-issues">
            {general.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
      </div>
      <RunNodeSection nodeId={node.id} />
      <PinSection node={node} />
      {schema && (
        <Section title="Configuration" testId="inspector-config">
          <SchemaForm
            schema={schema}
            value={node.config}
            errors={errors}
            onChange={(config, path) => store.getState().apply((d) => setNodeConfig(d, node.id, config), { coalesce: `config:${node.id}:${path}` })}
          />
        </Section>
      )}
      <Section title="Policy" defaultOpen={!!node.policy} testId="inspector-policy">
        <PolicyForm node={node} />
      </Section>
      <div className="flex gap-2 p-4">
        <Button size="sm" onClick={() => store.getState().duplicate()} data-testid="inspector-duplicate">
          <Copy size={13} /> Duplicate
        </Button>
        <Button size="sm" variant="ghost" className="text-danger" onClick={() => store.getState().deleteSelection()} data-testid="inspector-delete">
          <Trash2 size={13} /> Delete
        </Button>
      </div>
    </div>
  );
}

function PolicyForm({ node }: { node: WorkflowNode }) {
  const store = useEditorStoreApi();
  const p: NodePolicy = node.policy ?? { onError: "fail" };
  const retry = p.retry ?? { maxAttempts: 1, initialDelayMs: 500, backoffFactor: 2, retryOn: [] };
  const update = (next: NodePolicy, key: string) => {
    const isDefault = next.onError === "fail" && next.timeoutMs === undefined && (!next.retry || next.retry.maxAttempts <= 1);
    store.getState().apply((d) => setNodePolicy(d, node.id, isDefault ? undefined : next), { coalesce: `policy:${node.id}:${key}` });
  };
  const num = (v: string, min: number, max: number, int = true) => {
    const n = Number(v);
    if (v === "" || Number.isNaN(n)) return undefined;
    return Math.min(max, Math.max(min, int ? Math.round(n) : n));
  };
  return (
    <div className="grid grid-cols-2 gap-3 text-xs">
      <label className="col-span-1">
        <span className="mb-1 block font-medium text-fg/80">Retry attempts</span>
        <input
          type="number"
          min={1}
          max={20}
          data-testid="policy-maxAttempts"
          className={cn(inputClass, "h-8")}
          value={retry.maxAttempts}
          onChange={(e) => update({ ...p, retry: { ...retry, maxAttempts: num(e.target.value, 1, 20) ?? 1 } }, "attempts")}
        />
      </label>
      <label>
        <span className="mb-1 block font-medium text-fg/80">First delay (ms)</span>
        <input
          type="number"
          min={0}
          max={600000}
          data-testid="policy-initialDelayMs"
          className={cn(inputClass, "h-8")}
          value={retry.initialDelayMs}
          onChange={(e) => update({ ...p, retry: { ...retry, initialDelayMs: num(e.target.value, 0, 600000) ?? 0 } }, "delay")}
        />
      </label>
      <label>
        <span className="mb-1 block font-medium text-fg/80">Backoff factor</span>
        <input
          type="number"
          min={1}
          max={10}
          step={0.5}
          data-testid="policy-backoffFactor"
          className={cn(inputClass, "h-8")}
          value={retry.backoffFactor}
          onChange={(e) => update({ ...p, retry: { ...retry, backoffFactor: num(e.target.value, 1, 10, false) ?? 1 } }, "backoff")}
        />
      </label>
      <label>
        <span className="mb-1 block font-medium text-fg/80">Timeout (ms)</span>
        <input
          type="number"
          min={1}
          placeholder="none"
          data-testid="policy-timeoutMs"
          className={cn(inputClass, "h-8")}
          value={p.timeoutMs ?? ""}
          onChange={(e) => update({ ...p, timeoutMs: num(e.target.value, 1, 86_400_000) }, "timeout")}
        />
      </label>
      <label className="col-span-2">
        <span className="mb-1 block font-medium text-fg/80">On error</span>
        <select
          data-testid="policy-onError"
          className={cn(inputClass, "h-8")}
          value={p.onError}
          onChange={(e) => update({ ...p, onError: e.target.value as NodePolicy["onError"] }, "onError")}
        >
          <option value="fail">Fail the run</option>
          <option value="route">Route to compensation (saga)</option>
        </select>
      </label>
    </div>
  );
}

const NOTE_COLORS: StickyNote["color"][] = ["yellow", "blue", "green", "pink", "gray"];
const SWATCH: Record<string, string> = { yellow: "bg-amber-300", blue: "bg-sky-300", green: "bg-emerald-300", pink: "bg-pink-300", gray: "bg-slate-300" };

function NoteInspector({ note }: { note: StickyNote }) {
  const store = useEditorStoreApi();
  return (
    <div className="space-y-4 p-4" data-testid={`inspector-note-${note.id}`}>
      <h2 className="text-[15px] font-semibold">Sticky note</h2>
      <label className="block text-xs">
        <span className="mb-1 block font-medium text-fg/80">Text</span>
        <textarea
          data-testid="note-inspector-text"
          className={cn(inputClass, "min-h-28")}
          value={note.text}
          onChange={(e) => store.getState().apply((d) => updateNote(d, note.id, { text: e.target.value }), { coalesce: `note:${note.id}` })}
        />
      </label>
      <div>
        <span className="mb-1 block text-xs font-medium text-fg/80">Colour</span>
        <div className="flex gap-2">
          {NOTE_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              aria-label={c}
              aria-pressed={note.color === c}
              onClick={() => store.getState().apply((d) => updateNote(d, note.id, { color: c }))}
              className={cn("h-6 w-6 rounded-full border-2", SWATCH[c], note.color === c ? "border-accent" : "border-transparent")}
            />
          ))}
        </div>
      </div>
      <Button size="sm" variant="ghost" className="text-danger" onClick={() => store.getState().deleteSelection()}>
        <Trash2 size={13} /> Delete note
      </Button>
    </div>
  );
}

function MultiInspector({ count }: { count: number }) {
  const store = useEditorStoreApi();
  return (
    <div className="space-y-3 p-4" data-testid="inspector-multi">
      <h2 className="text-[15px] font-semibold">{count} elements selected</h2>
      <div className="flex gap-2">
        <Button size="sm" onClick={() => store.getState().duplicate()}>
          <Copy size={13} /> Duplicate
        </Button>
        <Button size="sm" variant="ghost" className="text-danger" onClick={() => store.getState().deleteSelection()}>
          <Trash2 size={13} /> Delete
        </Button>
      </div>
    </div>
  );
}

const SETTINGS_LABELS = {
  runTimeoutMs: "Run timeout (ms)",
  maxConcurrentRuns: "Max concurrent runs",
  checkpointEachStep: "Checkpoint after every node (time travel inside chains of pure steps)",
  stateFields: "State fields",
  "stateFields.*.name": "Name",
  "stateFields.*.type": "Type",
  "stateFields.*.reducer": "Parallel writes",
  "stateFields.*.description": "Description",
};

function WorkflowSettingsPanel() {
  const store = useEditorStoreApi();
  const name = useEditor((s) => s.doc.name);
  const description = useEditor((s) => s.doc.description);
  const settings = useEditor((s) => s.doc.settings);
  settingsSchema ??= configJsonSchema(WorkflowSettingsSchema) as JsonSchema;
  return (
    <div data-testid="inspector-workflow">
      <div className="border-b border-border p-4">
        <h2 className="text-[15px] font-semibold">Workflow</h2>
        <p className="mt-1 text-xs text-muted">Select a node to configure it. These settings apply to the whole workflow.</p>
      </div>
      <Section title="General">
        <div className="space-y-3">
          <label className="block text-xs">
            <span className="mb-1 block font-medium text-fg/80">Name</span>
            <input
              data-testid="settings-name"
              className={cn(inputClass, "h-8")}
              value={name}
              maxLength={200}
              aria-invalid={!name.trim() || undefined}
              onChange={(e) => store.getState().apply((d) => setWorkflowFields(d, { name: e.target.value }), { coalesce: "wf:name" })}
            />
            {!name.trim() && <span className="mt-1 block text-[11px] text-danger">The name must not be empty.</span>}
          </label>
          <label className="block text-xs">
            <span className="mb-1 block font-medium text-fg/80">Description</span>
            <textarea
              data-testid="settings-description"
              className={cn(inputClass, "min-h-20")}
              value={description}
              maxLength={5000}
              onChange={(e) => store.getState().apply((d) => setWorkflowFields(d, { description: e.target.value }), { coalesce: "wf:description" })}
            />
          </label>
        </div>
      </Section>
      <Section title="Runs and state">
        <SchemaForm
          schema={settingsSchema}
          value={settings}
          labels={SETTINGS_LABELS}
          testIdPrefix="settings"
          onChange={(next, path) =>
            store.getState().apply((d) => setWorkflowFields(d, { settings: next as WorkflowSettings }), { coalesce: `wf:settings:${path}` })
          }
        />
      </Section>
    </div>
  );
}
