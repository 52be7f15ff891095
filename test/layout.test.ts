import { expect } from "chai";
import { ImportGraph, importCycles, importGraph } from "./harness/importGraph";
import { PROJECT_DIR } from "./harness/stack";

/** The README's layout: components are the library, stacks compose them, and nothing imports in a circle. */
describe("source layout", () => {
  let graph: ImportGraph;
  before(() => {
    graph = importGraph(PROJECT_DIR, ["components", "stacks", "src", "policy", "test"]);
  });

  it("reads the project's imports (a graph with no edges would pass every rule below)", () => {
    expect(graph.get("stacks/primary.ts")).to.include("components/security/multiRegionKey.ts");
  });

  it("components import nothing from stacks/, src/ or test/", () => {
    const reachingUp = [...graph].flatMap(([file, targets]) =>
      file.startsWith("components/") ? targets.filter((t) => !t.startsWith("components/")).map((t) => `${file} -> ${t}`) : []);
    expect(reachingUp).to.deep.equal([]);
  });

  it("groups components by the concern their type tokens name, with shared helpers at the top", () => {
    const concerns = new Set(["network", "compute", "data", "storage", "security", "dns", "observability", "recovery", "resilience"]);
    const misplaced = [...graph.keys()].filter((f) => f.startsWith("components/")).filter((f) => {
      const parts = f.split("/");
      return parts.length > 3 || (parts.length === 3 && !concerns.has(parts[1]));
    });
    expect(misplaced).to.deep.equal([]);
  });

  it("has no import cycles", () => {
    expect(importCycles(graph).map((c) => c.join(" -> "))).to.deep.equal([]);
  });

  it("finds a cycle when there is one, so the check above can fail", () => {
    const cyclic = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    expect(importCycles(cyclic)).to.deep.equal([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });
});
