#!/usr/bin/env node
/**
 * The `dr` command line: `plan` (offline plan of every region), `bench`, deploy / destroy /
 * preview (registered by ./deployCommands), `drill` (./drillCommands) and `gameday` (./gameDayCommands).
 * Run in a clone as `npm run dr -- <command> [options]`; `npm run plan` and `npm run bench` are
 * shortcuts. Errors a user fixes (config, stack files, arguments) print as a message and exit 1,
 * never as a stack trace; set DR_DEBUG=1 to see the trace of an unexpected error.
 */
import { Command, InvalidArgumentError } from "commander";
import * as path from "path";
import { DEFAULT_BENCH_RUNS, runBench, THREE_REGION_FIXTURE } from "../plan/bench";
import { isUserError } from "../plan/errors";
import { DEFAULT_OUT_DIR, runPlan } from "../plan/runPlan";
import { registerDeployCommands } from "./deployCommands";
import { registerDrillCommands } from "./drillCommands";
import { registerGameDayCommands } from "./gameDayCommands";
import { registerRegionSwitchCommands } from "./regionSwitchCommands";

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of 1 or more");
  return n;
};

export function buildProgram(): Command {
  const program = new Command("dr")
    .description("multi-region disaster recovery on AWS: plan offline, deploy and destroy in order, benchmark the plan")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command("plan")
    .description("evaluate every stack under the Pulumi mock engine (no AWS account, no Pulumi CLI) and write plan.json, report.md and topology.svg")
    .option("--stacks <names...>", "stacks to plan (default: every Pulumi.<stack>.yaml in the project folder, primary first)")
    .option("--cwd <dir>", "project folder holding Pulumi.yaml and the stack files (default: the current folder)")
    .option("--out <dir>", `output folder, replaced only when the whole plan succeeds; a failed plan removes an earlier run's plan files from it (default: <cwd>/${DEFAULT_OUT_DIR})`)
    .option("--strict", "exit 1 when the RTO/RPO objectives are not met or a mandatory policy is violated (the plan is still written)")
    .option("--quiet", "print nothing but errors")
    .action(async (opts: { stacks?: string[]; cwd?: string; out?: string; strict?: boolean; quiet?: boolean }) => {
      const result = await runPlan({
        projectDir: path.resolve(opts.cwd ?? "."),
        stacks: opts.stacks,
        outDir: opts.out === undefined ? undefined : path.resolve(opts.out),
        strict: opts.strict,
        log: opts.quiet ? undefined : (line) => console.log(line),
      });
      if (result.strictFailures.length) fail(`--strict: ${result.strictFailures.join("; ")}`);
    });

  program
    .command("bench")
    .description("time the plan's evaluation against the mock engine's floor (as many plain resources), then plan three regions")
    .option("--runs <n>", "timed runs of each (after one warm-up)", positiveInt, DEFAULT_BENCH_RUNS)
    .option("--cwd <dir>", "project folder holding the stack files (default: the current folder)")
    .option("--three-region <dir>", `folder with a primary and two secondary stack files (default: <cwd>/${THREE_REGION_FIXTURE})`)
    .action(async (opts: { runs: number; cwd?: string; threeRegion?: string }) => {
      await runBench({ projectDir: path.resolve(opts.cwd ?? "."), runs: opts.runs, threeRegionDir: opts.threeRegion && path.resolve(opts.threeRegion), log: (line) => console.log(line) });
    });

  registerDeployCommands(program);
  registerDrillCommands(program);
  registerGameDayCommands(program);
  registerRegionSwitchCommands(program);
  return program;
}

class CliFailure extends Error {}

function fail(message: string): never {
  throw new CliFailure(message);
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "node" });
    // The deploy commands report their own failures by setting the exit code.
    return Number(process.exitCode ?? 0);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof CliFailure || isUserError(err)) console.error(`error: ${message}`);
    else console.error(`error: ${process.env.DR_DEBUG ? (err as Error).stack ?? message : `${message}\n(unexpected; run again with DR_DEBUG=1 for the stack trace)`}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
