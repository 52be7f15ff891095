/**
 * A region as an HTML-like table. Detailed: the AZs as columns and the tiers as rows, as in the
 * AWS reference diagrams (public: subnets, NAT, internet-facing load balancer; private: web and
 * app instances per AZ, internal load balancer; isolated: Aurora instances per AZ), with the
 * regional services in one row. Compact (for the overview of many regions): role, strategy,
 * capacity, and one cell per service for the links to attach to.
 */
import type { CrossRegionLink, LinkEnd } from "../document";
import { BODY_SIZE, cell, Line, row, SMALL_SIZE, table, TITLE_SIZE } from "./html";
import type { RegionView, Service, Tier } from "./model";

const GREY = "#5f6b7a";
const ROLE_FILL: Readonly<Record<string, string>> = { primary: "#d6e6fb", secondary: "#fde4c8" };
const TIER_FILL: Readonly<Record<Tier | "regional", string>> = { public: "#e3f4e1", private: "#e1ecf9", isolated: "#efe6f7", regional: "#f3f4f6" };
const SERVICE_TITLE_SIZE = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function header(v: RegionView): Line[] {
  const s = v.stack;
  return [
    { text: v.region, size: TITLE_SIZE, bold: true },
    { text: s ? `${s.role} · ${s.strategy} · stack ${s.stack}` : "no stack of its own", size: BODY_SIZE },
  ];
}

function serviceCell(s: Service, withPort = true): string {
  const lines: Line[] = [{ text: s.title, size: SERVICE_TITLE_SIZE, bold: true }, { text: s.detail, size: SMALL_SIZE }];
  if (s.foreignOwner) lines.push({ text: `owned by stack ${s.foreignOwner}`, size: SMALL_SIZE, color: GREY });
  return cell(lines, { port: withPort ? s.port : undefined, bgcolor: "#ffffff" });
}

/** Services per row in a detailed region, so the services row is no wider than the AZ columns above it. */
const SERVICES_PER_ROW = 4;

function nested(cells: readonly string[], perRow = cells.length): string {
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += perRow) rows.push(row(cells.slice(i, i + perRow)));
  return table(rows, { border: TIER_FILL.regional, bgcolor: TIER_FILL.regional, spacing: 4 });
}

/** Capacity of the service tiers in one line: "web 3 (3–9) t3.medium · app 3 (3–12) m6i.large". */
export function capacityLine(v: RegionView): string {
  return v.groups.map((g) => `${g.tier} ${g.desired} (${g.min}–${g.max})${g.instanceType ? ` ${g.instanceType}` : ""}`).join(" · ") || "no instances";
}

/**
 * Services with cross-region links go in the last row, so their edges leave the region downwards
 * without crossing other cells; otherwise in the order the model lists them.
 */
const linkedLast = (services: readonly Service[], linked: ReadonlySet<string>) =>
  [...services.filter((s) => !linked.has(s.port)), ...services.filter((s) => linked.has(s.port))];

/**
 * A region in detail. With `portColumn` (the primary in the overview) its linked services are also
 * listed down its right side, and the links leave from there: straight towards the column of
 * regions, instead of from cells deep inside the box.
 */
export function detailedRegion(v: RegionView, linked: ReadonlySet<string> = new Set(), portColumn = false): string {
  const inner = detailedTable(v, portColumn ? new Set() : linked, !portColumn);
  if (!portColumn) return `<${inner}>`;
  const ports = portCells(v, linked).map((c) => row([c]));
  return `<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD>${inner}</TD><TD>${table(ports, { border: "#555555", spacing: 3 })}</TD></TR></TABLE>>`;
}

function detailedTable(v: RegionView, linked: ReadonlySet<string>, withPorts: boolean): string {
  const n = Math.max(v.azs.length, 1);
  const tierCell = (tier: Tier | "regional", rowspan: number) => cell([{ text: tier, bold: true, size: BODY_SIZE }], { bgcolor: TIER_FILL[tier], rowspan });
  const span = (lines: Line[], port?: string) => cell(lines, { colspan: n, bgcolor: "#ffffff", port, border: "#7d8796" });
  const perAz = (tier: Tier, lines: (i: number) => Line[]) =>
    v.azs.length ? v.azs.map((az, i) => cell([...(az.subnets[tier] ? [{ text: az.subnets[tier]!, size: SMALL_SIZE, color: GREY }] : []), ...lines(i)], { bgcolor: TIER_FILL[tier] })) : [cell([{ text: "no AZs planned", size: SMALL_SIZE }], { bgcolor: TIER_FILL[tier] })];
  const rows: string[] = [
    row([cell(header(v), { colspan: n + 1, bgcolor: ROLE_FILL[v.stack?.role ?? ""] ?? "#eeeeee" })]),
    row([cell([{ text: v.vpcCidr ? `VPC ${v.vpcCidr}` : "no VPC", size: SMALL_SIZE, color: GREY }]), ...v.azs.map((az) => cell([{ text: az.name, bold: true }], { bgcolor: "#ffffff" }))]),
  ];
  const publicLbs = v.loadBalancers.filter((lb) => !lb.internal);
  const internalLbs = v.loadBalancers.filter((lb) => lb.internal);
  rows.push(row([tierCell("public", 1 + publicLbs.length), ...perAz("public", () => (v.natPerAz ? [{ text: "NAT gateway" }] : []))]));
  publicLbs.forEach((lb, i) => rows.push(row([span([{ text: `internet-facing load balancer ${lb.name}` }], i === 0 ? "lb" : undefined)])));  // Route 53 always arrives here
  rows.push(row([tierCell("private", 2 + internalLbs.length), ...perAz("private", (i) => v.groups.map((g) => ({ text: `${g.tier} ×${g.perAz[i] ?? 0}` })))]));
  internalLbs.forEach((lb) => rows.push(row([span([{ text: `internal load balancer ${lb.name}` }])])));
  rows.push(row([span([{ text: `Auto Scaling desired (min–max): ${capacityLine(v)}`, size: SMALL_SIZE }])]));
  rows.push(row([tierCell("isolated", 1 + v.databases.length), ...perAz("isolated", (i) => {
    const classes = v.databases.flatMap((d) => d.perAz[i] ?? []);
    return classes.length ? classes.map((c) => ({ text: `Aurora ${c}` })) : [{ text: "–", color: GREY }];
  })]));
  v.databases.forEach((d, i) => rows.push(row([span([{ text: `Aurora cluster ${d.clusterId}` }, { text: `${d.role}${d.engine ? `, ${d.engine}` : ""}`, size: SMALL_SIZE }], i === 0 && withPorts ? "aurora" : undefined)])));
  rows.push(row([tierCell("regional", 1), `<TD COLSPAN="${n}" BORDER="0">${v.services.length ? nested(lastRowFull(linkedLast(v.services, linked)).map((s) => (s ? serviceCell(s, withPorts) : spacer)), SERVICES_PER_ROW) : " "}</TD>`]));
  return table(rows, { bgcolor: "#ffffff" });
}

/** Pads the front so the last row is the full one: the linked services then all sit on the bottom row. */
function lastRowFull<T>(items: readonly T[]): (T | undefined)[] {
  const gap = (SERVICES_PER_ROW - (items.length % SERVICES_PER_ROW)) % SERVICES_PER_ROW;
  return [...Array.from({ length: gap }, () => undefined), ...items];
}

const spacer = `<TD BORDER="0"> </TD>`;

/**
 * One region of the overview: the cells its cross-region links attach to down the left side
 * (where the edges from the primary arrive), and role, strategy, capacity and DNS beside them.
 */
export function compactRegion(v: RegionView, linked: ReadonlySet<string>, dnsRecords: readonly string[]): string {
  const instances = v.databases.flatMap((d) => d.perAz.flat());
  const classes = [...new Set(instances)];
  const ports = portCells(v, linked);
  const info = cell([
    ...header(v),
    { text: `${plural(v.azs.length, "AZ")}${v.vpcCidr ? ` · VPC ${v.vpcCidr}` : ""}`, size: SMALL_SIZE },
    { text: capacityLine(v), size: SMALL_SIZE },
    { text: instances.length ? `Aurora ${instances.length} × ${classes.join(", ")}, ${v.databases[0].role}` : "no database", size: SMALL_SIZE },
    ...dnsRecords.map((r) => ({ text: `Route 53 ${r} record → internet-facing load balancer`, size: SMALL_SIZE, color: "#c0392b" })),
  ], { bgcolor: ROLE_FILL[v.stack?.role ?? ""] ?? "#eeeeee", rowspan: Math.max(ports.length, 1), port: "lb" });
  const rows = ports.length ? ports.map((p, i) => row(i === 0 ? [p, info] : [p])) : [row([info])];
  return `<${table(rows)}>`;
}

/** One small cell per linked service, in the same order in every region, so the edges between them run in parallel. */
function portCells(v: RegionView, linked: ReadonlySet<string>): string[] {
  return [
    ...(v.databases.length && linked.has("aurora") ? [cell([{ text: "Aurora", size: SERVICE_TITLE_SIZE, bold: true }], { port: "aurora" })] : []),
    ...v.services.filter((s) => linked.has(s.port)).map((s) => cell([{ text: SHORT[s.kind], size: SERVICE_TITLE_SIZE, bold: true }], { port: s.port })),
  ];
}

const SHORT: Readonly<Record<Service["kind"], string>> = { kms: "KMS", secret: "secret", bucket: "bucket", vault: "vault", ami: "AMI", alarms: "alarms" };

/** Which service kind a link's ends attach to in a region box. */
const END_KIND: Readonly<Record<CrossRegionLink["kind"], Service["kind"] | "aurora" | "lb">> = {
  "global-database": "aurora", "s3-replication": "bucket", "secret-replica": "secret", "kms-replica": "kms", "ami-copy": "ami", "backup-copy": "vault", "dns-failover": "lb", "region-switch": "alarms",
};

/** The port of a region box a link end attaches to: the cell of its resource, else the first cell of its kind. */
export function portOf(v: RegionView, kind: CrossRegionLink["kind"], e: LinkEnd): string | undefined {
  const target = END_KIND[kind];
  if (target === "aurora") return v.databases.length ? "aurora" : undefined;
  if (target === "lb") return v.loadBalancers.some((lb) => !lb.internal) ? "lb" : undefined;
  const ofKind = v.services.filter((s) => s.kind === target);
  return (ofKind.find((s) => e.urn && s.urns.includes(e.urn)) ?? ofKind[0])?.port;
}
