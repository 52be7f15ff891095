/**
 * Builds alarm catalogue entries (alarmCatalogue.ts) from the arguments a component gave its
 * MetricAlarm, so the dashboard shows exactly the metrics the alarm watches.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmEntry, CatalogueMetric, DashboardPanel, runbookLink, RunbookAnchor } from "./alarmCatalogue";

export type Entry = AlarmEntry<pulumi.Input<string>>;
type Dimensions = Readonly<Record<string, pulumi.Input<string>>>;

/** The components pass plain values here (strings, and maps of inputs for dimensions). */
interface PlainMetric {
  readonly namespace?: unknown;
  readonly metricName?: unknown;
  readonly dimensions?: unknown;
  readonly stat?: unknown;
}

/** The metrics a MetricAlarm's arguments name: its single metric, or the metrics of its metric-math queries. */
export function alarmMetrics(args: aws.cloudwatch.MetricAlarmArgs, region: string): CatalogueMetric<pulumi.Input<string>>[] {
  const one = (m: PlainMetric, stat: unknown): CatalogueMetric<pulumi.Input<string>> => ({
    namespace: String(m.namespace),
    metricName: String(m.metricName),
    dimensions: (m.dimensions ?? {}) as Dimensions,
    stat: String(stat ?? "Maximum"),
    region,
  });
  if (args.metricName !== undefined) return [one({ namespace: args.namespace, metricName: args.metricName, dimensions: args.dimensions }, args.statistic)];
  const queries = (args.metricQueries ?? []) as readonly { metric?: PlainMetric }[];
  return queries.filter((q) => q.metric).map((q) => one(q.metric!, q.metric!.stat));
}

/** The entry of one alarm. */
export function entryOf(panel: DashboardPanel, region: string, alarm: aws.cloudwatch.MetricAlarm, args: aws.cloudwatch.MetricAlarmArgs): Entry {
  return { panel, region, alarmArn: alarm.arn, metrics: alarmMetrics(args, region) };
}

/** Where a catalogued alarm sits and where it goes. */
export interface AlarmPlacement {
  readonly panel: DashboardPanel;
  readonly runbook: RunbookAnchor;
  /** The alarm's region (its provider's). */
  readonly region: string;
  /** Topics in `region` notified on ALARM and on OK (OK tells the on-call that a fix took effect). */
  readonly topics: readonly pulumi.Input<string>[];
  /** False keeps the alarm evaluating but notifying nobody. Default true. */
  readonly actionsEnabled?: boolean;
}

/**
 * One MetricAlarm with its runbook link appended to the description and its actions on the topics,
 * added to `catalogue`: how every component of the platform creates an alarm.
 */
export function cataloguedAlarm(name: string, at: AlarmPlacement, spec: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "actionsEnabled">, catalogue: Entry[], parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
  const full: aws.cloudwatch.MetricAlarmArgs = {
    ...spec,
    alarmDescription: pulumi.interpolate`${spec.alarmDescription} ${runbookLink(at.runbook)}`,
    actionsEnabled: at.actionsEnabled ?? true,
    alarmActions: [...at.topics],
    okActions: [...at.topics],
  };
  const alarm = new aws.cloudwatch.MetricAlarm(name, full, { parent });
  catalogue.push(entryOf(at.panel, at.region, alarm, full));
  return alarm;
}
