/**
 * The step model: every drill is an ordered list of steps, each pure data plus functions over a
 * context. The same list serves dry-run (its declared calls), simulation and real execution (the
 * runner), the runbooks (a test checks each runbook names every step, in order) and later an
 * in-cloud plan.
 */
import { Call, Cloud, RegionSwitch } from "./cloud";
import { Clock } from "./clock";
import { DrillInputs, DrillRegion } from "./inputs";
import type { ModelRtoKind } from "./model";

/** The safety gates `--force <gate>` may override. */
export const GATES = ["replication-lag", "recovery-health", "secret-replica", "ami", "recovery-point-age", "region-switch"] as const;
export type Gate = (typeof GATES)[number];

/** Measurements steps hand to the report; journaled with the step so `resume` keeps them. */
export interface Facts {
  /** Epoch ms the drill (its journal) started: per-run tokens, so a new run never reuses an earlier run's request. */
  runStartedAt?: number;
  lagAtCutoverSeconds?: number;
  canaryKey?: string;
  /** Epoch ms of the canary write in the old primary. */
  canaryWrittenAt?: number;
  canaryFound?: boolean;
  /** Desired capacity before scale-out, per group: what undo restores. */
  previousDesired?: Record<string, number>;
  activeRegion?: string;
  /** restore: the recovery point restored, its creation (epoch ms) and its age when the drill found it (the data lost). */
  recoveryPointArn?: string;
  recoveryPointCreatedAt?: number;
  recoveryPointAgeSeconds?: number;
  restoreJobId?: string;
  /** restore: the database host and port the DB secret named before the drill pointed it at the restored cluster (what undo writes back; not secret). */
  previousDbEndpoint?: { host?: string; port?: number };
}

export interface StepContext {
  readonly inputs: DrillInputs;
  readonly cloud: Cloud;
  readonly clock: Clock;
  /** The region traffic and writes move away from, and the one they move to. */
  readonly from: DrillRegion;
  readonly to: DrillRegion;
  readonly facts: Facts;
  readonly log: (line: string) => void;
}

/** A wait: `check` answers true when done, or why not yet; polled with backoff until the timeout. */
export interface Verification {
  readonly what: string;
  readonly check: (ctx: StepContext) => Promise<true | string>;
  readonly timeoutSeconds: number;
  /** First poll interval; doubles up to `maxPollSeconds`. */
  readonly pollSeconds: number;
  readonly maxPollSeconds: number;
}

export interface Undo {
  readonly description: string;
  readonly calls: readonly Call[];
  readonly run?: (ctx: StepContext) => Promise<void>;
  /** The effect protects the writer a cut-over made (the old writer's region switched off): undone by hand, only once the cut-over is reversed. */
  readonly afterSwitchBack?: boolean;
  /** What the journal recorded that the undo restores (the desired counts before a scale-out), printed with a by-hand undo. */
  readonly recorded?: (facts: Facts) => string | undefined;
}

/**
 * What a step does, in the terms the in-cloud plan translates (src/regionswitch/translate.ts maps
 * every kind, exhaustively: a new kind without a mapping fails the type check).
 */
export const STEP_KINDS = [
  "check", "gate", "canary-write", "canary-check", "measure-lag",
  "add-writer", "wait-writer", "scale-out", "wait-capacity", "scale-in",
  "database-switchover", "database-failover", "wait-database",
  "promote-secret", "copy-back-secret", "reestablish-secret-replica",
  "switch-off", "switch-on", "confirm-switch", "wait-dns", "verify-service", "record-active-region",
  "find-recovery-point", "restore-database", "wait-restore", "protect-restored-cluster", "point-app-tier",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** What the RTO clock reads: it starts at the first `recovery-start` step and stops when the `recovered` step is done. */
export type Mark = "recovery-start" | "cutover" | "recovered";

export interface Step {
  /** Kebab-case, as the runbook names it. */
  readonly name: string;
  /** What it does (the in-cloud plan's translation key). */
  readonly kind: StepKind;
  /** Switch steps: the switch they move (their calls go to its host region, not the region switched). */
  readonly switched?: RegionSwitch;
  /** One line: what the step achieves. */
  readonly purpose: string;
  /** Where its calls go; `global` for Route 53 and public DNS. */
  readonly region: string;
  /** `Service.Operation` of its main call, for the journal. */
  readonly operation: string;
  /** False: best effort (aimed at a region that may not answer); its failure never blocks. */
  readonly required: boolean;
  /** Every call the step may make, in order, as dry-run prints them. */
  readonly calls: readonly Call[];
  readonly gate?: Gate;
  readonly marks?: readonly Mark[];
  /** A problem that must stop the drill before the action (a gate refuses unless forced). */
  readonly precondition?: (ctx: StepContext) => Promise<string | undefined>;
  /** Why the action's effect is already in place (resume after a crash): the action is not repeated. */
  readonly alreadyDone?: (ctx: StepContext) => Promise<string | undefined>;
  /**
   * A cut-over the journal shows started is never issued again (FailoverState is empty once the
   * operation ends, so a stale journal cannot be recognised from AWS alone): resume asks this
   * instead, and a problem (the writer is elsewhere than the journal's target) refuses.
   */
  readonly resumeCheck?: (ctx: StepContext) => Promise<string | undefined>;
  /**
   * A required step whose failure `--force <gate>` may pass, only when `when` holds: the drill then goes
   * on without it, journals it skipped, and resume tries it again (with reapplyOnResume).
   */
  readonly overridable?: { readonly gate: Gate; readonly when: string };
  /** Best effort but needed for safety: when a run skipped it, resume runs it again. */
  readonly reapplyOnResume?: boolean;
  readonly action?: (ctx: StepContext) => Promise<void>;
  readonly verify?: Verification;
  readonly undo?: Undo;
}

/** A scenario builds its steps from the inputs and the direction; registered in ./scenarios (pluggable). */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  /** The direction of the drill given the region active now (primary's unless dr:activeRegion says otherwise). */
  readonly direction: (inputs: DrillInputs, activeRegion: string) => { from: DrillRegion; to: DrillRegion };
  readonly steps: (inputs: DrillInputs, from: DrillRegion, to: DrillRegion) => Step[];
  /** Readiness: record every failure and go on, rather than stop at the first. */
  readonly continueOnFailure?: boolean;
  /** Looks at every secondary, not only the failover pair (readiness): --outputs must name each. */
  readonly everySecondary?: boolean;
  /** Which model figure the measured RTO is compared with. */
  readonly modelRto: ModelRtoKind;
  /** Whether the drill moves the active region (prints the dr:activeRegion commands). */
  readonly movesActiveRegion: boolean;
  /**
   * What the pair must keep for the drill: a global database (the default: switchover, failover...)
   * or a backup-restore recovery region (restore: a vault with copies, a restore role, no standing cluster).
   */
  readonly needs?: "global-database" | "backup-restore";
  /** The simulator starts from the world a failover leaves (the recovery region writes, the old primary switched off). */
  readonly simulateAfterFailover?: boolean;
  /** Calls to the region traffic moves away from may hang (an outage): the AWS adapter gives them short timeouts. */
  readonly fromMayBeDown?: boolean;
  /**
   * The simulator's faults (FAULTS in ./simState) this scenario can meet; `--fault` with any other is
   * refused, naming these (default: throttling only, which every call meets).
   */
  readonly faults?: readonly string[];
  /**
   * What the drill does to production that the operator must accept before `--execute`: the
   * confirmation prompt states it, and `confirmWith` (default: the scenario's name) is what they type.
   */
  readonly disruption?: (inputs: DrillInputs, from: DrillRegion, to: DrillRegion) => { readonly warning: string; readonly confirmWith?: string };
}
