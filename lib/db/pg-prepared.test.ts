import { describe, expect, it } from "vitest";
import { preparedStatementsEnabled, statementNamer } from "./pg-prepared";

describe("statementNamer", () => {
  it("gives each distinct parameterised text one stable name", () => {
    const name = statementNamer();
    const a = name({ sql: "SELECT $1", args: [1] });
    expect(a).toMatch(/^aura_/);
    expect(name({ sql: "SELECT $1", args: [2] })).toBe(a);
    expect(name({ sql: "SELECT $1, $2", args: [1, 2] })).not.toBe(a);
  });

  it("leaves texts without parameters unnamed (a simple query may hold several statements)", () => {
    expect(statementNamer()({ sql: "BEGIN", args: [] })).toBeUndefined();
  });

  it("names at most `limit` texts; later ones go unnamed, earlier ones keep their names", () => {
    const name = statementNamer(2);
    const first = name({ sql: "a $1", args: [1] });
    name({ sql: "b $1", args: [1] });
    expect(name({ sql: "c $1", args: [1] })).toBeUndefined();
    expect(name({ sql: "a $1", args: [1] })).toBe(first);
  });

  it("is on unless AURA_PG_PREPARED=0", () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ AURA_PG_PREPARED: "0" })).toBe(false);
  });
});
