/**
 * `npm run diagram`: plans the example configuration (the stack files in the project folder) and
 * writes its topology to docs/topology.svg (byte for byte what `plan` draws, which a test checks)
 * and docs/topology.png (for viewers that do not show SVG), and each region's dashboard picture
 * (docs/dashboard-<region>.svg and .png, drawn from the dashboard body the plan registers). Rerun after any change to what the
 * stacks register or how the diagram draws.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { evaluatePlan } from "../plan/evaluatePlan";
import { buildPlanDocument } from "../plan/planJson";
import { loadStackSet } from "../plan/stackSet";
import { renderSvg, topologyDot } from "../plan/topology";
import { renderPng } from "../plan/topology/png";
import { dashboardSvg, plannedDashboards } from "../plan/dashboard";

export const PROJECT_DIR = path.resolve(__dirname, "../../..");
export const DOCS_SVG = path.join(PROJECT_DIR, "docs", "topology.svg");
export const DOCS_PNG = path.join(PROJECT_DIR, "docs", "topology.png");
/** Where each region's dashboard picture goes. */
export const docsDashboard = (region: string, ext: "svg" | "png") => path.join(PROJECT_DIR, "docs", `dashboard-${region}.${ext}`);

async function main(): Promise<void> {
  const document = buildPlanDocument(await evaluatePlan(loadStackSet(PROJECT_DIR)));
  const start = performance.now();
  const svg = await renderSvg(topologyDot(document));
  const laidOut = performance.now();
  const png = renderPng(svg);
  fs.mkdirSync(path.dirname(DOCS_SVG), { recursive: true });
  fs.writeFileSync(DOCS_SVG, svg);
  fs.writeFileSync(DOCS_PNG, png.png);
  for (const d of plannedDashboards(document)) {
    const picture = dashboardSvg(d);
    fs.writeFileSync(docsDashboard(d.region, "svg"), picture);
    fs.writeFileSync(docsDashboard(d.region, "png"), renderPng(picture).png);
    console.log(`Wrote ${path.relative(process.cwd(), docsDashboard(d.region, "svg"))} and .png`);
  }
  console.log(`Wrote ${path.relative(process.cwd(), DOCS_SVG)} and ${path.relative(process.cwd(), DOCS_PNG)} (${png.width} x ${png.height} px; ` +
    `layout ${((laidOut - start) / 1000).toFixed(2)} s, PNG ${((performance.now() - laidOut) / 1000).toFixed(2)} s)`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
