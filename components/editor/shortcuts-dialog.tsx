"use client";

import { Dialog } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const mod = isMac() ? "⌘" : "Ctrl";
  const rows: [string, string[][]][] = [
    ["Save", [[mod, "S"]]],
    ["Undo", [[mod, "Z"]]],
    [
      "Redo",
      [
        [mod, "Shift", "Z"],
        ["Ctrl", "Y"],
      ],
    ],
    [
      "Copy / paste",
      [
        [mod, "C"],
        [mod, "V"],
      ],
    ],
    ["Duplicate", [[mod, "D"]]],
    ["Delete selection", [["Delete"], ["Backspace"]]],
    ["Select all", [[mod, "A"]]],
    [
      "Multi-select",
      [
        [mod, "click"],
        ["Shift", "drag"],
      ],
    ],
    ["Clear selection", [["Esc"]]],
    ["Topology overlay", [["T"]]],
    ["This help", [["?"]]],
  ];
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className="w-full text-sm" data-testid="shortcuts-dialog">
        <tbody>
          {rows.map(([label, combos]) => (
            <tr key={label} className="border-b border-border last:border-0">
              <td className="py-2 pr-4">{label}</td>
              <td className="py-2 text-right">
                {combos.map((keys, i) => (
                  <span key={i} className="ml-3 inline-flex items-center gap-1">
                    {keys.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-muted">Shortcuts are off while you type in a field (except save).</p>
    </Dialog>
  );
}
