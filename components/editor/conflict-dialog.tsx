"use client";

import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";

export interface ConflictDialogProps {
  open: boolean;
  baseVersion: number;
  currentVersion?: number;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
}

/** Shown when a save is refused with 409: someone saved a newer version since this editor loaded. */
export function ConflictDialog({ open, baseVersion, currentVersion, busy, onReload, onOverwrite, onCancel }: ConflictDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title="This workflow changed since you opened it"
      footer={
        <div className="flex w-full items-center gap-2" data-testid="conflict-dialog">
          <Button onClick={onCancel} data-testid="conflict-cancel">
            Cancel
          </Button>
          <span className="flex-1" />
          <Button variant="danger" onClick={onReload} disabled={busy} data-testid="conflict-reload">
            Reload theirs (discard mine)
          </Button>
          <Button variant="primary" onClick={onOverwrite} disabled={busy} data-testid="conflict-overwrite">
            Overwrite with mine
          </Button>
        </div>
      }
    >
      <p>
        You started from version <strong>{baseVersion}</strong>, but version <strong>{currentVersion ?? "?"}</strong> was saved in the meantime (another tab or
        person).
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-5 text-muted">
        <li>
          <strong className="text-fg">Reload theirs</strong> loads version {currentVersion ?? "latest"} and drops your unsaved changes.
        </li>
        <li>
          <strong className="text-fg">Overwrite with mine</strong> saves your document as a new version; theirs stays in the version history.
        </li>
        <li>
          <strong className="text-fg">Cancel</strong> keeps editing; your changes stay in this tab and in the local draft.
        </li>
      </ul>
    </Dialog>
  );
}
