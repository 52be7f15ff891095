/**
 * The pack compiles wherever the Pulumi CLI runs it. run-policy-pack compiles policy/ with ts-node
 * and the TypeScript it can require from @pulumi/pulumi's folder, else with the TypeScript 3.8.3
 * it bundles (@pulumi/pulumi tsutils.js, typeScriptRequireStrings). So: the pack declares its
 * TypeScript (policy/package.json, for a pack published on its own; the project's production
 * dependencies, for `npm ci --omit=dev`), and its source is also valid TypeScript 3.8 syntax.
 * (The full type check under 3.8.3 takes about 8 s: `node scripts/checkPolicyTs38.js`.)
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PACK_DIR } from "./harness/analyzer";

const ROOT = path.dirname(PACK_DIR);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [PACK_DIR] }));
const BUNDLED_TS = path.join(PULUMI_DIR, "vendor", "typescript@3.8.3", "typescript.js");

interface Ts38 {
  version: string;
  transpileModule(source: string, o: { reportDiagnostics: boolean; fileName: string; compilerOptions: Record<string, unknown> }): { diagnostics?: { messageText: unknown; start?: number }[] };
  flattenDiagnosticMessageText(m: unknown, nl: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts38 = () => require(BUNDLED_TS) as Ts38;

/** Syntax errors TypeScript 3.8 finds in a source (what its parser rejects, such as `??=`). */
function syntaxErrors38(source: string, fileName = "x.ts"): string[] {
  const ts = ts38();
  const out = ts.transpileModule(source, { reportDiagnostics: true, fileName, compilerOptions: { target: 7 /* ES2020 */, module: 1 /* CommonJS */ } });
  return (out.diagnostics ?? []).map((d) => `${fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

function packFiles(dir = PACK_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? (e.name === "node_modules" ? [] : packFiles(p)) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("policy pack compiles wherever the Pulumi CLI runs it", () => {
  it("declares the TypeScript and node types it compiles with, at the project's versions, so run-policy-pack never falls back to TypeScript 3.8.3", () => {
    const root = readJson(path.join(ROOT, "package.json"));
    const pack = readJson(path.join(PACK_DIR, "package.json"));
    for (const dep of ["typescript", "@types/node", "@pulumi/policy", "@pulumi/pulumi"]) {
      // Production dependencies of the project: `npm ci --omit=dev` keeps them.
      expect(root.dependencies?.[dep], `project dependency ${dep}`).to.be.a("string");
      expect(pack.dependencies?.[dep], `policy/package.json dependency ${dep}`).to.equal(root.dependencies?.[dep]);
    }
  });

  it("resolves TypeScript from @pulumi/pulumi's folder as run-policy-pack does, and finds the project's, not the bundled 3.8.3", () => {
    const found = require.resolve("typescript/package.json", { paths: [PULUMI_DIR] });
    const version = (JSON.parse(fs.readFileSync(found, "utf8")) as { version: string }).version;
    expect(found).to.not.contain("vendor");
    expect(Number(version.split(".")[0])).to.be.at.least(5);
  });

  it("is valid TypeScript 3.8 syntax, file by file (the bundled fallback's parser), which rejects what 3.8 cannot read", () => {
    expect(ts38().version).to.equal("3.8.3");
    expect(syntaxErrors38("let cached: number | undefined;\ncached ??= 1;\n")).to.have.length.greaterThan(0);
    const files = packFiles();
    expect(files.length).to.be.greaterThan(10);
    expect(files.flatMap((f) => syntaxErrors38(fs.readFileSync(f, "utf8"), path.relative(ROOT, f)))).to.deep.equal([]);
  });

  it("imports nothing from outside policy/ but the packages it declares and node's own modules, so it runs published on its own", () => {
    const declared = Object.keys(readJson(path.join(PACK_DIR, "package.json")).dependencies ?? {});
    const outside: string[] = [];
    for (const f of packFiles()) {
      for (const m of fs.readFileSync(f, "utf8").matchAll(/(?:from|import|require\()\s*"([^"]+)"/g)) {
        const spec = m[1];
        const ok = spec.startsWith(".") ? path.resolve(path.dirname(f), spec).startsWith(PACK_DIR) : ["fs", "path"].includes(spec) || declared.some((d) => spec === d || spec.startsWith(`${d}/`));
        if (!ok) outside.push(`${path.relative(ROOT, f)}: ${spec}`);
      }
    }
    expect(outside).to.deep.equal([]);
  });
});
