"use client";

import { forwardRef } from "react";
import { cn } from "./cn";

export const inputClass =
  "w-full rounded-md border border-border bg-panel px-2 py-1 text-sm outline-none focus:border-accent focus:ring-1 focus:ring-accent aria-invalid:border-danger";

export const Input = forwardRef<HTMLInputElement, React.InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...props }, ref) {
  return <input ref={ref} className={cn(inputClass, "h-8", className)} {...props} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, React.TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} className={cn(inputClass, "min-h-20 font-mono text-xs", className)} {...props} />;
});
