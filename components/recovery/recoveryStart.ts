/**
 * Who starts a recovery, and how long that takes: pure, shared by the stacks (the in-cloud plan's
 * trigger and approval), the recovery model (the decision term of the RTO) and the drills.
 *
 * - `person`: an on-call engineer is paged, acknowledges, decides and starts the plan or drill.
 * - `alarm`: an alarm in the recovery region starts the ARC Region switch plan (a trigger); the
 *   signal must exist in the recovery region, since Route 53 publishes health-check metrics only in
 *   us-east-1: a probe in the recovery region requests the primary's regional endpoint and writes a
 *   high-resolution metric there.
 * With `approval`, the plan waits at a ManualApproval step before the database step.
 */
export const RECOVERY_START_MODES = ["person", "alarm"] as const;
export type RecoveryStartMode = (typeof RECOVERY_START_MODES)[number];

export interface RecoveryStart {
  /** Who starts recovery. Default: person. */
  readonly mode: RecoveryStartMode;
  /** A ManualApproval step before the database step of the in-cloud plan. Default: true. */
  readonly approval: boolean;
  /** Seconds from the page to a person starting recovery (page, acknowledge, decide). */
  readonly personReactionSeconds: number;
  /** Seconds an approval waits for its approver. */
  readonly approvalSeconds: number;
}

/**
 * Assumed, configurable: a five-minute acknowledgement target for a critical page plus five
 * minutes to confirm the outage and decide. Replace with your team's measured figures.
 */
export const DEFAULT_PERSON_REACTION_SECONDS = 600;
/** Assumed: an approver already on the call approves within two minutes. */
export const DEFAULT_APPROVAL_SECONDS = 120;
export const DEFAULT_RECOVERY_START: RecoveryStart = {
  mode: "person",
  approval: true,
  personReactionSeconds: DEFAULT_PERSON_REACTION_SECONDS,
  approvalSeconds: DEFAULT_APPROVAL_SECONDS,
};

/**
 * The trigger's signal in the recovery region: the probe writes 1 (failed) or 0 per request of the
 * primary's regional health endpoint every `periodSeconds`, at one-second storage resolution, and the
 * alarm goes off after `datapointsToAlarm` failed periods. High-resolution alarms take 10 s periods.
 */
export const RECOVERY_TRIGGER_SIGNAL = {
  namespace: "DR/RecoveryTrigger",
  metricName: "PrimaryEndpointFailed",
  periodSeconds: 10,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
} as const;

export function recoveryTriggerAlarmName(appName: string, environment: string, recoveryRegion: string): string {
  return `${appName}-${environment}-recovery-trigger-${recoveryRegion}`;
}

/**
 * The same probe's alarm when a person starts recovery (dr:recovery.mode person): it only pages. The
 * page must not come from us-east-1 alone (where Route 53's health-check alarms live): with the
 * primary there, a regional outage takes that alarm and its topic down with it.
 */
export function primaryProbeAlarmName(appName: string, environment: string, recoveryRegion: string): string {
  return `${appName}-${environment}-primary-probe-${recoveryRegion}`;
}
