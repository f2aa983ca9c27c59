"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { z } from "zod";
import { useTheme } from "@/components/ui/use-theme";

// zod 4 probes `new Function("")` once to decide whether to compile its parsers; under the pages' CSP
// (no 'unsafe-eval') that probe is a reported violation. In the browser, parse without compiling.
// (Only in the browser: the server keeps zod's faster compiled parsers.)
if (typeof window !== "undefined") z.config({ jitless: true });

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  const { theme } = useTheme();
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster theme={theme} richColors closeButton position="bottom-right" />
    </QueryClientProvider>
  );
}
