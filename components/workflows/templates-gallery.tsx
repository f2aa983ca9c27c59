"use client";

import { Bot, FileSearch, Headset, LineChart, Loader2, Sparkles } from "lucide-react";
import type { TemplateSummary } from "@/lib/api/templates";
import { Button } from "@/components/ui/button";
import { KindChips } from "./kind-chips";

const ICONS: Record<string, { icon: typeof Bot; tint: string }> = {
  "document-analysis": { icon: FileSearch, tint: "#0d9488" },
  "customer-support": { icon: Headset, tint: "#7c3aed" },
  "trading-signals": { icon: LineChart, tint: "#ea580c" },
};

export interface TemplatesGalleryProps {
  templates: TemplateSummary[] | undefined;
  loading: boolean;
  /** The slug being created right now, if any. */
  busySlug: string | null;
  onUse: (template: TemplateSummary) => void;
}

/** Cards for the ready-made workflows in templates/*.aura.json. */
export function TemplatesGallery({ templates, loading, busySlug, onUse }: TemplatesGalleryProps) {
  return (
    <section aria-labelledby="templates-heading" data-testid="templates-gallery">
      <div className="mb-3 flex items-center gap-2">
        <Sparkles size={16} className="text-accent" />
        <h2 id="templates-heading" className="text-sm font-semibold">
          Start from a template
        </h2>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {loading && !templates
          ? Array.from({ length: 3 }, (_, i) => <div key={i} className="h-48 animate-pulse rounded-xl border border-border bg-panel" />)
          : templates?.map((t) => {
              const look = ICONS[t.slug] ?? { icon: Bot, tint: "#4f46e5" };
              const Icon = look.icon;
              return (
                <article
                  key={t.slug}
                  data-testid="template-card"
                  data-slug={t.slug}
                  className="group flex flex-col rounded-xl border border-border bg-panel p-4 shadow-sm transition hover:-translate-y-0.5 hover:border-accent/50 hover:shadow-md"
                >
                  <div className="flex items-start gap-3">
                    <div
                      className="flex h-10 w-10 shrink-0 items-center justify-center rounded-lg"
                      style={{ backgroundColor: `${look.tint}1a`, color: look.tint }}
                    >
                      <Icon size={20} />
                    </div>
                    <div className="min-w-0">
                      <h3 className="font-semibold leading-tight">{t.name}</h3>
                      <div className="mt-0.5 text-xs text-muted" data-testid="template-node-count">
                        {t.nodeCount} nodes
                      </div>
                    </div>
                  </div>
                  <p className="mt-3 line-clamp-3 text-sm text-muted">{t.description}</p>
                  <div className="mt-3">
                    <KindChips document={t.document} max={5} />
                  </div>
                  <div className="mt-auto flex justify-end pt-4">
                    <Button
                      variant="secondary"
                      size="sm"
                      data-testid="use-template"
                      aria-label={`Use template ${t.name}`}
                      disabled={busySlug !== null}
                      onClick={() => onUse(t)}
                    >
                      {busySlug === t.slug && <Loader2 size={12} className="animate-spin" />}
                      Use template
                    </Button>
                  </div>
                </article>
              );
            })}
      </div>
    </section>
  );
}
