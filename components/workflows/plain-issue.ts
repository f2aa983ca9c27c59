/**
 * Import issues in the user's words. The server's issues are precise but read as developer output
 * ("SCHEMA_INVALID", "$.name", "expected string, received undefined"); the import dialog shows this
 * sentence first and keeps the code, path and original message as detail. Pure.
 */

/** Splits "$.nodes[2].config.url" into ["nodes", 2, "config", "url"]. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.replace(/^\$/, "").matchAll(/\.([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

const WORDS: Record<string, string> = {
  id: "id",
  kind: "kind",
  label: "label",
  source: "start node",
  target: "end node",
  sourceHandle: "output",
  targetHandle: "input",
  text: "text",
  policy: "policy",
};
const word = (s: string | number) => WORDS[String(s)] ?? String(s);

/** What a path points at, as a person would say it: "The workflow's name", "Node 2's position", "Connection 1's end node". */
export function describePath(path: string): string {
  const seg = pathSegments(path);
  if (seg.length === 0) return "The file";
  const [top, index, field, ...rest] = seg;
  if (top === "name") return "The workflow's name";
  if (top === "description") return "The workflow's description";
  if (top === "schemaVersion") return "The file's schema version";
  if (top === "settings") return seg.length > 1 ? `The workflow setting "${seg.slice(1).join(".")}"` : "The workflow's settings";
  const things: Record<string, [string, string]> = {
    nodes: ["Node", "The list of nodes"],
    edges: ["Connection", "The list of connections"],
    notes: ["Note", "The list of notes"],
  };
  const thing = things[String(top)];
  if (!thing) return `"${seg.join(".")}"`;
  if (typeof index !== "number") return thing[1];
  const which = `${thing[0]} ${index + 1}`;
  if (field === undefined) return which;
  if (field === "config") return rest.length ? `${which}'s setting "${rest.join(".")}"` : `${which}'s settings`;
  if (field === "position") return rest.length ? `${which}'s position (${rest.join(".")})` : `${which}'s position`;
  return `${which}'s ${[word(field), ...rest.map(word)].join(" ")}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  int: "a whole number",
  integer: "a whole number",
};

/**
 * One issue in plain words: missing and wrong-type values are said as such ("The workflow has no
 * name", "Node 1's position (x) must be a number"); issues the validator already words for people
 * (dangling edges, duplicate ids, newer files) keep their message.
 */
export function plainIssue(issue: { path: string; code: string; message: string }): string {
  const subject = describePath(issue.path);
  if (issue.code !== "SCHEMA_INVALID") return issue.message;
  const typed = /expected (\w+), received (\w+)/i.exec(issue.message);
  if (typed) {
    const [, expected, received] = typed;
    if (received === "undefined" || received === "null") return issue.path === "$.name" ? "The workflow has no name" : `${subject} is missing`;
    return `${subject} must be ${TYPE_WORDS[expected.toLowerCase()] ?? expected}, not ${TYPE_WORDS[received.toLowerCase()] ?? received}`;
  }
  if (/must not be empty|is required/i.test(issue.message)) return issue.path === "$.name" ? "The workflow has no name" : `${subject} is empty`;
  if (issue.path === "$") return issue.message;
  // A message that starts with the field's own name ("id may contain only …") reads on after the subject.
  const last = pathSegments(issue.path).at(-1);
  if (typeof last === "string" && issue.message.toLowerCase().startsWith(`${last.toLowerCase()} `)) return `${subject}${issue.message.slice(last.length)}`;
  return `${subject}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}
