/**
 * The topology as DOT. Route 53, the link-owning stacks and the legend on top; below them the
 * regions side by side, primary first. With more regions than fit side by side, the overview: left
 * to right, the primary in detail, then every other region as a compact box in one column, so
 * eleven regions stay about as wide as they are tall. Cross-region links are edges between the
 * cells of the regions they join, one style per kind; links a `links` stack owns pass through that
 * stack's box.
 */
import type { CrossRegionLink, LinkEnd, PlanDocument } from "../document";
import { cell, esc, FONT_FACE, Line, row, SMALL_SIZE, swatch, table, TITLE_SIZE } from "./html";
import { LinkOwnerView, linkOwnerViews, regionViews } from "./model";
import { compactRegion, detailedRegion, portOf } from "./regionBox";
import { LINK_KINDS, LINK_STYLE } from "./style";

/** Regions drawn in detail side by side; beyond this, the overview (primary detailed, the rest compact). */
export const MAX_DETAILED_REGIONS = 3;

const q = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

interface Endpoint {
  readonly node: string;
  readonly port?: string;
  /** Index in the left-to-right, top-to-bottom order of drawn regions; -1 for nodes above the regions. */
  readonly order: number;
}

export function topologyDot(doc: PlanDocument): string {
  const views = regionViews(doc);
  const owners = linkOwnerViews(doc);
  const overview = views.length > MAX_DETAILED_REGIONS;
  const detailed = overview ? 1 : views.length;
  const regionId = (i: number) => `region${i}`;
  // The overview runs left to right: the primary, then the regions in one column its links fan out to.
  const lines = [
    "digraph topology {",
    `  graph [rankdir=${overview ? "LR" : "TB"}, newrank=true, nodesep=${overview ? 0.25 : 0.5}, ranksep=${overview ? 2.6 : 0.9}, pad=0.3, fontname=${q(FONT_FACE)}, bgcolor="white"];`,
    `  node [shape=plain, fontname=${q(FONT_FACE)}];`,
    `  edge [fontname=${q(FONT_FACE)}, fontsize=${SMALL_SIZE}, arrowsize=0.9];`,
  ];

  const dnsLinks = doc.links.filter((l) => l.kind === "dns-failover" && l.from.region === "global");
  const top: string[] = [];
  if (dnsLinks.length) {
    const names = [...new Set(dnsLinks.map((l) => l.detail.match(/record ([^\s,]+)/)?.[1] ?? l.from.label))];
    lines.push(`  route53 [label=<${table([row([cell([{ text: "Route 53", size: TITLE_SIZE, bold: true }, ...names.map((n) => ({ text: n })), { text: "failover records, one per region", size: SMALL_SIZE }], { bgcolor: "#fbe3e0" })])])}>];`);
    top.push("route53");
  }
  const ownerOf = new Map<CrossRegionLink, string>();
  const ownerNodes = owners.flatMap((o, i) => ownerCluster(lines, o, i, doc.links, overview, ownerOf));
  if (!overview) top.push(...ownerNodes);
  const kinds = LINK_KINDS.filter((k) => doc.links.some((l) => l.kind === k));
  if (kinds.length) {
    lines.push(`  legend [label=<${legend(kinds, owners.length > 0)}>];`);
    top.push("legend");
  }
  if (top.length) lines.push(`  { rank=min; ${top.join("; ")}; }`);

  const endpoint = (l: CrossRegionLink, e: LinkEnd): Endpoint | undefined => {
    if (l.kind === "dns-failover" && e.region === "global") return dnsLinks.length ? { node: "route53", order: -1 } : undefined;
    const i = views.findIndex((v) => v.region === e.region);
    return i < 0 ? undefined : { node: regionId(i), port: portOf(views[i], l.kind, e), order: i };
  };
  const drawn = doc.links.map((l) => ({ l, from: endpoint(l, l.from), to: endpoint(l, l.to) }))
    .filter((x): x is { l: CrossRegionLink; from: Endpoint; to: Endpoint } => !!x.from && !!x.to && (x.from.node !== x.to.node || x.l.kind === "dns-failover"));
  // In the overview a compact region names its failover record instead of taking an edge from Route 53 across the picture.
  const asText = (x: (typeof drawn)[number]) => overview && x.l.kind === "dns-failover" && x.to.order >= detailed;
  const edges = drawn.filter((x) => !asText(x));
  const linkedPorts = (node: string) => new Set(edges.flatMap((x) => [x.from, x.to]).filter((e) => e.node === node && e.port).map((e) => e.port!));
  views.forEach((v, i) => {
    const records = drawn.filter((x) => asText(x) && x.to.order === i).map((x) => label(x.l) ?? "failover");
    lines.push(`  ${regionId(i)} [label=${i < detailed ? detailedRegion(v, linkedPorts(regionId(i)), overview) : compactRegion(v, linkedPorts(regionId(i)), records)}];`);
  });
  for (const r of [views.slice(0, detailed).map((_, i) => i), views.slice(detailed).map((_, i) => detailed + i)].filter((x) => x.length)) {
    lines.push(`  { rank=same; ${r.map(regionId).join("; ")}; }`);
    for (let j = 1; j < r.length; j++) lines.push(`  ${regionId(r[j - 1])} -> ${regionId(r[j])} [style=invis];`);
  }
  if (top.length) lines.push(`  ${top[0]} -> ${regionId(0)} [style=invis];`);

  const fedOwners = new Set<string>();
  for (const { l, from, to } of edges) {
    const via = ownerOf.get(l);
    if (via && overview && from.order < to.order) {
      // Between the primary and the column of regions: in once from the source, out to each destination.
      if (!fedOwners.has(via)) lines.push(`  ${at(from, "e")} -> ${via} [${edgeAttrs(l, "none")}];`);
      fedOwners.add(via);
      lines.push(`  ${via} -> ${at(to, "w")} [${edgeAttrs(l, "forward")}];`);
    } else if (via) {
      // Hung from the owner's box above the regions: a plain line to the source, an arrow to the destination.
      lines.push(`  ${via} -> ${at(from)} [${edgeAttrs(l, "none")}];`, `  ${via} -> ${at(to)} [${edgeAttrs(l, "forward")}];`);
    } else {
      // Written left to right (or top to bottom) so the regions keep their order; drawn pointing back when the flow runs the other way.
      const [a, b] = from.order <= to.order ? [from, to] : [to, from];
      const [sa, sb] = sides(l, a, b, detailed);
      lines.push(`  ${at(a, sa)} -> ${at(b, sb)} [${edgeAttrs(l, a === from ? "forward" : "back", label(l))}];`);
    }
  }
  lines.push("}");
  return lines.join("\n");
}

const at = (e: Endpoint, side?: string) => (e.port ? `${e.node}:${e.port}${side ? `:${side}` : ""}` : e.node);

/**
 * Where an edge leaves and enters its cells: between detailed regions side by side, the database
 * link runs through the gap between them and the service links arc below; elsewhere Graphviz chooses.
 */
function sides(l: CrossRegionLink, a: Endpoint, b: Endpoint, detailed: number): [string | undefined, string | undefined] {
  if (a.order < 0) return [undefined, detailed === 1 ? "w" : undefined];
  if (b.order >= detailed) return [l.kind === "dns-failover" ? undefined : "e", "w"];
  return l.kind === "global-database" ? ["e", "w"] : ["s", "s"];
}

/** Edge labels only where they add to the legend: the failover role of each record. */
function label(l: CrossRegionLink): string | undefined {
  return l.kind === "dns-failover" ? l.detail.match(/^(\S+) failover/)?.[1] ?? l.detail.match(/^latency/)?.[0] : undefined;
}

function edgeAttrs(l: CrossRegionLink, dir: "forward" | "back" | "none", text?: string): string {
  const s = LINK_STYLE[l.kind];
  const a = [`color=${q(s.color)}`, `penwidth=${s.penwidth}`, `style=${s.line}`, `dir=${dir}`, `arrowhead=${s.arrowhead}`, `arrowtail=${s.arrowhead}`, `tooltip=${q(l.detail)}`];
  if (text) a.push(`label=${q(` ${text} `)}`, `fontcolor=${q(s.color)}`);
  return a.join(", ");
}

/** A stack that owns links (role `links`): a box above the regions with one cell per owned link, which its edges hang from. */
function ownerCluster(lines: string[], o: LinkOwnerView, index: number, all: readonly CrossRegionLink[], grouped: boolean, nodeOf: Map<CrossRegionLink, string>): string[] {
  const nodes: string[] = [];
  lines.push(`  subgraph cluster_owner${index} {`, `    style="rounded,filled"; fillcolor="#fff8e1"; color="#b8860b"; penwidth=1.5; margin=12;`,
    `    label=<${boxTitle(o.stack.stack === o.stack.role ? `${o.stack.role} stack` : `${o.stack.role} stack ${o.stack.stack}`, [`deploys after every region · runs in ${o.stack.region}`, ...o.alarms.map((a) => `${a.count} cross-region alarm${a.count === 1 ? "" : "s"} in ${a.region}`)])}>;`);
  // In the overview, one cell per kind and source (one replication configuration, a rule per region) keeps the box small.
  const groupOf = (l: CrossRegionLink) => (grouped ? `${l.kind} ${l.from.region}` : String(all.indexOf(l)));
  for (const key of [...new Set(o.links.map(groupOf))]) {
    const members = o.links.filter((l) => groupOf(l) === key);
    const first = members[0];
    const id = `owned${all.indexOf(first)}`;
    const s = LINK_STYLE[first.kind];
    const targets = [...new Set(members.map((l) => l.to.region))];
    const route = `${first.from.region} → ${targets.length === 1 ? targets[0] : `${targets.length} regions`}`;
    lines.push(`    ${id} [label=<${table([row([cell([{ text: s.name, bold: true, color: s.color, size: SMALL_SIZE + 1 }, { text: route, size: SMALL_SIZE }], { border: s.color })])], { border: s.color, spacing: 0 })}>];`);
    for (const l of members) nodeOf.set(l, id);
    nodes.push(id);
  }
  lines.push("  }");
  return nodes;
}

function boxTitle(title: string, rest: readonly string[]): string {
  return [`<FONT FACE="${FONT_FACE}" POINT-SIZE="${SMALL_SIZE + 3}"><B>${esc(title)}</B></FONT>`, ...rest.map((t) => `<FONT FACE="${FONT_FACE}" POINT-SIZE="${SMALL_SIZE}">${esc(t)}</FONT>`)].join("<BR/>");
}

function legend(kinds: readonly CrossRegionLink["kind"][], owned: boolean): string {
  const sample = (k: CrossRegionLink["kind"]) => {
    const s = LINK_STYLE[k];
    const segments = s.line === "solid" ? [swatch(s.color, 44, Math.round(s.penwidth + 1))] : Array.from({ length: s.line === "dashed" ? 4 : 7 }, (_, i) => (i ? swatch("#ffffff", 3) : "") + swatch(s.color, s.line === "dashed" ? 8 : 3, 3));
    return `<TD BORDER="0"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>${segments.join("")}</TR></TABLE></TD>`;
  };
  const rows = [row([cell([{ text: "cross-region links", bold: true }], { colspan: 2, border: "#ffffff" })])];
  for (const k of kinds) rows.push(row([sample(k), cell([{ text: LINK_STYLE[k].name, bold: true, color: LINK_STYLE[k].color, size: SMALL_SIZE + 1 }, { text: LINK_STYLE[k].meaning, size: SMALL_SIZE }] as Line[], { align: "LEFT", border: "#ffffff" })]));
  if (owned) rows.push(row([cell([{ text: "links through the yellow box are owned by the links stack", size: SMALL_SIZE }], { colspan: 2, border: "#ffffff" })]));
  return table(rows, { border: "#9aa3ae" });
}
