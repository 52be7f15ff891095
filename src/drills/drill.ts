/**
 * One drill, start to finish: load the inputs, build the scenario's steps, then either print them
 * (dry-run) or run them against the simulator or AWS with a journal, measure, report, and say what
 * to do next. `resumeDrill` continues a journal at its first unfinished step.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { call, Call, Cloud, CloudError, formatCall } from "./cloud";
import { Clock, realClock } from "./clock";
import { dryRunLines } from "./dryRun";
import { DrillError } from "./errors";
import { allRegions, DrillInputs, DrillRegion, regionOf } from "./inputs";
import { DeploymentIdentity, DrillHeader, finishedSteps, HEADER_STEP, Journal, journaledFacts, journalHeader, readJournal, skippedSteps, startedSteps } from "./journal";
import { asBackupRestorePair, loadInputs, OutputsSource, ProjectStacks, readProjectStacks, StackOutputsReader } from "./load";
import { measure, measurementLines, Measurements } from "./measure";
import { scenarioModelRto } from "./model";
import { writeReport } from "./report";
import { Outcome, retrying, runSteps, SimulatedCrash } from "./runner";
import { activeRegionCommands } from "./scenarios/data";
import { scenario as scenarioNamed } from "./scenarios";
import { Fault, FAULTS, fixableFaults, initialState, liftFaults } from "./simState";
import { SimulatedCloud } from "./simulator";
import { Facts, Gate, Scenario, Step } from "./step";

export type Mode = "dry-run" | "simulate" | "execute";

export const EXIT = { completed: 0, failed: 1, refused: 2, crashed: 3, aborted: 4 } as const;
export const DEFAULT_JOURNAL_DIR = "drills";

export interface DrillRequest {
  readonly scenario: string;
  readonly mode: Mode;
  readonly faults?: readonly Fault[];
  readonly force?: readonly Gate[];
  readonly journal?: string;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly yes?: boolean;
  readonly log: (line: string) => void;
  /** Asks the operator before a real drill; `--yes` skips it. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** The AWS adapter for `--execute` (injected so tests never build SDK clients). */
  readonly awsCloud?: (inputs: DrillInputs, mayBeDown: readonly string[]) => Cloud;
  /** Stack outputs through the Automation API when no --outputs are given. */
  readonly readOutputs?: StackOutputsReader;
  /** Whether the Pulumi CLI is available (a dry-run without it derives placeholder identifiers). */
  readonly pulumiAvailable?: boolean;
  /** `--to <region>`: the recovery region the operator expects; it must hold the SECONDARY record (or be the drill's own target). */
  readonly to?: string;
  /** How long to wait for the new writer after a cut-over (`--cutover-timeout`). */
  readonly cutoverTimeoutSeconds?: number;
  /** The steps to run instead of the scenario's own (the in-cloud plan's steps, `region-switch start --simulate`). */
  readonly selectSteps?: (steps: Step[], inputs: DrillInputs, from: DrillRegion, to: DrillRegion) => Step[];
}

export interface DrillResult {
  readonly exitCode: number;
  readonly outcome?: Outcome;
  readonly measurements?: Measurements;
  readonly journal?: string;
  readonly reportFiles?: readonly string[];
}

export const simFile = (journal: string) => `${journal}.sim.json`;

export function outputsSource(r: Pick<DrillRequest, "outputs" | "mode" | "pulumiAvailable" | "readOutputs">): OutputsSource {
  if (r.outputs && Object.keys(r.outputs).length) return "files";
  if (r.mode === "simulate") return "derived";
  if (r.mode === "dry-run" && !(r.pulumiAvailable && r.readOutputs)) return "derived";
  if (r.pulumiAvailable === false) throw new DrillError(PULUMI_MISSING);
  if (!r.readOutputs) throw new DrillError("--execute needs the stacks' outputs: pass --outputs <stack>=<file> for both stacks, or install the Pulumi CLI so the Automation API can read them");
  return "automation";
}

export const PULUMI_MISSING = "Pulumi CLI not found on PATH: --execute reads the stacks' outputs through it (Automation API). Install it (https://www.pulumi.com/docs/install/) and 'pulumi login', " +
  "or pass both stacks' outputs with --outputs <stack>=<file> (pulumi stack output --json --show-secrets --stack <stack> > <file>, written where the CLI is)";

/** The faults `sc` can meet (its --fault help lists these). */
export function scenarioFaults(sc: Scenario): readonly string[] {
  return sc.faults ?? ["throttling"];
}

/** The faults `sc` can meet; anything else given with --fault would change nothing, so it is refused. */
export function checkFaults(sc: Scenario, faults: readonly string[]): void {
  const applies = scenarioFaults(sc);
  const unknown = faults.filter((f) => !(FAULTS as readonly string[]).includes(f));
  const idle = faults.filter((f) => !applies.includes(f) && !unknown.includes(f));
  if (unknown.length || idle.length)
    throw new DrillError(`--fault ${[...unknown, ...idle].join(", ")} ${unknown.length ? "is unknown" : `cannot happen in the ${sc.name} drill`}; the faults that apply to ${sc.name} are: ${applies.join(", ")}`);
}

/** The deployment a drill runs on, recorded in its journal so resume and undo refuse another one's. */
export function deploymentIdentity(dir: string, inputs: DrillInputs): DeploymentIdentity {
  const file = path.join(dir, "Pulumi.yaml");
  const name = fs.existsSync(file) ? (parse(fs.readFileSync(file, "utf8")) as { name?: unknown } | null)?.name : undefined;
  return { project: typeof name === "string" ? name : path.basename(dir), primaryStack: inputs.primary.stack, secondaryStack: inputs.secondary.stack, globalClusterIdentifier: inputs.globalClusterIdentifier, domain: inputs.domain };
}

const describeIdentity = (d: DeploymentIdentity) => `project ${d.project}, stacks ${d.primaryStack} and ${d.secondaryStack}, global cluster ${d.globalClusterIdentifier || "(none)"}, domain ${d.domain}`;

/** The confirmation question of a real run: what it moves, what production suffers, and what to type. */
export function confirmQuestion(sc: Scenario, inputs: DrillInputs, from: DrillRegion, to: DrillRegion, verb: string, steps: number): { question: string; expect: string } {
  const d = sc.disruption?.(inputs, from, to);
  const expect = d?.confirmWith ?? sc.name;
  return { question: `This will ${verb} the ${sc.name} drill against AWS: ${from.region} -> ${to.region} (${steps} steps).${d ? `\nExpect: ${d.warning}.` : ""}\nType "${expect}" to continue: `, expect };
}

/**
 * The inputs a scenario runs on. A drill that needs a backup-restore pair (restore) run without
 * outputs on stack files of another strategy simulates them as one (load.ts asBackupRestorePair).
 */
export async function scenarioInputs(sc: Scenario, project: ProjectStacks, source: OutputsSource, files: Record<string, string>, reader?: StackOutputsReader): Promise<{ inputs: DrillInputs; note?: string }> {
  const converted = sc.needs === "backup-restore" && source === "derived" ? asBackupRestorePair(project) : undefined;
  const inputs = await loadInputs(converted?.project ?? project, source, files, reader, sc.needs, sc.everySecondary);
  return { inputs, note: converted?.note };
}

export async function runDrill(r: DrillRequest): Promise<DrillResult> {
  const sc = scenarioNamed(r.scenario);
  const cwd = path.resolve(r.cwd);
  const project = readProjectStacks(cwd);
  if (project.activeRegionWarning) r.log(`# ${project.activeRegionWarning}`);
  const source = outputsSource(r);
  if ((r.faults ?? []).length && r.mode !== "simulate") throw new DrillError(`--fault ${r.faults!.join(", ")} only applies with --simulate`);
  checkFaults(sc, r.faults ?? []);
  const loaded = await scenarioInputs(sc, project, source, resolveFiles(r.outputs ?? {}), r.readOutputs);
  const inputs = withOptions(loaded.inputs, r.cutoverTimeoutSeconds);
  if (loaded.note) r.log(loaded.note);
  const { from, to } = sc.direction(inputs, project.activeRegion);
  if (r.to !== undefined) checkTarget(inputs, sc.name, r.to, from, to);
  const all = sc.steps(inputs, from, to);
  const steps = r.selectSteps ? r.selectSteps(all, inputs, from, to) : all;
  if (r.mode === "dry-run") {
    if (source === "derived") r.log(`# no stack outputs given${r.pulumiAvailable ? "" : " and no Pulumi CLI"}: identifiers are placeholders derived from the stack files; pass --outputs <stack>=<file> for the real ones`);
    r.log(`# drill ${sc.name} --dry-run: ${from.region} -> ${to.region}; nothing is changed; before the first step, the credentials pre-check: ${formatCall(credentialsCall(to.region))}`);
    for (const line of dryRunLines(steps)) r.log(line);
    const model = scenarioModelRto(inputs, sc.modelRto, to.region);
    if (model !== undefined) r.log(`model RTO ${model} s`);
    return { exitCode: EXIT.completed };
  }
  if (r.mode === "execute" && !r.yes) {
    const ok = await r.confirm?.(confirmQuestion(sc, inputs, from, to, "run", steps.length).question);
    if (!ok) {
      r.log("aborted: nothing was changed");
      return { exitCode: EXIT.aborted };
    }
  }
  const journalFile = r.journal ?? path.join(cwd, DEFAULT_JOURNAL_DIR, `${sc.name}-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`);
  const journal = Journal.create(journalFile);
  const header: DrillHeader = {
    scenario: sc.name, mode: r.mode, from: from.region, to: to.region, faults: [...(r.faults ?? [])], force: [...(r.force ?? [])], outputs: resolveFiles(r.outputs ?? {}), cwd,
    deployment: deploymentIdentity(cwd, inputs), startedAt: new Date().toISOString(), ...(r.cutoverTimeoutSeconds ? { cutoverTimeoutSeconds: r.cutoverTimeoutSeconds } : {}),
  };
  const sim = r.mode === "simulate" ? new SimulatedCloud(inputs, initialState(inputs, r.faults ?? [], !!sc.simulateAfterFailover, !!sc.fromMayBeDown)) : undefined;
  const clock = sim?.clock ?? realClock;
  const runStartedAt = clock.now();
  journal.append({ at: new Date(runStartedAt).toISOString(), step: HEADER_STEP, event: "start", operation: `drill ${sc.name}`, region: to.region, detail: header });
  return execute({ r, sc, inputs, from, to, steps, journal, header, sim, clock, facts: { runStartedAt }, finished: new Set() });
}

export type ReopenRequest = Omit<DrillRequest, "scenario" | "cwd" | "faults" | "outputs"> & {
  cwd?: string;
  /** resume --simulate: the faults the operator fixed before resuming (simState FIXABLE_FAULTS); the simulated world continues without them. */
  fixed?: readonly string[];
};

/**
 * A journal's drill rebuilt: its header, steps and (simulated) cloud, for resume and undo. The
 * project folder is `--cwd` when given (the journal's own folder otherwise), and its deployment
 * must be the one the journal recorded: resuming another deployment's journal would act on
 * the wrong database.
 */
export async function reopenJournal(journalFile: string, r: ReopenRequest, verb: "resume" | "undo") {
  const entries = readJournal(journalFile, r.log, true);
  const header = journalHeader(entries, journalFile);
  if (header.mode !== r.mode) throw new DrillError(`journal ${journalFile} was written by a --${header.mode} drill; ${verb} it with --${header.mode}`);
  const sc = scenarioNamed(header.scenario);
  const cwd = r.cwd === undefined ? header.cwd : path.resolve(r.cwd);
  const project = readProjectStacks(cwd);
  const hasFiles = Object.keys(header.outputs).length > 0;
  const source = hasFiles ? "files" : r.mode === "simulate" ? "derived" : outputsSource(r);
  const loaded = await scenarioInputs(sc, project, source, header.outputs, r.readOutputs);
  const inputs = withOptions(loaded.inputs, r.cutoverTimeoutSeconds ?? header.cutoverTimeoutSeconds);
  const here = deploymentIdentity(cwd, inputs);
  if (header.deployment && JSON.stringify(header.deployment) !== JSON.stringify(here))
    throw new DrillError(`journal ${journalFile} belongs to another deployment (${describeIdentity(header.deployment)}), not the one in ${cwd} (${describeIdentity(here)}); ${verb} it with --cwd <the folder of its deployment>`);
  const from = regionOf(inputs, header.from);
  const to = regionOf(inputs, header.to);
  const steps = sc.steps(inputs, from, to);
  const sim = r.mode === "simulate" ? SimulatedCloud.load(inputs, simFile(journalFile)) : undefined;
  const cloud: Cloud = sim ?? r.awsCloud!(inputs, sc.fromMayBeDown ? [from.region] : []);
  const confirmed = r.mode !== "execute" || r.yes || !!(await r.confirm?.(confirmQuestion(sc, inputs, from, to, verb, steps.length).question));
  return { entries, header: { ...header, cwd }, sc, inputs, from, to, steps, sim, cloud, confirmed, persist: () => sim?.save(simFile(journalFile)) };
}

function withOptions(inputs: DrillInputs, cutoverTimeoutSeconds: number | undefined): DrillInputs {
  return cutoverTimeoutSeconds ? { ...inputs, cutoverTimeoutSeconds } : inputs;
}

/** Continues a journal at its first unfinished step; a finished cut-over is never issued again. */
export async function resumeDrill(journalFile: string, r: ReopenRequest): Promise<DrillResult> {
  if ((r.fixed ?? []).length && r.mode !== "simulate") throw new DrillError(`--fixed ${r.fixed!.join(", ")} only applies with --simulate: a real drill resumes once you fixed the cause in AWS`);
  const { entries, header, sc, inputs, from, to, steps, sim, confirmed } = await reopenJournal(journalFile, r, "resume");
  if (sim) for (const line of liftFaults(sim.state, inputs, r.fixed ?? [], journalFile)) r.log(line);
  if (!confirmed) {
    r.log("aborted: nothing was changed");
    return { exitCode: EXIT.aborted };
  }
  // A skipped best-effort step that safety needs is tried again: its region may answer now.
  const skipped = skippedSteps(entries);
  const finished = new Set([...finishedSteps(entries)].filter((name) => !(skipped.has(name) && steps.find((s) => s.name === name)?.reapplyOnResume)));
  const next = steps.find((s) => !finished.has(s.name));
  r.log(`resuming ${sc.name} from ${journalFile}: ${finished.size} step(s) finished${next ? `, continuing at ${next.name}` : ", nothing left to run"}`);
  const force = [...new Set([...header.force, ...(r.force ?? [])])];
  return execute({ r: { ...r, scenario: sc.name, cwd: header.cwd, force }, sc, inputs, from, to, steps, journal: new Journal(journalFile), header, sim, clock: sim?.clock ?? realClock, facts: { ...journaledFacts(entries), runStartedAt: Date.parse(entries[0].at) }, finished, started: startedSteps(entries) });
}

interface Run {
  readonly r: DrillRequest;
  readonly sc: Scenario;
  readonly inputs: DrillInputs;
  readonly from: DrillRegion;
  readonly to: DrillRegion;
  readonly steps: Step[];
  readonly journal: Journal;
  readonly header: DrillHeader;
  readonly sim?: SimulatedCloud;
  readonly clock: Clock;
  readonly facts: Facts;
  readonly finished: ReadonlySet<string>;
  readonly started?: ReadonlySet<string>;
}

async function execute(x: Run): Promise<DrillResult> {
  const { r, sc, inputs, sim } = x;
  const cloud: Cloud = sim ?? r.awsCloud!(inputs, sc.fromMayBeDown ? [x.from.region] : []);
  const persist = () => sim?.save(simFile(x.journal.file));
  persist();
  const ctx = { inputs, cloud, clock: x.clock, from: x.from, to: x.to, facts: x.facts, log: r.log };
  // A fault lifted by `resume --fixed` is still the drill's: it is named as fixed.
  const faults = x.header.faults.map((f) => (sim && fixableFaults([f]).length && !sim.state.faults.includes(f as Fault) ? `${f} (fixed before a resume)` : f));
  r.log(`drill ${sc.name} (${r.mode}${faults.length ? `, faults: ${faults.join(", ")}` : ""}): ${x.from.region} -> ${x.to.region}; journal ${x.journal.file}`);
  const credentials = await checkCredentials(ctx, x.to.region);
  if (credentials) {
    x.journal.append({ at: new Date(x.clock.now()).toISOString(), step: HEADER_STEP, event: "failed", operation: "STS.GetCallerIdentity", region: x.to.region, detail: credentials });
    r.log(`refused before the first step: ${credentials}`);
    return { exitCode: EXIT.refused, journal: x.journal.file };
  }
  let outcome: Outcome;
  try {
    outcome = await runSteps({ steps: x.steps, ctx, journal: x.journal, force: r.force ?? [], finished: x.finished, started: x.started, continueOnFailure: sc.continueOnFailure, afterAction: sim ? (s) => sim.afterAction(s, persist) : undefined });
  } catch (err) {
    if (!(err instanceof SimulatedCrash)) throw err;
    persist();
    r.log(`the drill process died (simulated) right after ${err.step}; continue with: npm run dr -- drill resume ${x.journal.file} --simulate`);
    return { exitCode: EXIT.crashed, journal: x.journal.file };
  }
  persist();
  x.journal.append({ at: new Date(x.clock.now()).toISOString(), step: HEADER_STEP, event: outcome.kind === "completed" ? "done" : "failed", operation: `drill ${sc.name}`, region: x.to.region });
  const m = measure(x.journal.entries(), sc, x.steps, inputs);
  const simulated = r.mode === "simulate";
  // A simulation's follow-up is what a real drill would print: commented out and marked, never a command to paste.
  const followUp = outcome.kind === "completed" && m.facts.activeRegion
    ? activeRegionCommands(inputs, m.facts.activeRegion).map((c) => (simulated ? `# (simulated, do not run) ${c}` : c)) : [];
  if (outcome.kind === "refused") r.log(`refused at ${outcome.step}: ${outcome.reason}`);
  if (outcome.kind === "failed") {
    r.log(`stopped at ${outcome.step}: ${outcome.reason}`);
    r.log(outcome.undo.length ? "undo offered (newest first):" : "nothing to undo");
    for (const u of outcome.undo) r.log(`  - ${u.step}${u.automated ? "" : " (by hand)"}: ${u.description}`);
    if (outcome.undo.some((u) => u.automated)) r.log(`to run these undos: npm run dr -- drill undo ${x.journal.file} --${r.mode}`);
    // One next step: a failure a resume cannot get past (a FAILED restore job) needs a new run.
    // A simulated fault that models what the operator fixes is lifted by the resume: the printed command says so.
    const fixed = sim ? fixableFaults(sim.state.faults).map((f) => ` --fixed ${f}`).join("") : "";
    r.log(outcome.rerun
      ? `after fixing the cause, run the drill again (a new run; a resume would wait on the same failed job): npm run dr -- drill ${sc.name} --${r.mode}`
      : `after fixing the cause${fixed ? " (simulated: --fixed lifts the fault, as your fix would)" : ""}, continue with: npm run dr -- drill resume ${x.journal.file} --${r.mode}${fixed}`);
  }
  if (outcome.kind === "completed" && outcome.failedChecks.length) r.log(`${outcome.failedChecks.length} check(s) failed:\n${outcome.failedChecks.map((c) => `  - ${c}`).join("\n")}`);
  for (const line of measurementLines(m)) r.log(line);
  if (followUp.length && simulated) {
    r.log(`SIMULATED: nothing changed in AWS and ${m.facts.activeRegion} is not the active region. A real drill would now ask you to record it in every stack file with:`);
    for (const c of followUp) r.log(`  ${c}`);
  } else if (followUp.length) {
    r.log(`${m.facts.activeRegion} is now the active region. Record it in every stack file (the next drill and the alarms read it; during an outage deploy only the secondary's, the others once their region is back):`);
    for (const c of followUp) r.log(`  ${c}`);
  }
  const startedAt = x.header.startedAt ?? x.journal.entries()[0]?.at ?? new Date().toISOString();
  const reportFiles = writeReport(path.dirname(x.journal.file), { scenario: sc.name, mode: r.mode, from: x.from.region, to: x.to.region, faults, journal: x.journal.file, startedAt, outcome, measurements: m, followUp }, x.steps);
  r.log(`report: ${reportFiles.join(", ")}`);
  const exitCode = outcome.kind === "completed" ? (outcome.failedChecks.length ? EXIT.failed : EXIT.completed) : outcome.kind === "refused" ? EXIT.refused : EXIT.failed;
  for (const line of incompleteBanner(outcome, x.steps)) r.log(line);
  return { exitCode, outcome, measurements: m, journal: x.journal.file, reportFiles };
}

/** The one call the engine makes outside the steps, before the first one. */
export const credentialsCall = (region: string): Call => call(region, "STS", "GetCallerIdentity");

/**
 * The credentials pre-check: STS GetCallerIdentity in the recovery region, before the first step,
 * so expired or missing credentials stop the drill before it changes anything (not halfway through).
 * Returns the problem, or undefined after printing who the drill runs as.
 */
async function checkCredentials(ctx: Parameters<typeof runSteps>[0]["ctx"], region: string): Promise<string | undefined> {
  try {
    const id = await retrying(ctx, { n: 0 }, () => ctx.cloud.callerIdentity(region));
    ctx.log(`credentials: ${id.arn} (account ${id.account}), checked with STS GetCallerIdentity in ${region}`);
    return undefined;
  } catch (err) {
    if (!(err instanceof CloudError)) throw err;
    return `the credentials check (STS GetCallerIdentity in ${region}) failed: ${err.message}. Check AWS_PROFILE / 'aws sso login' and that the credentials may call ${region}; nothing was changed`;
  }
}

/** --outputs files are named relative to where the command runs; the journal keeps them absolute for resume. */
function resolveFiles(files: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, path.resolve(v)]));
}

/**
 * No silent success: what a drill that did not complete leaves to do, as a banner. A required step
 * that failed or refused, and every step after it, are named; best-effort steps that were skipped
 * (the exit code stays 0) are named too, so nobody reads "completed" as "nothing left".
 */
export function incompleteBanner(outcome: Outcome, steps: readonly Step[]): string[] {
  if (outcome.kind === "completed") {
    const lines = outcome.failedChecks.length ? [`!!! NOT READY: ${outcome.failedChecks.length} check(s) failed: ${outcome.failedChecks.map((c) => c.split(":")[0]).join(", ")}`] : [];
    if (outcome.failedBestEffort.length) lines.push(`note: best-effort step(s) skipped (nothing required depends on them): ${outcome.failedBestEffort.join(", ")}`);
    return lines;
  }
  const at = steps.findIndex((s) => s.name === outcome.step);
  const left = steps.slice(at).filter((s) => s.required).map((s) => s.name);
  return [
    `!!! DRILL NOT COMPLETE: required step ${outcome.step} ${outcome.kind === "refused" ? "refused" : "failed"}; exit code non-zero`,
    `!!! left to do, in order: ${left.join(", ")}`,
  ];
}

/**
 * `--to <region>`: a drill moves traffic only between the two regions of the failover record set,
 * because only their records answer for the name. A further secondary would first have to become
 * the SECONDARY: a record change through Route 53's control plane (us-east-1), that is a deploy,
 * which no recovery step makes. So the drill refuses with the change that makes it the target.
 */
export function checkTarget(inputs: DrillInputs, scenarioName: string, wanted: string, from: DrillRegion, to: DrillRegion): void {
  if (wanted === to.region) return;
  if (wanted === from.region) throw new DrillError(`--to ${wanted} is the region the ${scenarioName} drill leaves (${from.region} -> ${to.region}); name the region it should move to, or leave --to out`);
  const other = inputs.others.find((o) => o.region === wanted);
  if (!other) throw new DrillError(`--to ${wanted} is not a region of this deployment; the regions are ${allRegions(inputs).map((r) => `${r.region} (stack ${r.stack})`).join(", ")}`);
  const replicas = [wanted, ...[inputs.secondary, ...inputs.others].map((r) => r.region).filter((r) => r !== wanted)];
  throw new DrillError(
    `--to ${wanted}: stack "${other.stack}" (${wanted}) holds no failover record for ${inputs.domain}. Route 53 keeps one PRIMARY and one SECONDARY record per name; ` +
    `the SECONDARY is ${inputs.secondary.region} (stack "${inputs.secondary.stack}"), the first of dr:replicaRegions in Pulumi.${inputs.primary.stack}.yaml, and only the two records' regions can take traffic by a switch. ` +
    `The drill does not make ${wanted} the SECONDARY: that is a record change through Route 53's control plane (us-east-1), a deploy, which no recovery step makes. ` +
    `To recover into ${wanted}, while every region answers: set dr:replicaRegions in Pulumi.${inputs.primary.stack}.yaml to [${replicas.join(", ")}], ` +
    `then 'pulumi up' stacks ${inputs.primary.stack}, ${inputs.secondary.stack}, ${other.stack} in that order, then links (${inputs.secondary.stack} gives up its SECONDARY record before ${other.stack} takes it: Route 53 refuses two), ` +
    `and run the drill again (it then targets ${wanted} without --to)`,
  );
}
