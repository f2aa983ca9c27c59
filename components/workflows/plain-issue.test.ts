import { describe, expect, it } from "vitest";
import { describePath, pathSegments, plainIssue } from "./plain-issue";

const schema = (path: string, message: string) => ({ path, code: "SCHEMA_INVALID", message });

describe("plainIssue", () => {
  it("says a missing or empty name in the user's words", () => {
    expect(plainIssue(schema("$.name", "Invalid input: expected string, received undefined"))).toBe("The workflow has no name");
    expect(plainIssue(schema("$.name", "name must not be empty"))).toBe("The workflow has no name");
  });

  it("says missing values and wrong types about the thing, not the JSON path", () => {
    expect(plainIssue(schema("$.nodes", "Invalid input: expected array, received undefined"))).toBe("The list of nodes is missing");
    expect(plainIssue(schema("$.nodes", "Invalid input: expected array, received string"))).toBe("The list of nodes must be a list, not text");
    expect(plainIssue(schema("$.nodes[0].position.x", "Invalid input: expected number, received string"))).toBe(
      "Node 1's position (x) must be a number, not text",
    );
    expect(plainIssue(schema("$.nodes[0].kind", "Invalid input: expected string, received number"))).toBe("Node 1's kind must be text, not a number");
    expect(plainIssue(schema("$.edges[2].target", "Invalid input: expected string, received undefined"))).toBe("Connection 3's end node is missing");
  });

  it("reads a field's own message on after the subject", () => {
    expect(plainIssue(schema("$.nodes[1].id", "id may contain only letters, digits, '_', '.', ':' and '-'"))).toBe(
      "Node 2's id may contain only letters, digits, '_', '.', ':' and '-'",
    );
    expect(plainIssue(schema("$.nodes[3].config.url", "Not a valid URL"))).toBe('Node 4\'s setting "url": not a valid URL');
  });

  it("keeps messages the validator already words for people", () => {
    const dangling = { path: "$.edges[0].target", code: "DANGLING_EDGE", message: 'Edge "e" ends at node "ghost", which does not exist.' };
    expect(plainIssue(dangling)).toBe(dangling.message);
    expect(plainIssue(schema("$", "A workflow document must be a JSON object."))).toBe("A workflow document must be a JSON object.");
  });
});

describe("describePath", () => {
  it("names the file, the workflow's fields, nodes, connections and settings", () => {
    expect(pathSegments('$.nodes[2].config["a b"]')).toEqual(["nodes", 2, "config", "a b"]);
    expect(describePath("$")).toBe("The file");
    expect(describePath("$.schemaVersion")).toBe("The file's schema version");
    expect(describePath("$.nodes[0]")).toBe("Node 1");
    expect(describePath("$.notes[1].text")).toBe("Note 2's text");
    expect(describePath("$.settings.runTimeoutMs")).toBe('The workflow setting "runTimeoutMs"');
  });
});
