// Transpiles every TypeScript file of the project to build/, file by file, without type checking:
// about two seconds instead of the twenty that `tsc` spends reading @pulumi/aws's 1.3 million lines
// of declarations. The type check is `npm run typecheck` (tsc --noEmit), which `npm test` runs
// beside mocha, so the project is still type-checked once per test run.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");

/** The files and compiler options tsconfig.json names, as `tsc -p .` would read them. */
function projectConfig() {
  const file = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  if (file.error) throw new Error(ts.flattenDiagnosticMessageText(file.error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(file.config, ts.sys, root);
}

function build() {
  const { options, fileNames } = projectConfig();
  const outDir = options.outDir;
  fs.rmSync(outDir, { recursive: true, force: true });
  const failures = [];
  for (const source of fileNames) {
    const rel = path.relative(root, source);
    const target = path.join(outDir, rel.replace(/\.ts$/, ".js"));
    const result = ts.transpileModule(fs.readFileSync(source, "utf8"), { compilerOptions: options, fileName: source, reportDiagnostics: true });
    for (const d of result.diagnostics ?? []) failures.push(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Source maps point back at the .ts file, so stack traces (node --enable-source-maps) name it.
    const map = JSON.parse(result.sourceMapText);
    map.sources = [path.relative(path.dirname(target), source)];
    fs.writeFileSync(target, result.outputText);
    fs.writeFileSync(`${target}.map`, JSON.stringify(map));
  }
  if (failures.length) throw new Error(`transpiling failed:\n${failures.join("\n")}`);
  return fileNames.length;
}

module.exports = { build };

if (require.main === module) {
  const started = Date.now();
  const count = build();
  if (!process.argv.includes("--quiet")) console.log(`transpiled ${count} files to build/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
