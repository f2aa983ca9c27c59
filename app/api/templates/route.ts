import { NextResponse } from "next/server";
import { listTemplates } from "@/lib/server/templates";

export const dynamic = "force-dynamic";

/** GET /api/templates → { templates: [{ slug, name, description, nodeCount, document }] } */
export async function GET() {
  return NextResponse.json({ templates: await listTemplates() });
}
