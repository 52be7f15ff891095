/**
 * The decision term of the RTO: how long after Route 53 marks the primary unhealthy (the model's
 * clock for the recovery branches) the database and capacity steps start, for each way a recovery
 * can be started. Nothing fails an Aurora global database over by itself, so someone or something
 * must start recovery; a figure that assumes it starts at detection is what a drill measures, not
 * what an outage at 3 a.m. gets. Pure.
 */
import { RECOVERY_TRIGGER_SIGNAL, RecoveryStart, RecoveryStartMode } from "../../components/recovery/recoveryStart";
import { RecoveryTerm, term } from "./strategyTerms";
import { HEALTH_CHECK_METRIC_PERIOD_SECONDS, HIGH_RES_ALARM_EVALUATION_SECONDS, REGION_SWITCH_TRIGGER_START_SECONDS } from "./timings";

/**
 * `drill`: the drill engine run at detection (what a drill's measured RTO is compared with; nobody
 * waits to be paged). `person` and `alarm`: dr:recovery.mode, see components/recovery/recoveryStart.ts.
 */
export type StartMode = "drill" | RecoveryStartMode;
export const START_MODES: readonly StartMode[] = ["person", "alarm", "drill"];

/** Seconds from the region's loss until the trigger's alarm goes red: its breaching periods, then one evaluation. */
export function triggerAlarmSeconds(): number {
  return RECOVERY_TRIGGER_SIGNAL.periodSeconds * RECOVERY_TRIGGER_SIGNAL.datapointsToAlarm + HIGH_RES_ALARM_EVALUATION_SECONDS;
}

/**
 * The decision term for `mode`. `detectionSeconds` is Route 53's detection: the person is paged by
 * the health-check alarm after it, while the recovery region's trigger alarm runs on its own clock
 * from the loss (it may go red before or after Route 53 moves DNS; never counted below zero).
 */
export function decisionTerm(mode: StartMode, start: RecoveryStart, detectionSeconds: number): RecoveryTerm {
  const approval = mode !== "drill" && start.approval ? start.approvalSeconds : 0;
  const approvalText = approval ? ` + ManualApproval before the database step ${approval} s (dr:recovery.approvalSeconds, assumed)` : "";
  if (mode === "person") {
    return term("decision", HEALTH_CHECK_METRIC_PERIOD_SECONDS + start.personReactionSeconds + approval,
      `a person starts recovery: paged by the health-check alarm (Route 53's one-minute metric, ${HEALTH_CHECK_METRIC_PERIOD_SECONDS} s) + ` +
        `reaction ${start.personReactionSeconds} s (dr:recovery.personReactionSeconds, assumed: acknowledge, confirm, decide)${approvalText}`,
      "paging, acknowledging and deciding dominate a person-started recovery; an alarm-started plan (dr:recovery.mode alarm) removes them");
  }
  if (mode === "alarm") {
    const fromLoss = triggerAlarmSeconds() + REGION_SWITCH_TRIGGER_START_SECONDS;
    return term("decision", Math.max(0, fromLoss - detectionSeconds) + approval,
      `the recovery region's trigger alarm starts the Region switch plan: ${RECOVERY_TRIGGER_SIGNAL.datapointsToAlarm} failed ${RECOVERY_TRIGGER_SIGNAL.periodSeconds} s probe periods + ` +
        `${HIGH_RES_ALARM_EVALUATION_SECONDS} s alarm evaluation + trigger start ${REGION_SWITCH_TRIGGER_START_SECONDS} s (assumed) = ${fromLoss} s from the loss, ` +
        `less Route 53's ${detectionSeconds} s detection${approvalText}`,
      "the trigger watches the primary from the recovery region, since Route 53 publishes health-check metrics only in us-east-1; the approval, when on, waits for a person");
  }
  return term("decision", 0, "the drill engine is run at detection (what a drill measures)",
    "no one waits to be paged: the figure a drill's measured RTO is compared with, not what an unattended outage gets");
}
