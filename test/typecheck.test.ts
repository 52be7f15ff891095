import { expect } from "chai";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_DIR } from "./harness/stack";

/**
 * `npm test` starts with `tsc`, the offline schema check of every resource argument against the
 * @pulumi/aws types. This proves the project's compiler settings catch a misspelt argument.
 * One compiler program holds both probes: building one costs seconds.
 */
const PROBES = {
  misspelt: `import { Cluster } from "@pulumi/aws/rds/cluster";\nnew Cluster("db", { engine: "aurora-postgresql", storageEncryptd: true });\n`,
  correct: `import { Cluster } from "@pulumi/aws/rds/cluster";\nnew Cluster("db", { engine: "aurora-postgresql", storageEncrypted: true });\n`,
  // A drill step kind added to STEP_KINDS without a Region switch mapping: the table's type demands one per kind.
  unmappedKind: `import { KIND_MAPPING, KindMappingTable } from "../src/regionswitch/translate";\nimport { StepKind } from "../src/drills/step";\nexport const table: KindMappingTable<StepKind | "new-kind"> = { ...KIND_MAPPING };\n`,
  mappedKinds: `import { KIND_MAPPING, KindMappingTable } from "../src/regionswitch/translate";\nimport { StepKind } from "../src/drills/step";\nexport const table: KindMappingTable<StepKind> = { ...KIND_MAPPING };\n`,
};

function diagnosticsByProbe(): Record<keyof typeof PROBES, string[]> {
  const configFile = ts.readConfigFile(path.join(PROJECT_DIR, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, PROJECT_DIR);
  const files = Object.fromEntries(Object.entries(PROBES).map(([k, src]) => [path.join(PROJECT_DIR, "components", `__probe_${k}__.ts`), src]));
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files[f] ?? readFile(f);
  host.fileExists = (f) => f in files || fileExists(f);
  const program = ts.createProgram(Object.keys(files), { ...options, noEmit: true }, host);
  const result = {} as Record<keyof typeof PROBES, string[]>;
  for (const key of Object.keys(PROBES) as Array<keyof typeof PROBES>) {
    const file = program.getSourceFile(path.join(PROJECT_DIR, "components", `__probe_${key}__.ts`))!;
    result[key] = ts.getPreEmitDiagnostics(program, file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  return result;
}

describe("type check of resource arguments", () => {
  let diagnostics: Record<keyof typeof PROBES, string[]>;
  before(() => {
    diagnostics = diagnosticsByProbe();
  });

  it("rejects a misspelt @pulumi/aws resource argument and suggests the right one", () => {
    expect(diagnostics.misspelt.join("\n")).to.match(/storageEncryptd.*does not exist[\s\S]*storageEncrypted/);
  });

  it("accepts the correctly spelt argument, so the check above fails only for the typo", () => {
    expect(diagnostics.correct).to.deep.equal([]);
  });

  it("fails the build when a drill step kind has no in-cloud plan mapping", () => {
    expect(diagnostics.unmappedKind.join("\n")).to.match(/Property '"?new-kind"?' is missing/);
  });

  it("accepts the mapping of every existing step kind, so the check above fails only for the new kind", () => {
    expect(diagnostics.mappedKinds).to.deep.equal([]);
  });
});
