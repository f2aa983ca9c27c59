"use client";

import { PASSWORD_MIN } from "@/lib/contracts";
import { Field } from "./field";

/**
 * A field for choosing a password, with the server's length rules (PASSWORD_MIN..128) so the browser says what is
 * wrong before the request does; `repeat` adds the confirmation field of a reset or change.
 */
export function NewPasswordField({
  label = "Password",
  value,
  onChange,
  autoFocus,
  repeat,
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
  repeat?: { value: string; onChange: (value: string) => void };
}) {
  return (
    <>
      <Field
        label={label}
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        minLength={PASSWORD_MIN}
        maxLength={128}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      {repeat && (
        <Field
          label={`Repeat the ${label.toLowerCase()}`}
          type="password"
          autoComplete="new-password"
          required
          value={repeat.value}
          onChange={(e) => repeat.onChange(e.target.value)}
        />
      )}
    </>
  );
}
