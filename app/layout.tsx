import type { Metadata } from "next";
import { headers } from "next/headers";
import { NONCE_HEADER } from "@/lib/server/security-headers";
import "./globals.css";
import { inter } from "./fonts";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/app-header";

export const metadata: Metadata = {
  title: "Aura Studio",
  description: "Design, run and watch multi-agent AI workflows",
  icons: { icon: "/favicon.svg" },
};

/** Sets the theme class before first paint so a dark-mode user never sees a light flash. */
const themeScript = `try{var t=localStorage.getItem("aura-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The page's CSP nonce (proxy.ts); reading headers also makes every page render per request, which
  // nonces need (a prerendered page would carry no nonce).
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" className={inter.variable} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="flex h-full flex-col font-sans antialiased">
        <Providers>
          <AppHeader />
          <main className="min-h-0 flex-1">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
