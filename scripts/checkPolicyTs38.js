// Type-checks the policy pack with the TypeScript 3.8.3 that @pulumi/pulumi bundles, as
// run-policy-pack would compile it if the project's TypeScript were missing (ts-node, typeCheck,
// target ES2020, commonjs). About 8 s, so `npm test` checks only 3.8 syntax and the declared
// dependencies (test/policyPackCompile.test.ts). Exit code 1 on any error in the pack's files.
"use strict";
const fs = require("fs");
const path = require("path");

const packDir = path.resolve(__dirname, "..", "policy");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }));
const ts = require(path.join(pulumiDir, "vendor", "typescript@3.8.3", "typescript.js"));

const files = [path.join(packDir, "index.ts"), ...fs.readdirSync(path.join(packDir, "policies")).map((f) => path.join(packDir, "policies", f))];
const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.NodeJs, sourceMap: true });
const ours = program.getSourceFiles().filter((f) => f.fileName.startsWith(packDir + path.sep));
const errors = ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])
  .map((d) => `${path.relative(process.cwd(), d.file.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
console.log(errors.length ? errors.join("\n") : `policy pack: ${ours.length} files type-check under TypeScript ${ts.version}`);
process.exitCode = errors.length ? 1 : 0;
