import { DeltaSnapshot, JsonPlusSerializer } from "@langchain/langgraph-checkpoint";

/**
 * The checkpoint serializer of every checkpointer we create: state goes in and comes out as plain JSON.
 *
 * Why: LangGraph's JsonPlusSerializer revives objects on load. `{"lc":1,"type":"constructor","id":
 * ["langchain_core",…],"kwargs":{…}}` is handed to LangChain's `load()` and comes back as a class
 * instance, and `{"lc":2,"type":"constructor","id":["RegExp"|"Set"|"Map"|"Error"],…}` or
 * `{"lc":2,"type":"undefined"}` turn into other values. Our state is data that nodes took from the
 * outside (HTTP bodies, model answers, JS transforms), so a response shaped like that would change
 * type on resume (the JS analogue of CVE-2025-64439). Our state never holds LangChain objects, so:
 * - on save, every `lc` key in the data is escaped (`lc` → `~lc`, `~lc` → `~~lc`), so the only
 *   `lc` records left are the ones the serializer itself writes (undefined, Set, Map, …); `__proto__`
 *   keys too, which the reviver's `obj[key] = value` would turn into the object's prototype;
 * - on load, any `lc` record it did not write (older checkpoints, edited rows) is escaped before
 *   LangGraph's reviver sees it, and all escapes are undone afterwards: data comes back as it went in.
 */
export class PlainJsonSerializer extends JsonPlusSerializer {
  override async dumpsTyped(obj: unknown): Promise<[string, Uint8Array]> {
    return super.dumpsTyped(escapeData(obj, ""));
  }

  override async loadsTyped(type: string, data: Uint8Array | string): Promise<unknown> {
    if (type !== "json") return super.loadsTyped(type, data);
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    const guarded = JSON.stringify(JSON.parse(text), (_k, v: unknown) => (isForeignRecord(v) ? escapeKeys(v) : v));
    return unescapeData(await super.loadsTyped("json", guarded));
  }
}

// Keys the reviver must never see as they are: `lc` (records) and `__proto__` (its `obj[k] = v` would
// set the prototype of the revived object instead of a key: data would grow inherited fields).
const ESCAPED_LC = /^~*(lc|__proto__)$/;
const UNESCAPE_LC = /^~+(lc|__proto__)$/;

/** Sets an own property, even "__proto__" (plain assignment would replace the prototype). */
function setOwn(o: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Values the serializer encodes itself (it checks them with instanceof): left as they are. */
const isSerializerValue = (v: object) =>
  v instanceof Set || v instanceof Map || v instanceof RegExp || v instanceof Error || ArrayBuffer.isView(v) || v instanceof DeltaSnapshot;

/** A copy of `o` with its lc keys escaped (one level). */
function escapeKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) setOwn(out, ESCAPED_LC.test(k) ? `~${k}` : k, v);
  return out;
}

/** What JSON.stringify would write, with every lc key escaped (toJSON is called the same way). */
function escapeData(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(k: string): unknown }).toJSON(key);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((item, i) => escapeData(item, String(i)));
  if (isSerializerValue(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) setOwn(out, ESCAPED_LC.test(k) ? `~${k}` : k, escapeData(item, k));
  return out;
}

/** An lc record the serializer did not write (anything but its own lc:2 kinds), or an object with a "__proto__" key. */
function isForeignRecord(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  if (Object.prototype.hasOwnProperty.call(v, "__proto__")) return true;
  if (!Object.prototype.hasOwnProperty.call(v, "lc")) return false;
  return !(v.lc === 2 && (v.type === "undefined" || v.type === "constructor" || v.type === "delta_snapshot"));
}

/** Undoes the escapes in plain objects and arrays (revived Sets, Maps … were never escaped). */
function unescapeData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unescapeData);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(value)) setOwn(out, UNESCAPE_LC.test(k) ? k.slice(1) : k, unescapeData(item));
  return out;
}
