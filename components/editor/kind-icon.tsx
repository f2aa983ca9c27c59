import {
  Bot,
  Boxes,
  Box,
  Braces,
  Code,
  Database,
  FileText,
  Flag,
  GitBranch,
  Globe,
  Merge,
  PenLine,
  Play,
  Route,
  Search,
  Smile,
  Split,
  Timer,
  UserCheck,
  type LucideIcon,
} from "lucide-react";
import { getNodeKind } from "@/lib/workflow";

/** lucide icon names used by the catalog → components (imported one by one to keep the bundle small). */
const ICONS: Record<string, LucideIcon> = {
  Bot,
  Boxes,
  Braces,
  Code,
  Database,
  FileText,
  Flag,
  GitBranch,
  Globe,
  Merge,
  PenLine,
  Play,
  Route,
  Search,
  Smile,
  Split,
  Timer,
  UserCheck,
};

export function iconFor(name: string | undefined): LucideIcon {
  return (name && ICONS[name]) || Box;
}

/** The kind's icon on a tile tinted with the kind's colour. */
export function KindIcon({ kind, size = 16, className = "" }: { kind: string; size?: number; className?: string }) {
  const def = getNodeKind(kind);
  const Icon = iconFor(def?.icon);
  const color = def?.color ?? "#64748b";
  return (
    <span className={`inline-flex shrink-0 items-center justify-center rounded-lg ${className}`} style={{ backgroundColor: `${color}1f`, color }}>
      {/* eslint-disable-next-line react-hooks/static-components -- iconFor picks a module-level lucide component from a fixed map; none is created here */}
      <Icon size={size} strokeWidth={2} aria-hidden />
    </span>
  );
}
