/** The centered card of the open pages (setup, sign-in, invitation, reset): a title, a line of context, the form. */
export function AuthCard({ title, description, children }: { title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="flex h-full items-start justify-center overflow-auto px-4 py-16">
      <section aria-labelledby="auth-card-title" className="w-full max-w-sm rounded-xl border border-border bg-panel p-6 shadow-sm">
        <h1 id="auth-card-title" className="text-xl font-semibold tracking-tight">
          {title}
        </h1>
        {description && <div className="mt-1 text-sm text-muted">{description}</div>}
        <div className="mt-5">{children}</div>
      </section>
    </div>
  );
}
