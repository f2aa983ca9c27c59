import type { Metadata } from "next";
import { buildOpenApiDocument } from "@/lib/contracts/openapi";
import { ApiReference, type OpenApiDocument } from "@/components/api-docs/api-reference";

export const metadata: Metadata = { title: "API reference · Aura Studio" };

/** /api-docs: the HTTP API reference, rendered at build time from the same document as /api/openapi.json. */
export default function ApiDocsPage() {
  return (
    <div className="h-full overflow-auto">
      <ApiReference doc={buildOpenApiDocument() as unknown as OpenApiDocument} />
    </div>
  );
}
