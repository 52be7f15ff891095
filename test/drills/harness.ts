/** Helpers for drill tests: the example's stack files (test/fixtures/example), the fixture outputs, a temp folder per drill. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../src/cli/dr";
import { DrillRequest, DrillResult, runDrill, resumeDrill } from "../../src/drills/drill";
import { DrillInputs } from "../../src/drills/inputs";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { readJournal, JournalEntry } from "../../src/drills/journal";
import { SimState } from "../../src/drills/simState";

import { EXAMPLE_DIR, PROJECT_DIR } from "../harness/paths";

export { EXAMPLE_DIR, PROJECT_DIR };
export const FIXTURES = path.join(PROJECT_DIR, "test/fixtures/drills");
export const FIXTURE_OUTPUTS = { primary: path.join(FIXTURES, "primary.json"), secondary: path.join(FIXTURES, "secondary.json") };

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "drill-"));
}

export async function fixtureInputs(cwd = EXAMPLE_DIR): Promise<DrillInputs> {
  return loadInputs(readProjectStacks(cwd), "files", FIXTURE_OUTPUTS);
}

export interface Ran {
  readonly result: DrillResult;
  readonly lines: string[];
  readonly journal: JournalEntry[];
  readonly journalFile: string;
  readonly sim: SimState;
}

function collected(result: DrillResult, lines: string[], journalFile: string): Ran {
  return { result, lines, journal: readJournal(journalFile), journalFile, sim: JSON.parse(fs.readFileSync(`${journalFile}.sim.json`, "utf8")) as SimState };
}

/** Runs a simulated drill in a fresh temp folder (its journal, sim state and reports land there). */
export async function simulate(scenario: string, extra: Partial<DrillRequest> = {}): Promise<Ran> {
  const lines: string[] = [];
  const journalFile = path.join(tempDir(), "journal.jsonl");
  const result = await runDrill({ scenario, mode: "simulate", cwd: EXAMPLE_DIR, journal: journalFile, log: (l) => lines.push(l), ...extra });
  return collected(result, lines, journalFile);
}

export async function resume(journalFile: string): Promise<Ran> {
  const lines: string[] = [];
  const result = await resumeDrill(journalFile, { mode: "simulate", log: (l) => lines.push(l) });
  return collected(result, lines, journalFile);
}

/** The number in a printed line such as `measured RTO 310 s`. */
export function printed(lines: readonly string[], label: string): number {
  const line = lines.find((l) => l.startsWith(`${label} `));
  if (!line) throw new Error(`no "${label}" line in:\n${lines.join("\n")}`);
  return Number(/^.* (\d+(?:\.\d+)?) s$/.exec(line)![1]);
}

/** A copy of the project file and the example's stack files with each file's text changed, for other strategies. */
export function projectWith(edit: (text: string) => string): string {
  const dir = tempDir();
  for (const f of ["Pulumi.yaml", "Pulumi.primary.yaml", "Pulumi.secondary.yaml"]) fs.writeFileSync(path.join(dir, f), edit(fs.readFileSync(path.join(f === "Pulumi.yaml" ? PROJECT_DIR : EXAMPLE_DIR, f), "utf8")));
  return dir;
}

/** Runs the `dr` command line in-process: its exit code and what it printed. */
export async function dr(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error, exitCode] = [console.log, console.error, process.exitCode];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    process.exitCode = undefined;
    const code = await main(["node", "dr", ...args]);
    return { code, out, err };
  } finally {
    [console.log, console.error] = [log, error];
    process.exitCode = exitCode;
  }
}

/** A copy of the three-region fixture (test/fixtures/three-region) with its stack files renamed (and the references to them) and their text edited. */
export function threeRegionWith(rename: Readonly<Record<string, string>>, edit: (file: string, text: string) => string = (_f, t) => t): string {
  const from = path.join(PROJECT_DIR, "test/fixtures/three-region");
  const dir = tempDir();
  for (const f of fs.readdirSync(from)) {
    const stack = /^Pulumi\.(.+)\.yaml$/.exec(f)![1];
    const name = rename[stack] ?? stack;
    const text = Object.entries(rename).reduce((t, [old, now]) => t.replace(new RegExp(`/${old}$`, "gm"), `/${now}`), fs.readFileSync(path.join(from, f), "utf8"));
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), edit(name, text));
  }
  return dir;
}

/** The simulated calls of one operation. */
export const callsOf = (r: Ran, operation: string) => r.sim.calls.filter((c) => c.operation === operation);

/** The error a promise rejects with; undefined when it resolves. */
export const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

/** An error shaped as AWS SDK v3 throws it: its name is the error code, with the HTTP status. */
export const awsError = (name: string, status: number) => Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status } });
