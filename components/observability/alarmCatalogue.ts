/**
 * The alarm catalogue: every alarm a component creates is described once here, and the dashboard,
 * the plan report and the tests read the same entries. A component adds to it by exposing
 * `catalogue: AlarmEntry[]` (built with `entryOf`); the stack passes the entries of its region to
 * RegionDashboard. Pure: no Pulumi imports, values are whatever the caller holds (inputs or strings).
 *
 * Every alarm description ends with its runbook link, `Runbook: runbooks/alerts.md#<anchor>`: the
 * page a person reads when it pages (a test checks that the file and the heading exist).
 */

/** The runbook of every alarm: one section per alarm kind. */
export const ALARM_RUNBOOK_FILE = "runbooks/alerts.md";

/** The sections of the runbook, by anchor (the heading's slug); each alarm names one. */
export const RUNBOOK_ANCHORS = [
  "health-check-unhealthy",
  "load-balancer-errors",
  "capacity-below-desired",
  "database-pressure",
  "aurora-replication-lag",
  "s3-replication",
  "backup-job-failed-expired-or-aborted",
  "backup-copy-job-failed",
  "recovery-point-too-old",
  "cross-region-copy-too-old",
  "region-switch-state-changed",
  "region-switch-plan-failed",
  "region-switch-plan-warning",
  "recovery-trigger",
] as const;
export type RunbookAnchor = (typeof RUNBOOK_ANCHORS)[number];

/** The text every alarm description ends with. */
export function runbookLink(anchor: RunbookAnchor): string {
  return `Runbook: ${ALARM_RUNBOOK_FILE}#${anchor}`;
}

/** The runbook path and anchor a description links, or undefined when it links none. */
export function runbookOf(description: unknown): { readonly file: string; readonly anchor: string } | undefined {
  const m = typeof description === "string" ? /Runbook: (runbooks\/[\w.-]+\.md)#([a-z0-9-]+)/.exec(description) : null;
  return m ? { file: m[1], anchor: m[2] } : undefined;
}

/** The dashboard panels, in the order they are drawn; every alarm belongs to one. */
export const DASHBOARD_PANELS = [
  "health-check",
  "region-switch",
  "capacity",
  "aurora-lag",
  "s3-replication",
  "backup-freshness",
  "backup-jobs",
  "service",
] as const;
export type DashboardPanel = (typeof DASHBOARD_PANELS)[number];

export const PANEL_TITLES: Readonly<Record<DashboardPanel, string>> = {
  "health-check": "Route 53 health-check status (1 = healthy)",
  "region-switch": "Region switch state",
  capacity: "Capacity per tier: in service vs desired",
  "aurora-lag": "Aurora global database lag (ms)",
  "s3-replication": "S3 replication latency (s) and failures",
  "backup-freshness": "Backup freshness: completed backup and copy jobs",
  "backup-jobs": "Backup and copy jobs failed, expired, aborted",
  service: "Load balancers and database",
};

/** One metric as CloudWatch names it, and the region that publishes it. */
export interface CatalogueMetric<S = string> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, S>>;
  readonly stat: string;
  /** The region CloudWatch publishes the metric in (Route 53: us-east-1 only). */
  readonly region: string;
}

/** One alarm of the catalogue (or, without alarmArn, a metric shown next to an alarm kept elsewhere). */
export interface AlarmEntry<S = string> {
  readonly panel: DashboardPanel;
  /** The region the alarm lives in. */
  readonly region: string;
  /** The alarm's ARN; undefined for a metric whose alarm another stack owns (the links stack's health-check alarms). */
  readonly alarmArn?: S;
  readonly metrics: readonly CatalogueMetric<S>[];
}
