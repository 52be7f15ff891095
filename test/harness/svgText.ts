/** Reading Graphviz SVG in tests: its texts, and whether each fits its box as resvg draws it. */
import { Resvg } from "@resvg/resvg-js";
import { renderFontOptions } from "../../src/plan/topology/png";

export const decode = (t: string) => t.replace(/&#45;/g, "-").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
export const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]));

/**
 * Every text of every node against the box it sits in, measured as resvg draws it: the text's ink
 * (a one-text SVG rendered with the same font, family, size and weight) must end inside the
 * smallest polygon of its node that holds the text's start.
 */
export function overflowingLabels(svg: string): string[] {
  const widths = new Map<string, number>();
  const inkWidth = (attrs: string, content: string) => {
    const key = `${attrs}|${content}`;
    if (!widths.has(key)) {
      const one = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="100"><text x="0" y="50" ${attrs}>${content}</text></svg>`;
      const box = new Resvg(one, { font: renderFontOptions() }).getBBox();
      widths.set(key, box ? box.x + box.width : 0);
    }
    return widths.get(key)!;
  };
  const problems: string[] = [];
  for (const node of svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)) {
    const polygons = [...node[1].matchAll(/<polygon[^>]*points="([^"]+)"/g)].map((m) => {
      const pts = m[1].trim().split(/\s+/).map((p) => p.split(",").map(Number));
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
    });
    for (const t of node[1].matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
      const x = Number(/ x="([-\d.]+)"/.exec(t[1])![1]);
      const y = Number(/ y="([-\d.]+)"/.exec(t[1])![1]);
      const style = [...t[1].matchAll(/(font-family|font-size|font-weight)="[^"]*"/g)].map((m) => m[0]).join(" ");
      const holders = polygons.filter((p) => p.x0 <= x && x <= p.x1 && p.y0 <= y && y <= p.y1);
      const box = holders.sort((a, b) => (a.x1 - a.x0) * (a.y1 - a.y0) - (b.x1 - b.x0) * (b.y1 - b.y0))[0];
      const end = x + inkWidth(style, t[2]);
      if (!box || end > box.x1) problems.push(`"${decode(t[2])}" ends at ${end.toFixed(1)}, its box at ${box?.x1 ?? "(none)"}`);
    }
  }
  return problems;
}

