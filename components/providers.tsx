"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { useTheme } from "@/components/ui/use-theme";

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
