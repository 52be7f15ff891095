/**
 * The CloudWatch dashboard body of one region, drawn from the alarm catalogue (alarmCatalogue.ts):
 * one metric widget per panel and publishing region, then the states of the region's alarms. Pure,
 * so the plan's picture of it (src/plan/dashboard) and the tests read the body the stack deploys.
 *
 * Body schema: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 * (widgets on a 24-column grid with x, y, width, height; metric widgets name their region and list
 * metrics as [namespace, name, dimension name, value, ..., {rendering options}]; alarm widgets list ARNs).
 */
import { AlarmEntry, CatalogueMetric, DASHBOARD_PANELS, DashboardPanel, PANEL_TITLES } from "./alarmCatalogue";

export const GRID_COLUMNS = 24;
const WIDGET_WIDTH = 12;
const WIDGET_HEIGHT = 6;
const HEADER_HEIGHT = 2;
/** Five minutes: the coarsest period among the catalogue's alarms but backup freshness (hourly), fine enough for lag. */
const GRAPH_PERIOD_SECONDS = 300;

export type MetricRow = readonly (string | { readonly stat: string })[];

export interface MetricWidget {
  readonly type: "metric";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title: string; readonly region: string; readonly view: "timeSeries"; readonly period: number; readonly metrics: readonly MetricRow[] };
}
export interface AlarmWidget {
  readonly type: "alarm";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title: string; readonly alarms: readonly string[] };
}
export interface TextWidget {
  readonly type: "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly markdown: string };
}
export type Widget = MetricWidget | AlarmWidget | TextWidget;
export interface DashboardBody {
  readonly widgets: readonly Widget[];
}

/** A metric as a dashboard row: namespace, name, the dimensions in order, then the statistic. */
export function metricRow(m: CatalogueMetric): MetricRow {
  return [m.namespace, m.metricName, ...Object.entries(m.dimensions).flatMap(([k, v]) => [k, v]), { stat: m.stat }];
}

/** Whether a dashboard in `region` may show a metric published in `metricRegion`: its own, or Route 53's in us-east-1. */
export function showableIn(region: string, m: Pick<CatalogueMetric, "namespace" | "region">): boolean {
  return m.region === region || (m.namespace === "AWS/Route53" && m.region === "us-east-1");
}

/**
 * The body of `region`'s dashboard from the catalogue entries of its stack. Metrics published
 * elsewhere (another region's alarms) are left out: each region's dashboard must work while the
 * other region is dark. `notes` are panels with nothing to draw yet, each with its reason.
 */
export function dashboardBody(region: string, heading: string, entries: readonly AlarmEntry[], notes: Partial<Record<DashboardPanel, string>> = {}): DashboardBody {
  const widgets: Widget[] = [{ type: "text", x: 0, y: 0, width: GRID_COLUMNS, height: HEADER_HEIGHT, properties: { markdown: `# ${heading}` } }];
  let slot = 0;
  const place = () => {
    const at = { x: (slot % 2) * WIDGET_WIDTH, y: HEADER_HEIGHT + Math.floor(slot / 2) * WIDGET_HEIGHT, width: WIDGET_WIDTH, height: WIDGET_HEIGHT };
    slot++;
    return at;
  };
  for (const panel of DASHBOARD_PANELS) {
    const metrics = entries.filter((e) => e.panel === panel).flatMap((e) => e.metrics).filter((m) => showableIn(region, m));
    const regions = [...new Set(metrics.map((m) => m.region))].sort((a, b) => (a === region ? -1 : b === region ? 1 : a.localeCompare(b)));
    for (const metricRegion of regions) {
      const rows = uniqueRows(metrics.filter((m) => m.region === metricRegion).map(metricRow));
      const title = metricRegion === region ? PANEL_TITLES[panel] : `${PANEL_TITLES[panel]} (published in ${metricRegion})`;
      widgets.push({ type: "metric", ...place(), properties: { title, region: metricRegion, view: "timeSeries", period: GRAPH_PERIOD_SECONDS, metrics: rows } });
    }
    const note = notes[panel];
    if (!regions.length && note) widgets.push({ type: "text", ...place(), properties: { markdown: `### ${PANEL_TITLES[panel]}\n\n${note}` } });
  }
  const alarms = [...new Set(entries.filter((e) => e.region === region && e.alarmArn).map((e) => e.alarmArn as string))];
  const rows = Math.ceil(slot / 2);
  if (alarms.length)
    widgets.push({ type: "alarm", x: 0, y: HEADER_HEIGHT + rows * WIDGET_HEIGHT, width: GRID_COLUMNS, height: Math.max(3, Math.ceil(alarms.length / 4) + 1), properties: { title: `Alarm states (${alarms.length} alarms in ${region})`, alarms } });
  return { widgets };
}

function uniqueRows(rows: readonly MetricRow[]): MetricRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
