// `npm test`: transpile (scripts/build.js), then run the type check (tsc --noEmit) and mocha at the
// same time: on two cores the type check's ~20 s hides behind mocha's run instead of adding to it.
// Both must pass. The last line is the plain "N passed, N failed" count.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");
const { build } = require("./build");

const root = path.resolve(__dirname, "..");

function typeCheck() {
  return new Promise((resolve) => {
    const tsc = spawn(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", root, "--noEmit"], { cwd: root });
    let output = "";
    tsc.stdout.on("data", (d) => (output += d));
    tsc.stderr.on("data", (d) => (output += d));
    tsc.on("close", (code) => resolve({ ok: code === 0, output }));
  });
}

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith(".test.js") ? [p] : [];
  }).sort();
}

function runMocha() {
  // Settings of .mocharc.json (which `npx mocha build/test/<file>.test.js` reads for one file).
  const Mocha = require("mocha");
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({ timeout: 60000, reporter: "spec" });
  for (const file of testFiles(path.join(root, "build", "test"))) mocha.addFile(file);
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
}

async function main() {
  build();
  const checked = typeCheck();
  const stats = await runMocha();
  const types = await checked;
  console.log(types.ok ? "type check (tsc --noEmit): no errors" : `type check (tsc --noEmit) failed:\n${types.output}`);
  console.log(`${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ""}`);
  process.exitCode = types.ok && stats.failures === 0 && stats.passes > 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
