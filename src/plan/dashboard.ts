/**
 * The plan's picture of each region's CloudWatch dashboard, drawn offline from the dashboard body
 * the stack registers (plan.json's `aws:cloudwatch/dashboard:Dashboard` inputs): the same grid,
 * titles, metrics and alarms a person sees in the console, without data. Pure SVG text, so it is
 * the same on every machine; `npm run diagram` writes docs/dashboard-<region>.svg and a test checks
 * the committed files.
 */
import type { DashboardBody, Widget } from "../../components/observability/dashboardBody";
import { GRID_COLUMNS } from "../../components/observability/dashboardBody";
import type { PlanDocument } from "./document";

export const DASHBOARD_TYPE = "aws:cloudwatch/dashboard:Dashboard";
const UNIT_X = 52;
const UNIT_Y = 38;
const PAD = 12;
const FONT = "DejaVu Sans,Verdana,sans-serif";
const LINE = 15;
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

export interface PlannedDashboard {
  readonly stack: string;
  readonly region: string;
  readonly name: string;
  readonly body: DashboardBody;
}

/** Every dashboard of the plan, with its parsed body. */
export function plannedDashboards(doc: PlanDocument): PlannedDashboard[] {
  return doc.resources.filter((r) => r.type === DASHBOARD_TYPE).map((r) => ({
    stack: r.stack,
    region: r.region,
    name: String(r.inputs.dashboardName),
    body: JSON.parse(String(r.inputs.dashboardBody)) as DashboardBody,
  }));
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Characters that fit a width at ~0.6 em per character of 11 px DejaVu Sans. */
const fit = (s: string, px: number, size = 11) => {
  const max = Math.floor(px / (size * 0.6));
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
};
/** Words in lines that fit `px` at 11 px. */
function wrap(s: string, px: number): string[] {
  const max = Math.floor(px / (11 * 0.6));
  const lines: string[] = [];
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
const text = (x: number, y: number, s: string, size = 11, weight = "normal", fill = "#16191f") =>
  `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" fill="${fill}">${esc(s)}</text>`;

function widgetSvg(w: Widget): string {
  const x = PAD + w.x * UNIT_X;
  const y = PAD + w.y * UNIT_Y;
  const width = w.width * UNIT_X - 6;
  const height = w.height * UNIT_Y - 6;
  const out = [`<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#ffffff" stroke="#d5dbdb" rx="2"/>`];
  const inner = width - 20;
  if (w.type === "text") {
    const [first, ...rest] = w.properties.markdown.split("\n").filter((l) => l.trim());
    out.push(text(x + 10, y + 24, fit(first.replace(/^#+\s*/, ""), inner, 15), 15, "bold"));
    wrap(rest.join(" "), inner).forEach((l, i) => out.push(text(x + 10, y + 46 + i * LINE, l)));
    return out.join("");
  }
  out.push(text(x + 10, y + 20, fit(w.properties.title, inner, 12), 12, "bold"));
  if (w.type === "alarm") {
    const names = w.properties.alarms.map((arn) => arn.split(":").pop() ?? arn);
    const columns = 3;
    const colWidth = inner / columns;
    names.forEach((n, i) => {
      const cx = x + 10 + (i % columns) * colWidth;
      const cy = y + 40 + Math.floor(i / columns) * LINE;
      if (cy > y + height - 6) return;
      out.push(`<circle cx="${cx + 4}" cy="${cy - 4}" r="4" fill="#aab7b8"/>`, text(cx + 12, cy, fit(n, colWidth - 16, 10), 10));
    });
    return out.join("");
  }
  const { region, metrics } = w.properties;
  out.push(text(x + 10, y + 36, `${region} · ${w.properties.period} s · no data offline`, 10, "normal", "#687078"));
  // An empty chart: axes only, so the picture says what the console draws, not what values it shows.
  const chartTop = y + 44;
  const chartBottom = y + height - 12 - Math.min(metrics.length, 4) * LINE;
  out.push(`<line x1="${x + 10}" y1="${chartBottom}" x2="${x + width - 10}" y2="${chartBottom}" stroke="#aab7b8"/>`,
    `<line x1="${x + 10}" y1="${chartTop}" x2="${x + 10}" y2="${chartBottom}" stroke="#aab7b8"/>`);
  metrics.slice(0, 4).forEach((row, i) => {
    const [namespace, name, ...rest] = row.filter((c): c is string => typeof c === "string");
    const stat = (row.find((c) => typeof c === "object") as { stat?: string } | undefined)?.stat ?? "";
    const dims = [];
    for (let d = 0; d + 1 < rest.length; d += 2) dims.push(`${rest[d]}=${rest[d + 1]}`);
    const ly = chartBottom + 14 + i * LINE;
    out.push(`<rect x="${x + 10}" y="${ly - 8}" width="10" height="3" fill="${COLORS[i % COLORS.length]}"/>`,
      text(x + 26, ly, fit(`${name} (${stat}) ${dims.join(" ")} · ${namespace}`, inner - 16, 10), 10));
  });
  if (metrics.length > 4) out.push(text(x + width - 90, chartTop + 10, `+${metrics.length - 4} more metrics`, 10, "normal", "#687078"));
  return out.join("");
}

/** The dashboard as SVG: its widgets on the console's 24-column grid. */
export function dashboardSvg(d: PlannedDashboard): string {
  const rows = Math.max(...d.body.widgets.map((w) => w.y + w.height));
  const width = PAD * 2 + GRID_COLUMNS * UNIT_X;
  const height = PAD * 2 + rows * UNIT_Y + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    ...d.body.widgets.map(widgetSvg),
    text(PAD, height - 10, `CloudWatch dashboard ${d.name} (stack ${d.stack}, ${d.region}), drawn by the plan from its dashboard body`, 10, "normal", "#687078"),
    "</svg>",
    "",
  ].join("\n");
}
