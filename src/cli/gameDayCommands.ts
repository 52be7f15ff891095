/**
 * `dr gameday <scenario>`: an AWS FIS game-day experiment with its drill alongside (src/drills/gameDay.ts).
 * Modes: --dry-run (default: print the FIS calls and the drill's), --simulate (the drill simulator
 * plays the experiment's faults). Exit codes are the drill's.
 */
import { Command } from "commander";
import { DrillError } from "../drills/errors";
import { GameDayMode, runGameDay } from "../drills/gameDay";
import { parseOutputsOption } from "../drills/load";
import { GAME_DAY_SCENARIOS, SCENARIOS } from "../../components/resilience/gameDayPlan";
import { environment, userErrors } from "./drillCommands";

interface GameDayOpts { dryRun?: boolean; simulate?: boolean; journal?: string; outputs: string[]; cwd?: string }

export function registerGameDayCommands(program: Command): void {
  const gameday = program.command("gameday").description(`run a game day: an AWS FIS experiment and its drill (runbooks/game-day.md): ${GAME_DAY_SCENARIOS.join(", ")}`);
  for (const name of GAME_DAY_SCENARIOS) {
    gameday.command(name).description(`${SCENARIOS[name].summary}; drill ${SCENARIOS[name].drill} alongside`)
      .option("--dry-run", "print the FIS calls and every call of the drill, change nothing (default)")
      .option("--simulate", "play the experiment's faults in the drill simulator and run the drill on a virtual clock")
      .option("--journal <file>", "game-day journal to write (default: drills/gameday-<scenario>-<time>.jsonl; the drill's beside it)")
      .option("--outputs <stack=file>", "outputs of a stack from 'pulumi stack output --json'; give both stacks", (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option("--cwd <dir>", "project folder with the stack files (default: the current folder)")
      .action(async (o: GameDayOpts) => {
        const result = await userErrors(async () => {
          if (o.dryRun && o.simulate) throw new DrillError("choose one of --dry-run, --simulate");
          const mode: GameDayMode = o.simulate ? "simulate" : "dry-run";
          return runGameDay({ scenario: name, mode, journal: o.journal, outputs: parseOutputsOption(o.outputs), cwd: o.cwd ?? ".", ...environment() });
        });
        process.exitCode = result.exitCode;
      });
  }
}
