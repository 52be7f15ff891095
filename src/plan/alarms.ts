/**
 * The alarm list of the plan: every CloudWatch alarm of every stack, and every EventBridge rule that
 * pages (one whose description links a runbook: what a service reports only as events), with what a
 * person needs to trust it (metric or event pattern, threshold, missing-data rule), where it goes
 * (the subscriptions of the topics it notifies) and its runbook. Read from plan.json's resources
 * alone, so the report, the tests and any tool see the same list.
 */
import { describeDestination } from "../../components/observability/alertDestinations";
import { runbookOf } from "../../components/observability/alarmCatalogue";
import type { PlanDocument, PlanResource } from "./document";

export const ALARM_TYPES: readonly string[] = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: ">", GreaterThanOrEqualToThreshold: ">=", LessThanThreshold: "<", LessThanOrEqualToThreshold: "<=",
};

export interface PlannedAlarm {
  /** A CloudWatch alarm, or an EventBridge rule paging on every event it matches (no metric, no threshold). */
  readonly kind: "alarm" | "event-rule";
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

/** The pattern of an event rule as the report shows it: source, detail-types and the detail fields it selects on. */
function patternOf(inputs: Record<string, unknown>): string {
  let pattern: { source?: unknown; "detail-type"?: unknown; detail?: Record<string, unknown> } = {};
  try {
    pattern = JSON.parse(String(inputs.eventPattern)) as typeof pattern;
  } catch {
    return String(inputs.scheduleExpression ?? "(no pattern)");
  }
  const names = (v: unknown) => (Array.isArray(v) ? v.map(valueOf).join(" or ") : "any");
  const fields = Object.entries(pattern.detail ?? {}).map(([field, values]) => `, detail.${field} ${names(values)}`);
  return `event ${names(pattern.source)}: ${names(pattern["detail-type"])}${fields.join("")}`;
}

/** One value of a pattern: a literal, or the `exists` operator as the report says it. */
function valueOf(v: unknown): string {
  if (typeof v === "object" && v !== null && "exists" in v) return (v as { exists: boolean }).exists ? "present" : "absent";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The event rules that page: those whose description links a runbook, each with the topics its targets publish to. */
function pagingRules(doc: PlanDocument, destinationsOf: (topic: string) => string[]): PlannedAlarm[] {
  const targets = doc.resources.filter((r) => r.type === EVENT_TARGET);
  return doc.resources.filter((r) => r.type === EVENT_RULE && runbookOf(r.inputs.description)).map((r) => {
    const topics = targets
      .filter((t) => t.stack === r.stack && t.region === r.region && t.inputs.rule === r.inputs.name && /^arn:[^:]+:sns:/.test(String(t.inputs.arn)))
      .map((t) => String(t.inputs.arn));
    return {
      kind: "event-rule" as const,
      stack: r.stack,
      region: r.region,
      // The rule's own name, as the console and `aws events disable-rule --name` know it.
      name: String(r.inputs.name ?? r.name),
      urn: r.urn,
      metric: patternOf(r.inputs),
      threshold: "every matching event",
      missingData: "n/a: no event, no page",
      actionsEnabled: r.inputs.state === undefined || r.inputs.state === "ENABLED",
      topics,
      destinations: [...new Set(topics.flatMap(destinationsOf))],
      runbook: runbookOf(r.inputs.description),
    };
  });
}

/** Every alarm of the plan, in stack and name order, then the event rules that page. */
export function plannedAlarms(doc: PlanDocument): PlannedAlarm[] {
  const subscriptions = doc.resources.filter((r) => r.type === SUBSCRIPTION);
  const destinationsOf = (topic: string) => subscriptions
    .filter((s) => s.inputs.topic === topic && s.region === topic.split(":")[3])
    .map((s) => describeDestination(String(s.inputs.protocol), String(s.inputs.endpoint)));
  const alarms = doc.resources.filter((r: PlanResource) => ALARM_TYPES.includes(r.type)).map((r) => {
    const topics = (Array.isArray(r.inputs.alarmActions) ? r.inputs.alarmActions : []).filter((a): a is string => typeof a === "string");
    return {
      kind: "alarm" as const,
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
  return [...alarms, ...pagingRules(doc, destinationsOf)];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report's "## Alarms" section: one row per alarm; alarms reaching nobody are flagged first. */
export function renderAlarms(alarms: readonly PlannedAlarm[]): string {
  const unreached = alarms.filter((a) => !a.destinations.length);
  const out = ["## Alarms", "",
    `${alarms.length} alarms (${alarms.filter((a) => a.kind === "event-rule").length} of them EventBridge rules that page on every matching event). Each alarm notifies its region's topic on ALARM and OK; a topic delivers to the dr:alerts subscriptions of the stack that owns it, in the topic's region. Missing data: \`breaching\` pages on silence, \`notBreaching\` treats silence as fine, \`missing\` keeps the alarm in INSUFFICIENT_DATA (notifies nobody).`, ""];
  if (unreached.length)
    out.push(`**${unreached.length} alarm(s) without a destination** (their topic has no subscription: set dr:alerts in the owning stack's file): ${unreached.map((a) => `${a.stack}/${a.name}`).join(", ")}.`, "");
  else out.push("Every alarm has a destination.", "");
  out.push("| stack | region | alarm | metric | threshold | missing data | destination | runbook |", "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...alarms.map((a) => `| ${[a.stack, a.region, a.name, a.metric, a.threshold, a.missingData,
      a.destinations.length ? `${a.destinations.join(", ")}${a.actionsEnabled ? "" : " (notifications off)"}` : "**NONE**",
      a.runbook ? `${a.runbook.file}#${a.runbook.anchor}` : "**NONE**"].map(cell).join(" | ")} |`), "");
  return out.join("\n");
}
