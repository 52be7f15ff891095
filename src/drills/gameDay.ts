/**
 * `dr gameday <scenario>`: the AWS FIS experiment of a game-day scenario, started in the region
 * that owns its template, and the matching drill run alongside it (the database part of a game
 * day: FIS cannot fail over a global database). Both are journaled: the game-day journal records
 * the experiment and names the drill's own journal. --dry-run prints the calls; --simulate plays
 * the experiment's faults in the drill simulator and prints the measured RTO/RPO.
 */
import * as path from "path";
import { FAULT_DURATION, GAME_DAY_TAG, GameDayScenario, SCENARIOS, STACK_TAG } from "../../components/resilience/gameDayPlan";
import { DEFAULT_JOURNAL_DIR, DrillRequest, DrillResult, runDrill } from "./drill";
import { DrillError } from "./errors";
import { Journal } from "./journal";
import { readProjectStacks } from "./load";
import { Fault, FAULTS, SIM_START } from "./simState";

export type GameDayMode = "dry-run" | "simulate";

export interface GameDayRequest extends Pick<DrillRequest, "cwd" | "log" | "outputs" | "readOutputs" | "pulumiAvailable"> {
  readonly scenario: GameDayScenario;
  readonly mode: GameDayMode;
  /** The game-day journal (default drills/gameday-<scenario>-<time>.jsonl); the drill's is beside it. */
  readonly journal?: string;
}

export interface GameDayResult {
  readonly exitCode: number;
  readonly journal?: string;
  readonly drill: DrillResult;
}

/** Where the experiment runs and what it is called: the owning stack's region, the template found by its tags. */
export function experimentTarget(scenario: GameDayScenario, cwd: string): { region: string; stack: string } {
  const project = readProjectStacks(path.resolve(cwd));
  const owner = SCENARIOS[scenario].owner === "primary" ? project.primary : project.secondary;
  return { region: owner.config.region, stack: owner.stack };
}

/** The FIS calls that start the experiment, one per line (what an operator runs with the AWS CLI today). */
export function experimentCalls(scenario: GameDayScenario, region: string, stack: string): string[] {
  return [
    `${region} fis ListExperimentTemplates -> the template tagged ${GAME_DAY_TAG}=${scenario}, ${STACK_TAG}=${stack}`,
    `${region} fis StartExperiment experimentTemplateId=<that template> (faults for ${FAULT_DURATION}; stop conditions abort it)`,
  ];
}

export async function runGameDay(r: GameDayRequest): Promise<GameDayResult> {
  const spec = SCENARIOS[r.scenario];
  if (!spec) throw new DrillError(`unknown game-day scenario "${r.scenario}"; use one of ${Object.keys(SCENARIOS).join(", ")}`);
  const { region, stack } = experimentTarget(r.scenario, r.cwd);
  const faults = spec.simulatorFaults.filter((f): f is Fault => (FAULTS as readonly string[]).includes(f));
  r.log(`# game day ${r.scenario}: ${spec.summary}`);
  r.log(`# experiment in ${region} (stack ${stack}); drill ${spec.drill} alongside it`);
  if (r.mode === "dry-run") {
    for (const line of experimentCalls(r.scenario, region, stack)) r.log(line);
    const drill = await runDrill({ ...r, scenario: spec.drill, mode: "dry-run", journal: undefined });
    return { exitCode: drill.exitCode, drill };
  }
  const file = r.journal ?? path.join(path.resolve(r.cwd), DEFAULT_JOURNAL_DIR, `gameday-${r.scenario}-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`);
  const drillJournal = file.replace(/\.jsonl$/, "") + "-drill.jsonl";
  const journal = Journal.create(file);
  const at = (ms: number) => new Date(ms).toISOString();
  journal.append({ at: at(SIM_START), step: "experiment", event: "start", operation: `fis.StartExperiment ${r.scenario} (simulated: ${faults.join(", ") || "no drill fault"})`, region, detail: { note: `template ${GAME_DAY_TAG}=${r.scenario} of ${stack}; drill journal ${drillJournal}` } });
  r.log(`experiment ${r.scenario} started in ${region} (simulated${faults.length ? `: ${faults.join(", ")}` : ""})`);
  const drill = await runDrill({ ...r, scenario: spec.drill, mode: "simulate", faults, journal: drillJournal });
  const m = drill.measurements;
  // readiness moves nothing, and a drill that stopped early measured nothing: say so, not "n/a s".
  const measured = m?.rtoSeconds === undefined && m?.rpoSeconds === undefined ? "no RTO or RPO measured (no cut-over)"
    : `measured RTO ${seconds(m?.rtoSeconds)}, RPO ${seconds(m?.rpoSeconds)}`;
  const end = drill.journal ? Date.parse(new Journal(drill.journal).entries().at(-1)?.at ?? at(SIM_START)) : SIM_START;
  journal.append({
    at: at(end), step: "experiment", event: drill.exitCode === 0 ? "done" : "failed", operation: `drill ${spec.drill} ${drill.exitCode === 0 ? "completed" : `exited ${drill.exitCode}`}`, region,
    detail: { note: `${measured}; the experiment's faults end after ${FAULT_DURATION}` },
  });
  r.log(`game day ${r.scenario}: drill ${spec.drill} ${drill.exitCode === 0 ? "completed" : `exited ${drill.exitCode}`}; ${measured}; journal ${file}`);
  return { exitCode: drill.exitCode, journal: file, drill };
}

const seconds = (n: number | undefined): string => (n === undefined ? "not measured" : `${n} s`);
