/**
 * The simulated world a drill starts from: the faults a simulated drill can inject, the plain-JSON
 * state of the regions (saved next to the journal so another process can resume), and Route 53's
 * failover answer. The calls that change it are ./simulator's.
 */
import { stackCapacity } from "../../components/compute/capacity";
import { Call, Service } from "./cloud";
import { DrillError } from "./errors";
import { DrillInputs, DrillRegion, Tier } from "./inputs";
import { BACKUP_FAULTS, initialBackup, SimBackup } from "./simBackup";

/**
 * insufficient-capacity plays the capacity-denied game day (an AWS FIS
 * aws:ec2:asg-insufficient-instance-capacity-error on every recovery-region AZ but one): warm-pool
 * instances in the denied AZs cannot start, so the group launches fresh instances where capacity is left.
 * replication-paused plays the partition game day's S3 replication pause: no object replicates.
 * recovery-cloudwatch-impaired: CloudWatch's API fails in the recovery region (the host of the
 * primary's CloudWatch switch, and where its replication lag is read); everything else answers.
 * secondary-switched-off: the SECONDARY's switch was left off before the drill (by an earlier drill or
 * by hand), so Route 53 holds its record unhealthy whatever its endpoint answers.
 */
export const FAULTS = ["throttling", "timeout", "lag-over-target", "primary-region-down", "primary-region-returns", "partial-outage", "crash-after-cutover", "insufficient-capacity", "replication-paused", "secondary-switched-off", "recovery-cloudwatch-impaired", "crash-after-switch-off", ...BACKUP_FAULTS] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * The faults that model a condition the operator fixes and then resumes past (`drill resume
 * --simulate --fixed <fault>`): what lifting one changes in the saved world, and what then answers.
 * The others are the drill's own situation (a lost region, a crash) or leave state a resume cannot
 * undo (instances that never launch).
 */
export const FIXABLE_FAULTS: Partial<Record<Fault, (state: SimState, inputs: DrillInputs) => string>> = {
  "recovery-cloudwatch-impaired": (state, inputs) => {
    const r = state.regions[inputs.secondary.region];
    r.apiDown = (r.apiDown ?? []).filter((s) => s !== "CloudWatch");
    return `CloudWatch in ${r.region} answers again`;
  },
};

/** The faults of `faults` that `--fixed` can lift, in order. */
export const fixableFaults = (faults: readonly string[]): Fault[] => faults.filter((f): f is Fault => Object.hasOwn(FIXABLE_FAULTS, f));

/**
 * `--fixed`: lifts each fault from a saved simulated world, as the operator's fix would, and says
 * what answers again. A fault the world does not hold, or one no operator fixes, is refused by name.
 */
export function liftFaults(state: SimState, inputs: DrillInputs, fixed: readonly string[], journal: string): string[] {
  const active = fixableFaults(state.faults);
  for (const f of fixed) {
    if (!Object.hasOwn(FIXABLE_FAULTS, f)) throw new DrillError(`--fixed ${f}: only a fault that models a condition the operator fixes can be lifted (${Object.keys(FIXABLE_FAULTS).join(", ")}); resume without it`);
    if (!state.faults.includes(f as Fault)) throw new DrillError(`--fixed ${f}: the simulated drill of ${journal} does not have that fault (${active.length ? `it has: ${active.join(", ")}` : "it has none that --fixed lifts"}); resume without it`);
  }
  return [...new Set(fixed)].map((f) => {
    const what = FIXABLE_FAULTS[f as Fault]!(state, inputs);
    state.faults = state.faults.filter((x) => x !== f);
    return `simulated fix: ${f} lifted, ${what}`;
  });
}

/** primary-region-returns: the old primary is lost as the drill starts and answers again (health endpoints passing) this long after. */
export const PRIMARY_RETURNS_AFTER_SECONDS = 60;
/** partial-outage: the APIs of the primary region that fail (its database is lost); its load balancer keeps serving. */
export const PARTIAL_OUTAGE_APIS: readonly Service[] = ["RDS"];

export type FailoverRecord = "PRIMARY" | "SECONDARY";

/**
 * Which record Route 53 answers for a failover pair
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html):
 * the primary while it is healthy; the secondary while the primary is unhealthy and the secondary
 * healthy; and the primary when the secondary is unhealthy, whatever the primary's health (so both
 * unhealthy answer PRIMARY: "if no record is healthy, all records are healthy").
 */
export function failoverAnswer(primaryHealthy: boolean, secondaryHealthy: boolean): FailoverRecord {
  return primaryHealthy || !secondaryHealthy ? "PRIMARY" : "SECONDARY";
}

/** Epoch ms of "never" (JSON has no Infinity). */
export const NEVER = Number.MAX_SAFE_INTEGER;
/** The simulated drill starts at a fixed instant so runs and tests are reproducible. */
export const SIM_START = Date.UTC(2026, 0, 1, 9, 0, 0);
export const HOUR = 3600_000;

export interface SimGroup { name: string; tier: Tier; desired: number; min: number; max: number; ready: number[] }
export interface SimRegion {
  region: string;
  /** Every call to the region fails (from `downAt` until `upAt`, when known). */
  down: boolean;
  /** Epoch ms the region was lost (Route 53's checkers start failing then); absent while it is up. */
  downAt?: number;
  /** Epoch ms the lost region answers again (primary-region-returns). */
  upAt?: number;
  /** Services of the region whose API fails while the rest answers (partial-outage). */
  apiDown?: Service[];
  instances: { id: string; availableAt: number }[];
  groups: SimGroup[];
  /** Writes to the region's switch (held in another region or the ARC cluster), in call order; on until the first. */
  switch: { at: number; on: boolean }[];
  secret: { value: string; primaryRegion?: string; replicas: { region: string; syncedAt: number }[] };
  objects: Record<string, number>;
  address: string;
}
export interface SimState {
  now: number;
  faults: Fault[];
  crashed: boolean;
  writer: string;
  op?: { kind: "switchover" | "failover"; to: string; doneAt: number };
  /** The region whose Route 53 record is PRIMARY (dr:activeRegion as deployed). */
  primaryRecord: string;
  regions: Record<string, SimRegion>;
  throttled: string[];
  calls: Call[];
  /** A backup-restore pair's vault, restore jobs and restored clusters (./simBackup). */
  backup?: SimBackup;
}

/**
 * The world before a drill: the primary writes and serves; `afterFailover` is the world failback
 * starts from. With primary-region-down, `lostAtStart` makes the loss happen as the drill starts (a
 * failover measures from it); otherwise the region has been down for an hour, as when an operator
 * checks readiness during an outage, and Route 53 has long seen it fail.
 */
export function initialState(inputs: DrillInputs, faults: readonly Fault[], afterFailover = false, lostAtStart = true): SimState {
  const ready = (n: number) => Array.from({ length: n }, () => SIM_START - HOUR);
  const region = (r: DrillRegion, i: number, full: boolean): SimRegion => {
    const plan = stackCapacity(r.config);
    const db = plan.database;
    return {
      region: r.region, down: false,
      instances: Array.from({ length: db.headless ? 0 : db.instances }, (_, k) => ({ id: `${r.dbClusterIdentifier}-${k}`, availableAt: SIM_START - HOUR })),
      groups: r.groups.map((g) => {
        const desired = full ? inputs.primary.config.capacity[g.tier].desired : plan[g.tier].desired;
        return { name: g.name, tier: g.tier, desired, min: plan[g.tier].min, max: plan[g.tier].max, ready: ready(desired) };
      }),
      switch: [], secret: { value: "password-1", replicas: [] }, objects: {}, address: `198.51.100.${10 + i}`,
    };
  };
  const p = region(inputs.primary, 0, true);
  const s = region(inputs.secondary, 1, afterFailover);
  const further = inputs.others.map((o, i) => region(o, 2 + i, false));
  p.secret.replicas.push({ region: s.region, syncedAt: SIM_START - HOUR });
  s.secret.primaryRegion = p.region;
  if (afterFailover) {
    // The failover promoted the secondary and its secret, and switched the old primary off; the password was rotated since.
    p.switch.push({ at: SIM_START - HOUR, on: false });
    p.secret.replicas = [];
    s.secret = { value: "password-2", replicas: [] };
  }
  // Lost as the drill starts (a failover measures from the loss, as the model does), or an hour before.
  if (faults.includes("primary-region-down")) Object.assign(p, { down: true, downAt: lostAtStart ? SIM_START : SIM_START - HOUR });
  if (faults.includes("primary-region-returns")) Object.assign(p, { down: true, downAt: SIM_START, upAt: SIM_START + PRIMARY_RETURNS_AFTER_SECONDS * 1000 });
  if (faults.includes("partial-outage")) p.apiDown = [...PARTIAL_OUTAGE_APIS];
  if (faults.includes("secondary-switched-off")) s.switch.push({ at: SIM_START - HOUR, on: false });
  if (faults.includes("recovery-cloudwatch-impaired")) s.apiDown = ["CloudWatch"];
  const backup = initialBackup(inputs, faults, SIM_START);
  // The DB secret as the primary stack writes it (components/security/databaseCredentials.ts): the restore drill adds the host.
  if (backup) for (const r of [p, s]) r.secret.value = JSON.stringify({ username: "dbadmin", password: "password-1" });
  return {
    now: SIM_START, faults: [...faults], crashed: false, writer: afterFailover ? s.region : p.region, primaryRecord: p.region,
    regions: Object.fromEntries([p, s, ...further].map((r) => [r.region, r])), throttled: [], calls: [], ...(backup ? { backup } : {}),
  };
}
