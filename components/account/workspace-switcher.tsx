"use client";

import { useRef, useState } from "react";
import { Check, ChevronDown, Loader2, Plus } from "lucide-react";
import { toast } from "sonner";
import type { SessionInfo } from "@/lib/contracts";
import { useCreateWorkspace, useSwitchWorkspace } from "@/lib/api/session";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { useDismiss } from "@/components/ui/use-dismiss";
import { accountErrorText } from "./error-text";
import { Field, FormAlert } from "./field";
import { RoleBadge } from "./role-badge";

/**
 * The header's workspace menu: the workspaces of the user with their role, and "New workspace…".
 * Switching or creating reloads the app at "/" (every cached query belonged to the old workspace).
 */
export function WorkspaceSwitcher({ session }: { session: SessionInfo }) {
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, () => setOpen(false));
  const switchTo = useSwitchWorkspace();
  const current = session.workspace;

  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Workspace: ${current.name}`}
        data-testid="workspace-switcher"
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 max-w-52 items-center gap-1.5 rounded-md border border-border px-2 text-sm hover:bg-panel-2"
      >
        <span className="truncate font-medium">{current.name}</span>
        {switchTo.isPending ? <Loader2 size={12} className="animate-spin" /> : <ChevronDown size={12} className="text-muted" />}
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Workspaces"
          className="absolute top-10 left-0 z-40 w-64 rounded-lg border border-border bg-panel p-1 shadow-lg"
          data-testid="workspace-menu"
        >
          {session.workspaces.map((ws) => (
            <button
              key={ws.id}
              type="button"
              role="menuitemradio"
              aria-checked={ws.id === current.id}
              className={cn("flex w-full items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-panel-2", ws.id === current.id && "font-medium")}
              onClick={() => {
                setOpen(false);
                if (ws.id !== current.id) switchTo.mutate(ws.id, { onError: (e) => toast.error(`Could not switch: ${accountErrorText(e)}`) });
              }}
            >
              <Check size={14} className={ws.id === current.id ? "text-accent" : "invisible"} aria-hidden />
              <span className="min-w-0 flex-1 truncate">{ws.name}</span>
              <RoleBadge role={ws.role} />
            </button>
          ))}
          <div className="my-1 h-px bg-border" />
          <button
            type="button"
            role="menuitem"
            className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-panel-2"
            onClick={() => {
              setOpen(false);
              setCreating(true);
            }}
            data-testid="workspace-new"
          >
            <Plus size={14} aria-hidden /> New workspace…
          </button>
        </div>
      )}
      <NewWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState("");
  const create = useCreateWorkspace();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New workspace"
      className="w-[min(420px,92vw)]"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="new-workspace-form" disabled={!name.trim() || create.isPending || create.isSuccess}>
            {create.isPending && <Loader2 size={14} className="animate-spin" />} Create and switch
          </Button>
        </>
      }
    >
      <form
        id="new-workspace-form"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate(name.trim());
        }}
      >
        <Field label="Workspace name" autoFocus required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <p className="text-xs text-muted">You will be its owner. Workflows, runs and credentials of one workspace are invisible in the others.</p>
        <FormAlert message={create.isError ? accountErrorText(create.error) : null} />
      </form>
    </Dialog>
  );
}
