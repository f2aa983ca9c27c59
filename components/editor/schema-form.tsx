"use client";

/**
 * A form generated from a JSON Schema (the kind's config schema via configJsonSchema): strings with
 * the widget from `.meta({ widget })`, numbers with bounds, booleans, enums, tag lists for arrays of
 * strings and repeatable sub-forms for arrays of objects. Field errors come in keyed by dotted path.
 */
import { useState } from "react";
import { ArrowDown, ArrowUp, Plus, Trash2, X } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/input";
import { CredentialPicker } from "@/components/settings/credential-picker";
import type { CredentialType } from "@/lib/contracts";

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  widget?: string;
  /** widget "credential": which credential types the picker offers. */
  credentialTypes?: CredentialType[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
}

export type FieldErrors = ReadonlyMap<string, string[]>;

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>, path: string) => void;
  errors?: FieldErrors;
  /** Label overrides by dotted path (else the description, else the humanised key). */
  labels?: Record<string, string>;
  /** Prefix for data-testids, e.g. "field" → data-testid="field-url". */
  testIdPrefix?: string;
}

const humanise = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]/g, " ")
    .replace(/^./, (c) => c.toUpperCase());

/** The variant the form edits: for `"" | identifier` unions, the string. */
function effective(schema: JsonSchema): JsonSchema {
  if (schema.anyOf?.length) {
    const pick = schema.anyOf.find((s) => s.const === undefined && s.type) ?? schema.anyOf[0];
    return { ...pick, description: schema.description ?? pick.description, default: schema.default ?? pick.default };
  }
  return schema;
}

/** A fresh value for a new array item (defaults, empty strings for required text). */
export function emptyValue(schema: JsonSchema): unknown {
  const s = effective(schema);
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) out[k] = emptyValue(p);
      return out;
    }
    case "array":
      return [];
    case "boolean":
      return false;
    case "number":
    case "integer":
      return s.minimum ?? 0;
    default:
      return "";
  }
}

export function SchemaForm({ schema, value, onChange, errors = new Map(), labels = {}, testIdPrefix = "field" }: SchemaFormProps) {
  return (
    <ObjectFields
      schema={schema}
      value={value}
      path=""
      errors={errors}
      labels={labels}
      testIdPrefix={testIdPrefix}
      onChange={(v, p) => onChange(v as Record<string, unknown>, p)}
    />
  );
}

interface FieldProps {
  schema: JsonSchema;
  value: unknown;
  path: string;
  errors: FieldErrors;
  labels: Record<string, string>;
  testIdPrefix: string;
  onChange: (value: unknown, path: string) => void;
}

function ObjectFields({ schema, value, path, errors, labels, testIdPrefix, onChange }: FieldProps) {
  const obj = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const required = new Set(schema.required ?? []);
  return (
    <div className="space-y-3">
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => {
        const p = path ? `${path}.${key}` : key;
        return (
          <Field
            key={key}
            name={key}
            required={required.has(key)}
            schema={prop}
            value={obj[key]}
            path={p}
            errors={errors}
            labels={labels}
            testIdPrefix={testIdPrefix}
            onChange={(v, changed) => {
              const next = { ...obj };
              if (v === undefined) delete next[key];
              else next[key] = v;
              // Picking a credential (or Server default) settles the unmapped name an import left beside it.
              if (prop.widget === "credential") delete next.credentialName;
              onChange(next, changed);
            }}
          />
        );
      })}
    </div>
  );
}

function Field(props: FieldProps & { name: string; required: boolean }) {
  const { name, required, path, errors, labels, testIdPrefix } = props;
  const s = effective(props.schema);
  const label = labels[path.replace(/\.\d+\./g, ".*.")] ?? labels[path] ?? s.description ?? humanise(name);
  const id = `${testIdPrefix}-${path}`;
  const fieldErrors = errors.get(path) ?? [];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const invalid = fieldErrors.length > 0;

  let control: React.ReactNode;
  // A hidden field shows only its errors (an imported credential name that still needs a choice).
  if (s.widget === "hidden") return fieldErrors.length ? <FieldErrorList errors={fieldErrors} id={id} /> : null;
  if (s.widget === "credential") {
    control = <CredentialPicker id={id} value={props.value} types={s.credentialTypes ?? []} invalid={invalid} onChange={(v) => props.onChange(v, path)} />;
  } else if (s.enum) {
    control = (
      <select
        id={id}
        data-testid={id}
        aria-invalid={invalid || undefined}
        className={cn(inputClass, "h-8")}
        value={s.enum.includes(props.value) ? String(props.value) : ""}
        onChange={(e) =>
          props.onChange(
            s.enum!.find((x) => String(x) === e.target.value),
            path,
          )
        }
      >
        {props.value === undefined && <option value="">Choose…</option>}
        {s.enum.map((opt) => (
          <option key={String(opt)} value={String(opt)}>
            {String(opt)}
          </option>
        ))}
      </select>
    );
  } else if (type === "boolean") {
    return (
      <label className="flex items-start gap-2 text-[13px]" htmlFor={id}>
        <input
          id={id}
          data-testid={id}
          type="checkbox"
          className="mt-0.5 h-4 w-4 accent-[var(--color-accent)]"
          checked={props.value === true}
          onChange={(e) => props.onChange(e.target.checked, path)}
        />
        <span>{label}</span>
        <FieldErrorList errors={fieldErrors} id={id} />
      </label>
    );
  } else if (type === "number" || type === "integer") {
    control = <NumberInput id={id} schema={s} integer={type === "integer"} value={props.value} invalid={invalid} onChange={(v) => props.onChange(v, path)} />;
  } else if (type === "array") {
    const items = effective(s.items ?? {});
    const list = Array.isArray(props.value) ? props.value : [];
    control =
      items.type === "object" ? (
        <ObjectList {...props} schema={s} list={list} />
      ) : (
        <TagList id={id} list={list.map(String)} invalid={invalid} max={s.maxItems} onChange={(v) => props.onChange(v, path)} />
      );
  } else if (type === "object") {
    control = (
      <div className="rounded-lg border border-border p-3">
        <ObjectFields {...props} schema={s} />
      </div>
    );
  } else if (s.widget === "json") {
    control = <JsonValueInput id={id} value={props.value} invalid={invalid} onChange={(v) => props.onChange(v, path)} />;
  } else {
    const text = typeof props.value === "string" ? props.value : props.value === undefined ? "" : JSON.stringify(props.value);
    const widget = s.widget ?? "text";
    const common = {
      id,
      "data-testid": id,
      "aria-invalid": invalid || undefined,
      value: text,
      maxLength: s.maxLength,
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value, path),
    };
    if (widget === "textarea") control = <textarea {...common} rows={4} className={cn(inputClass, "min-h-20 resize-y leading-relaxed")} />;
    else if (widget === "code")
      control = (
        <textarea {...common} rows={8} spellCheck={false} className={cn(inputClass, "min-h-32 resize-y bg-panel-2 font-mono text-xs leading-relaxed")} />
      );
    else if (widget === "template")
      control = (
        <textarea
          {...common}
          rows={3}
          spellCheck={false}
          placeholder="Use {{field}} to insert state"
          className={cn(inputClass, "min-h-16 resize-y font-mono text-xs leading-relaxed")}
        />
      );
    else if (widget === "expression") control = <input {...common} spellCheck={false} className={cn(inputClass, "h-8 font-mono text-xs")} />;
    else control = <input {...common} className={cn(inputClass, "h-8")} />;
  }

  return (
    <div data-field={path}>
      <label htmlFor={id} className="mb-1 flex items-center gap-1 text-xs font-medium text-fg/80">
        {label}
        {required && (
          <span className="text-danger" aria-label="required">
            *
          </span>
        )}
      </label>
      {control}
      <FieldErrorList errors={fieldErrors} id={id} />
    </div>
  );
}

function FieldErrorList({ errors, id }: { errors: string[]; id: string }) {
  if (!errors.length) return null;
  return (
    <ul className="mt-1 space-y-0.5" data-testid={`${id}-error`}>
      {errors.map((e, i) => (
        <li key={i} className="text-[11px] text-danger">
          {e}
        </li>
      ))}
    </ul>
  );
}

function NumberInput({
  id,
  schema,
  integer,
  value,
  invalid,
  onChange,
}: {
  id: string;
  schema: JsonSchema;
  integer: boolean;
  value: unknown;
  invalid: boolean;
  onChange: (v: number | undefined) => void;
}) {
  // Keep what the user typed ("1." or "") locally; the document only gets real numbers.
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (typeof value === "number" ? String(value) : "");
  return (
    <input
      id={id}
      data-testid={id}
      type="number"
      inputMode={integer ? "numeric" : "decimal"}
      min={schema.minimum}
      max={schema.maximum}
      step={integer ? 1 : "any"}
      aria-invalid={invalid || undefined}
      className={cn(inputClass, "h-8 tabular-nums")}
      value={shown}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = e.target.value === "" ? undefined : Number(e.target.value);
        onChange(n === undefined || Number.isNaN(n) ? undefined : n);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

/** How the `json` widget shows a value: plain text for strings (quoted only when they would read as JSON). */
export function jsonValueText(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return isJson(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value, null, typeof value === "object" && value !== null ? 2 : undefined);
}

/** What the `json` widget stores for a text: nothing when empty, the JSON value when it parses, else the text. */
export function jsonValueOf(text: string): unknown {
  if (text.trim() === "") return undefined;
  return isJson(text) ? JSON.parse(text) : text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function JsonValueInput({ id, value, invalid, onChange }: { id: string; value: unknown; invalid: boolean; onChange: (v: unknown) => void }) {
  // Keep the exact text while typing (e.g. a half-written object); the document gets its value.
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? jsonValueText(value);
  return (
    <textarea
      id={id}
      data-testid={id}
      aria-invalid={invalid || undefined}
      rows={Math.min(6, Math.max(1, shown.split("\n").length))}
      spellCheck={false}
      placeholder="Text, a number, true/false or JSON ([…], {…})"
      className={cn(inputClass, "min-h-8 resize-y font-mono text-xs leading-relaxed")}
      value={shown}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange(jsonValueOf(e.target.value));
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

function TagList({ id, list, invalid, max, onChange }: { id: string; list: string[]; invalid: boolean; max?: number; onChange: (v: string[]) => void }) {
  const [text, setText] = useState("");
  const add = () => {
    const t = text.trim();
    if (!t || list.includes(t) || (max !== undefined && list.length >= max)) return;
    onChange([...list, t]);
    setText("");
  };
  return (
    <div className={cn("flex flex-wrap items-center gap-1 rounded-md border bg-panel p-1", invalid ? "border-danger" : "border-border")} data-testid={id}>
      {list.map((t, i) => (
        <span key={`${t}-${i}`} className="inline-flex items-center gap-1 rounded bg-panel-2 px-1.5 py-0.5 text-xs">
          {t}
          <button
            type="button"
            aria-label={`Remove ${t}`}
            className="rounded text-muted hover:text-danger"
            onClick={() => onChange(list.filter((_, j) => j !== i))}
          >
            <X size={12} />
          </button>
        </span>
      ))}
      <input
        id={id}
        data-testid={`${id}-input`}
        className="h-6 min-w-20 flex-1 bg-transparent px-1 text-sm outline-none"
        value={text}
        placeholder={list.length ? "" : "Type and press Enter"}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === ",") {
            e.preventDefault();
            add();
          } else if (e.key === "Backspace" && !text && list.length) onChange(list.slice(0, -1));
        }}
        onBlur={add}
      />
    </div>
  );
}

function ObjectList(props: FieldProps & { list: unknown[] }) {
  const { schema, list, path, onChange } = props;
  const itemSchema = effective(schema.items ?? {});
  const set = (next: unknown[]) => onChange(next, path);
  const move = (i: number, d: number) => {
    const next = [...list];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x);
    set(next);
  };
  const full = schema.maxItems !== undefined && list.length >= schema.maxItems;
  return (
    <div className="space-y-2" data-testid={`${props.testIdPrefix}-${path}`}>
      {list.map((item, i) => (
        <div key={i} className="rounded-lg border border-border bg-panel-2/50 p-2.5" data-testid={`${props.testIdPrefix}-${path}.${i}`}>
          <div className="mb-2 flex items-center gap-1">
            <span className="flex-1 text-[11px] font-semibold text-muted">#{i + 1}</span>
            <IconButton label="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
              <ArrowUp size={13} />
            </IconButton>
            <IconButton label="Move down" disabled={i === list.length - 1} onClick={() => move(i, 1)}>
              <ArrowDown size={13} />
            </IconButton>
            <IconButton label={`Remove item ${i + 1}`} onClick={() => set(list.filter((_, j) => j !== i))} danger>
              <Trash2 size={13} />
            </IconButton>
          </div>
          <ObjectFields
            {...props}
            schema={itemSchema}
            value={item}
            path={`${path}.${i}`}
            onChange={(v, changed) => {
              const next = [...list];
              next[i] = v;
              onChange(next, changed);
            }}
          />
        </div>
      ))}
      <button
        type="button"
        disabled={full}
        data-testid={`${props.testIdPrefix}-${path}-add`}
        onClick={() => set([...list, emptyValue(itemSchema)])}
        className="flex w-full items-center justify-center gap-1 rounded-lg border border-dashed border-border py-1.5 text-xs text-muted hover:border-accent hover:text-accent disabled:opacity-50"
      >
        <Plus size={13} /> Add
      </button>
    </div>
  );
}

function IconButton({
  label,
  onClick,
  disabled,
  danger,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className={cn("rounded p-1 text-muted hover:bg-panel disabled:opacity-30", danger ? "hover:text-danger" : "hover:text-fg")}
    >
      {children}
    </button>
  );
}
