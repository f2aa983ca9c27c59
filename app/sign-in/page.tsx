import type { Metadata } from "next";
import { SignInForm } from "@/components/account/sign-in-form";

export const metadata: Metadata = { title: "Sign in · Aura Studio" };

/** Sign in (open page); `?next=` is where to go afterwards (checked in the form: same-site paths only). */
export default async function SignInRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return <SignInForm next={typeof next === "string" ? next : null} />;
}
