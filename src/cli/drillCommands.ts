/**
 * `dr drill <scenario>` and `dr drill resume <journal>`. Modes: --dry-run (default: print every
 * AWS call, change nothing), --simulate (the built-in region pair on a virtual clock, with
 * --fault), --execute (real AWS; asks first unless --yes). Exit codes: 0 completed, 1 a step
 * failed (or readiness found problems), 2 a gate refused, 3 the (simulated) process died, 4 aborted.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import * as readline from "readline";
import { Readable, Writable } from "stream";
import { findPulumiCli, processPreflightEnv } from "../deploy/automation";
import { DrillRequest, Mode, resumeDrill, runDrill, scenarioFaults } from "../drills/drill";
import { DrillError } from "../drills/errors";
import { undoDrill } from "../drills/undo";
import { runSwitch } from "../drills/switchDrill";
import { parseOutputsOption } from "../drills/load";
import { scenario, scenarioNames } from "../drills/scenarios";
import { Fault, FAULTS, FIXABLE_FAULTS } from "../drills/simState";
import { Gate, GATES } from "../drills/step";
import { DEFAULT_CUTOVER_TIMEOUT_SECONDS } from "../drills/scenarios/database";

interface DrillOpts {
  dryRun?: boolean;
  simulate?: boolean;
  execute?: boolean;
  yes?: boolean;
  fault: Fault[];
  force: Gate[];
  journal?: string;
  outputs: string[];
  cwd?: string;
  to?: string;
  cutoverTimeout?: number;
}

const collect = <T extends string>(allowed: readonly T[], what: string) => (value: string, previous: T[]): T[] => {
  if (!allowed.includes(value as T)) throw new InvalidArgumentError(`unknown ${what} "${value}"; use one of ${allowed.join(", ")}`);
  return [...previous, value as T];
};

/** The one mode chosen (--dry-run by default); the drills, undo, resume and region-switch start share it. */
export function modeOf(o: { readonly dryRun?: boolean; readonly simulate?: boolean; readonly execute?: boolean }): Mode {
  const chosen = [o.dryRun && "dry-run", o.simulate && "simulate", o.execute && "execute"].filter((x): x is Mode => !!x);
  if (chosen.length > 1) throw new DrillError(`choose one of --dry-run, --simulate, --execute (got ${chosen.map((m) => `--${m}`).join(" ")})`);
  return chosen[0] ?? "dry-run";
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60) throw new InvalidArgumentError(`must be a whole number of seconds, 60 or more (got ${value})`);
  return n;
};

/** Undo runs no gates: it takes every option but --force. */
function withModeOptions(cmd: Command, gates = true): Command {
  cmd
    .option("--dry-run", "print every AWS call the drill would make, one per line, and change nothing (default)")
    .option("--simulate", "run against the built-in simulated region pair on a virtual clock")
    .option("--execute", "run against AWS for real (asks for confirmation)")
    .option("--yes", "do not ask for confirmation (non-interactive --execute)");
  if (gates) {
    cmd.addOption(new Option("--force <gate>", `override a refusing safety gate (${GATES.join(", ")}); repeatable`).argParser(collect(GATES, "gate")).default([]))
      .addOption(new Option("--cutover-timeout <seconds>", `how long to wait for the new writer after a cut-over (default ${DEFAULT_CUTOVER_TIMEOUT_SECONDS}; AWS says "typically within a few minutes")`).argParser(seconds));
  }
  return cmd.option("--cwd <dir>", "project folder with the stack files (default: the current folder)");
}

/**
 * Confirmation by typing what the question quotes (the drill's name, or the outage it accepts).
 * Closed or empty input (a pipe, /dev/null, a CI job without --yes) is no confirmation.
 */
export async function confirmByName(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const answer = (await ask(question, input, output)).trim();
  return answer !== "" && question.includes(`"${answer}"`);
}

/** The answer, or "" when the input ends first: readline never answers a closed stream, and the drill would exit without a word. */
async function ask(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  const rl = readline.createInterface({ input, output, terminal: false });
  const answer = await new Promise<string>((resolve) => {
    rl.once("close", () => resolve(""));
    output.write(question);
    rl.once("line", resolve);
  });
  rl.close();
  return answer;
}

/** An input that is already closed: what `< /dev/null` gives (tests). */
export const closedInput = (): NodeJS.ReadableStream => Readable.from([]);
/** Output nobody reads (tests). */
export const discardOutput = (): NodeJS.WritableStream => new Writable({ write: (_chunk, _enc, done) => done() });

/** What a command run by an operator hands the drill engine: the console, AWS and the Pulumi CLI (the game days too). */
export function environment(): Pick<DrillRequest, "log" | "confirm" | "awsCloud" | "readOutputs" | "pulumiAvailable"> {
  return {
    log: (line) => console.log(line),
    pulumiAvailable: findPulumiCli(processPreflightEnv()) !== undefined,
    // The SDK and the Automation API load only when a real drill needs them. The SDK's Node-version
    // warning is printed here, before the drill's output, rather than from inside its first call.
    awsCloud: (inputs, mayBeDown) => {
      const aws = require("../drills/aws") as typeof import("../drills/aws");
      const note = aws.takeSdkNodeWarning();
      if (note) console.log(note);
      return aws.awsCloud(inputs, mayBeDown);
    },
    readOutputs: async (dir, stack) => (await import("../deploy/automation")).readStackOutputs(dir, stack),
    confirm: (question) => confirmByName(question),
  };
}

/** Operator errors print as one message and exit 1; anything else is a bug and keeps its trace. */
export async function userErrors(fn: () => Promise<{ exitCode: number }>): Promise<{ exitCode: number }> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof DrillError)) throw err;
    console.error(`error: ${err.message}`);
    return { exitCode: 1 };
  }
}

export function registerDrillCommands(program: Command): void {
  const drill = program
    .command("drill")
    .description(`run a recovery drill: ${scenarioNames().join(", ")}; switch a region in or out of DNS (switch); resume or undo a drill from its journal`);

  withModeOptions(drill.command("resume <journal>").description("continue a drill at its first unfinished step (a finished cut-over is never repeated)"))
    .addOption(new Option("--fixed <fault>", `with --simulate, a fault you fixed before resuming (${Object.keys(FIXABLE_FAULTS).join(", ")}): the simulated world continues without it; the failed drill prints it in its resume command; repeatable`).default([]).argParser((v: string, prev: string[]) => [...prev, v]))
    .action(async (journal: string, o: DrillOpts & { fixed: string[] }) => {
      const result = await userErrors(() => resumeDrill(journal, { mode: modeOf(o), yes: o.yes, force: o.force, cwd: o.cwd, cutoverTimeoutSeconds: o.cutoverTimeout, fixed: o.fixed, ...environment() }));
      process.exitCode = result.exitCode;
    });

  withModeOptions(drill.command("undo <journal>").description("run the undo of every finished step, newest first (cut-overs: prints the drill to run instead)"), false)
    .action(async (journal: string, o: DrillOpts) => {
      const result = await userErrors(() => undoDrill(journal, { mode: modeOf(o), yes: o.yes, cwd: o.cwd, ...environment() }));
      process.exitCode = result.exitCode;
    });

  withModeOptions(drill.command("switch [region] [state]").description("show every region's switch (no arguments: --execute reads AWS, --simulate the simulated pair, the default --dry-run prints only the calls), or switch <region> on|off: in or out of DNS, whatever its endpoint answers; any strategy, backup-restore included (runbooks/switch.md)"))
    .option("--outputs <stack=file>", "outputs of a stack from 'pulumi stack output --json' (default: read through the Automation API)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (region: string | undefined, state: string | undefined, o: DrillOpts) => {
      const result = await userErrors(() => runSwitch({ region, state, mode: modeOf(o), outputs: parseOutputsOption(o.outputs), cwd: o.cwd ?? ".", yes: o.yes, ...environment() }));
      process.exitCode = result.exitCode;
    });

  for (const name of scenarioNames()) {
    const restoreNote = scenario(name).needs === "backup-restore"
      ? "; needs a backup-restore pair: with --simulate (or --dry-run without the Pulumi CLI) and no --outputs, the stack files' pair is simulated as one (no cluster in the secondary, database RPO target one backup interval)"
      : "";
    withModeOptions(drill.command(name).description(`drill the ${name} scenario (runbooks/${name}.md)${restoreNote}`))
      // The help lists the faults this scenario can meet; the others are refused with that list (checkFaults).
      .addOption(new Option("--fault <name>", `with --simulate, inject a fault the ${name} drill can meet (${scenarioFaults(scenario(name)).join(", ")}); repeatable`).argParser(collect(FAULTS, "fault")).default([]))
      .option("--journal <file>", "JSON Lines journal to write (default: drills/<scenario>-<time>.jsonl)")
      .option("--to <region>", "the recovery region expected: the region holding the SECONDARY record (the default); any other is refused with the config change that makes it the SECONDARY")
      .option("--outputs <stack=file>", "outputs of a stack from 'pulumi stack output --json'; give both stacks (default: read through the Automation API)", (v: string, prev: string[]) => [...prev, v], [] as string[])
      .action(async (o: DrillOpts) => {
        const result = await userErrors(async () => runDrill({
          scenario: name, mode: modeOf(o), faults: o.fault, force: o.force, journal: o.journal, outputs: parseOutputsOption(o.outputs), cwd: o.cwd ?? ".", yes: o.yes, to: o.to,
          cutoverTimeoutSeconds: o.cutoverTimeout, ...environment(),
        }));
        process.exitCode = result.exitCode;
      });
  }
}
