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

/** A stack trace with every frame of a transpiled file that has a source map moved to its TypeScript line. */
function typeScriptStack(stack) {
  const { SourceMap } = require("module");
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      try { maps.set(file, new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")))); } catch { maps.set(file, undefined); }
    }
    return maps.get(file);
  };
  // Mocha has already made the project's paths relative to the working directory.
  return stack.replace(/([^\s():]+\.js):(\d+):(\d+)/g, (frame, shown, line, column) => {
    const file = path.resolve(shown);
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !entry.originalSource) return frame;
    const source = path.resolve(path.dirname(file), entry.originalSource.replace(/^file:\/\//, ""));
    return `${path.relative(root, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function runMocha() {
  // Settings of .mocharc.json (which `npx mocha build/test/<file>.test.js` reads for one file).
  const Mocha = require("mocha");
  const mocha = new Mocha({ timeout: 60000, reporter: "spec" });
  for (const file of testFiles(path.join(root, "build", "test"))) mocha.addFile(file);
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    // No --enable-source-maps: Pulumi reads a stack trace for every resource it registers, and
    // mapping each to TypeScript doubles mocha's time. A failure's stack is mapped here instead.
    runner.on("fail", (_test, err) => {
      if (err && typeof err.stack === "string") err.stack = typeScriptStack(err.stack);
    });
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
