import type { NextConfig } from "next";
import { LOCKED_DOWN_CSP, SHARED_SECURITY_HEADERS } from "./lib/server/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and server-only packages stay outside the bundle; Node loads them at run time.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@prisma/schema-engine-wasm",
    "pg",
    "quickjs-emscripten",
    "@langchain/langgraph-checkpoint-sqlite",
    "@langchain/langgraph-checkpoint-postgres",
  ],
  typescript: { ignoreBuildErrors: false },
  // Security headers on every response (lib/server/security-headers.ts). Pages get their CSP, with a
  // per-request nonce, from proxy.ts; API answers and build assets get the locked-down one here.
  async headers() {
    const locked = [{ key: "Content-Security-Policy", value: LOCKED_DOWN_CSP }];
    return [
      { source: "/:path*", headers: [...SHARED_SECURITY_HEADERS] },
      { source: "/api/:path*", headers: locked },
      { source: "/_next/:path*", headers: locked },
    ];
  },
};

export default nextConfig;
