/**
 * The alarm list of the plan: every CloudWatch alarm of every stack, with what a person needs to
 * trust it (metric, threshold, missing-data rule), where it goes (the subscriptions of the topics
 * it notifies) and its runbook. Read from plan.json's resources alone, so the report, the tests
 * and any tool see the same list.
 */
import { describeDestination } from "../../components/observability/alertDestinations";
import { runbookOf } from "../../components/observability/alarmCatalogue";
import type { PlanDocument, PlanResource } from "./document";

export const ALARM_TYPES: readonly string[] = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: ">", GreaterThanOrEqualToThreshold: ">=", LessThanThreshold: "<", LessThanOrEqualToThreshold: "<=",
};

export interface PlannedAlarm {
  readonly stack: string;
  readonly region: string;
  readonly name: string;
  readonly urn: string;
  /** namespace/metric, or the metric-math expression and the metrics it reads. */
  readonly metric: string;
  /** Operator, threshold and how long, such as "> 0 for 1 x 300 s". */
  readonly threshold: string;
  /** treatMissingData as CloudWatch applies it (missing when unset). */
  readonly missingData: string;
  /** Whether the alarm notifies at all (actionsEnabled). */
  readonly actionsEnabled: boolean;
  /** The topics it notifies. */
  readonly topics: readonly string[];
  /** The subscriptions of those topics, described without secrets (email:x, https:host). */
  readonly destinations: readonly string[];
  readonly runbook?: { readonly file: string; readonly anchor: string };
}

type Query = { id?: string; expression?: string; returnData?: boolean; metric?: { namespace?: string; metricName?: string } };

function metricOf(inputs: Record<string, unknown>): string {
  if (typeof inputs.metricName === "string") return `${inputs.namespace}/${inputs.metricName}`;
  const queries = (Array.isArray(inputs.metricQueries) ? inputs.metricQueries : []) as Query[];
  const returned = queries.find((q) => q.returnData && q.expression);
  const read = queries.filter((q) => q.metric).map((q) => `${q.metric!.namespace}/${q.metric!.metricName}`);
  return returned ? `${returned.expression} over ${[...new Set(read)].join(", ")}` : typeof inputs.alarmRule === "string" ? `composite: ${inputs.alarmRule}` : "(none)";
}

function thresholdOf(inputs: Record<string, unknown>): string {
  if (inputs.comparisonOperator === undefined) return "rule";
  const op = OPERATORS[String(inputs.comparisonOperator)] ?? String(inputs.comparisonOperator);
  const periods = Number(inputs.evaluationPeriods ?? 1);
  const needed = Number(inputs.datapointsToAlarm ?? periods);
  const queries = (Array.isArray(inputs.metricQueries) ? inputs.metricQueries : []) as { metric?: { period?: number } }[];
  const period = Number(inputs.period ?? queries.find((q) => q.metric)?.metric?.period ?? 0);
  return `${op} ${inputs.threshold} for ${needed === periods ? "" : `${needed} of `}${periods} x ${period} s`;
}

/** Every alarm of the plan, in stack and name order. */
export function plannedAlarms(doc: PlanDocument): PlannedAlarm[] {
  const subscriptions = doc.resources.filter((r) => r.type === SUBSCRIPTION);
  const destinationsOf = (topic: string) => subscriptions
    .filter((s) => s.inputs.topic === topic && s.region === topic.split(":")[3])
    .map((s) => describeDestination(String(s.inputs.protocol), String(s.inputs.endpoint)));
  return doc.resources.filter((r: PlanResource) => ALARM_TYPES.includes(r.type)).map((r) => {
    const topics = (Array.isArray(r.inputs.alarmActions) ? r.inputs.alarmActions : []).filter((a): a is string => typeof a === "string");
    return {
      stack: r.stack,
      region: r.region,
      name: r.name,
      urn: r.urn,
      metric: metricOf(r.inputs),
      threshold: thresholdOf(r.inputs),
      missingData: typeof r.inputs.treatMissingData === "string" ? r.inputs.treatMissingData : "missing",
      actionsEnabled: r.inputs.actionsEnabled !== false,
      topics,
      destinations: [...new Set(topics.flatMap(destinationsOf))],
      runbook: runbookOf(r.inputs.alarmDescription),
    };
  });
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report's "## Alarms" section: one row per alarm; alarms reaching nobody are flagged first. */
export function renderAlarms(alarms: readonly PlannedAlarm[]): string {
  const unreached = alarms.filter((a) => !a.destinations.length);
  const out = ["## Alarms", "",
    `${alarms.length} alarms. Each notifies its region's topic on ALARM and OK; a topic delivers to the dr:alerts subscriptions of the stack that owns it, in the topic's region. Missing data: \`breaching\` pages on silence, \`notBreaching\` treats silence as fine, \`missing\` keeps the alarm in INSUFFICIENT_DATA (notifies nobody).`, ""];
  if (unreached.length)
    out.push(`**${unreached.length} alarm(s) without a destination** (their topic has no subscription: set dr:alerts in the owning stack's file): ${unreached.map((a) => `${a.stack}/${a.name}`).join(", ")}.`, "");
  else out.push("Every alarm has a destination.", "");
  out.push("| stack | region | alarm | metric | threshold | missing data | destination | runbook |", "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...alarms.map((a) => `| ${[a.stack, a.region, a.name, a.metric, a.threshold, a.missingData,
      a.destinations.length ? `${a.destinations.join(", ")}${a.actionsEnabled ? "" : " (notifications off)"}` : "**NONE**",
      a.runbook ? `${a.runbook.file}#${a.runbook.anchor}` : "**NONE**"].map(cell).join(" | ")} |`), "");
  return out.join("\n");
}
