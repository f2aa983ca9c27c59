import { buildOpenApiDocument } from "@/lib/contracts/openapi";
const t = Date.now();
const d = buildOpenApiDocument();
console.error("ms", Date.now() - t, JSON.stringify(d).length);
console.log(JSON.stringify(d, null, 1));
