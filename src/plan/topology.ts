/**
 * topology.svg: one cluster per region with a box per AZ (subnets and the web/app instances it
 * runs), the database clusters, load balancers and buckets, and the cross-region links as labeled
 * arrows. Built as DOT from type tokens and rendered by Graphviz compiled to WebAssembly, so no
 * system binary is needed.
 */
import * as path from "path";
import { pathToFileURL } from "url";
import type { Graphviz } from "@hpcc-js/wasm-graphviz";
import type { CrossRegionLink, LinkEnd, LinkKind, PlanDocument, PlanResource } from "./document";

const EDGE_STYLE: Readonly<Record<LinkKind, { label: string; color: string; style?: string }>> = {
  "global-database": { label: "Aurora global DB", color: "#1f77b4" },
  "s3-replication": { label: "S3 replication", color: "#2ca02c" },
  "secret-replica": { label: "secret replica", color: "#9467bd", style: "dashed" },
  "ami-copy": { label: "AMI copy", color: "#8c564b", style: "dashed" },
  "kms-replica": { label: "KMS replica key", color: "#7f7f7f", style: "dotted" },
  "dns-failover": { label: "DNS", color: "#d62728" },
};

const q = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

interface AzBox {
  subnets: string[];
}

/** AZs of a region with their subnets, from awsx VPCs (subnet specs per tier) and plain subnets. */
function availabilityZones(resources: readonly PlanResource[]): Map<string, AzBox> {
  const azs = new Map<string, AzBox>();
  const box = (az: string) => azs.get(az) ?? azs.set(az, { subnets: [] }).get(az)!;
  for (const vpc of resources.filter((r) => r.type === "awsx:ec2:Vpc")) {
    const names = strList(vpc.inputs.availabilityZoneNames);
    const specs = Array.isArray(vpc.inputs.subnetSpecs) ? (vpc.inputs.subnetSpecs as Record<string, unknown>[]) : [];
    names.forEach((az, i) => {
      const b = box(az);
      for (const spec of specs) {
        const cidr = strList(spec.cidrBlocks)[i];
        b.subnets.push(`${String(spec.type).toLowerCase()} ${cidr ?? ""}`.trim());
      }
    });
  }
  for (const s of resources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) {
    const az = typeof s.inputs.availabilityZone === "string" ? s.inputs.availabilityZone : undefined;
    if (az) box(az).subnets.push(`${s.name} ${s.inputs.cidrBlock ?? ""}`.trim());
  }
  return azs;
}

/** The tier an auto-scaling group serves, from its name (web, app, or the name itself). */
function tierOf(asg: PlanResource): string {
  return /(^|[-_])web([-_]|$)/.test(asg.name) ? "web" : /(^|[-_])app([-_]|$)/.test(asg.name) ? "app" : asg.name;
}

/** Instances per AZ when an ASG balances `desired` over `azCount` AZs, as EC2 Auto Scaling does. */
export function spreadOverAzs(desired: number, azCount: number): number[] {
  return Array.from({ length: azCount }, (_, i) => Math.floor(desired / azCount) + (i < desired % azCount ? 1 : 0));
}

export function topologyDot(doc: PlanDocument): string {
  const ids = new Map<string, string>();
  const id = (key: string) => ids.get(key) ?? ids.set(key, `n${ids.size}`).get(key)!;
  const lines = ["digraph topology {", '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, compound=true, nodesep=0.3];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  const regions = [...new Set(doc.resources.map((r) => r.region).filter((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r)))];
  const stackOfRegion = (region: string) => doc.stacks.find((s) => s.region === region);
  const endKey = (e: LinkEnd) => e.urn ?? `${e.region}/${e.label}`;
  // A failover record points at its region's public load balancer when the diagram holds exactly one.
  const publicLb = (l: CrossRegionLink) => {
    const lbs = doc.resources.filter((r) => r.type === LB && r.region === l.to.region && r.stack === l.stack && r.inputs.internal !== true);
    return lbs.length === 1 ? { region: l.to.region, label: lbs[0].name, urn: lbs[0].urn } : undefined;
  };
  const edges = doc.links.map((l) => ({ link: l, from: l.from, to: (l.kind === "dns-failover" && publicLb(l)) || l.to }));
  // Link ends that are not drawn resources get a node of their own, once each.
  const extraEnds = new Map<string, Map<string, LinkEnd>>();
  for (const e of edges.flatMap((x) => [x.from, x.to])) {
    if (e.urn && doc.resources.some((r) => r.urn === e.urn && drawn(r))) continue;
    const inRegion = extraEnds.get(e.region) ?? extraEnds.set(e.region, new Map()).get(e.region)!;
    inRegion.set(endKey(e), e);
  }

  regions.forEach((region, ri) => {
    const here = doc.resources.filter((r) => r.region === region);
    const s = stackOfRegion(region);
    lines.push(`  subgraph cluster_region_${ri} {`, `    label=${q(`${region}${s ? ` - stack ${s.stack} (${s.role}, ${s.strategy})` : ""}`)};`, '    style="rounded"; color="#555555"; bgcolor="#f5f7fa";');
    const azs = availabilityZones(here);
    const asgs = here.filter((r) => r.type === "aws:autoscaling/group:Group");
    const tiers = asgs.map((a) => ({ tier: tierOf(a), perAz: spreadOverAzs(Number(a.inputs.desiredCapacity ?? a.inputs.minSize ?? 0), Math.max(azs.size, 1)) }));
    [...azs.entries()].forEach(([az, b], ai) => {
      const label = [az, ...tiers.map((t) => `${t.tier}: ${t.perAz[ai] ?? 0} instance${t.perAz[ai] === 1 ? "" : "s"}`), ...b.subnets].join("\n");
      lines.push(`    subgraph cluster_az_${ri}_${ai} { label=""; style="dashed"; color="#999999";`, `      ${id(`az/${region}/${az}`)} [label=${q(label)}, shape=note];`, "    }");
    });
    for (const r of here.filter(drawn)) lines.push(`    ${id(r.urn)} [label=${q(nodeLabel(r, here))}, fillcolor=${q(fill(r))}];`);
    for (const e of extraEnds.get(region)?.values() ?? []) lines.push(`    ${id(endKey(e))} [label=${q(e.label)}, style="rounded,dashed"];`);
    lines.push("  }");
  });
  for (const [region, ends] of extraEnds) if (!regions.includes(region)) for (const e of ends.values()) lines.push(`  ${id(endKey(e))} [label=${q(`${e.label}\n(${region})`)}, shape=ellipse];`);
  for (const e of edges) lines.push(`  ${id(endKey(e.from))} -> ${id(endKey(e.to))} [${edgeAttrs(e.link)}];`);
  lines.push("}");
  return lines.join("\n");
}

const LB = "aws:lb/loadBalancer:LoadBalancer";

function drawn(r: PlanResource): boolean {
  return ["aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster", "aws:s3/bucket:Bucket", LB].includes(r.type);
}

function nodeLabel(r: PlanResource, here: readonly PlanResource[]): string {
  const kind = r.type.split(":").pop() ?? r.type;
  if (r.type === "aws:rds/cluster:Cluster") {
    const cid = r.inputs.clusterIdentifier;
    const n = here.filter((i) => i.type === "aws:rds/clusterInstance:ClusterInstance" && (cid ? i.inputs.clusterIdentifier === cid : i.parent === r.parent)).length;
    return `Aurora cluster ${typeof cid === "string" ? cid : r.name}\n${r.inputs.engine ?? ""} ${n} instance${n === 1 ? "" : "s"}`;
  }
  if (r.type === "aws:rds/globalCluster:GlobalCluster") return `Aurora global database\n${typeof r.inputs.globalClusterIdentifier === "string" ? r.inputs.globalClusterIdentifier : r.name}`;
  if (r.type === LB) return `${r.inputs.internal === true ? "internal" : "public"} load balancer\n${r.name}`;
  if (r.type === "aws:s3/bucket:Bucket") return `bucket\n${typeof r.inputs.bucket === "string" ? r.inputs.bucket : r.name}`;
  return `${kind}\n${r.name}`;
}

function fill(r: PlanResource): string {
  return r.type.startsWith("aws:rds/") ? "#dbe9f6" : r.type === "aws:s3/bucket:Bucket" ? "#e3f4e1" : "#fff4e0";
}

function edgeAttrs(l: CrossRegionLink): string {
  const s = EDGE_STYLE[l.kind];
  const label = l.kind === "dns-failover" ? l.detail.split(" record")[0] : l.kind === "s3-replication" && l.detail.includes("RTC (15 min)") ? `${s.label} (RTC)` : s.label;
  return [`label=${q(label)}`, `color=${q(s.color)}`, `fontcolor=${q(s.color)}`, s.style ? `style=${s.style}` : ""].filter(Boolean).join(", ");
}

let graphviz: Promise<Graphviz> | undefined;

/**
 * @hpcc-js/wasm-graphviz is ESM-only. With "module": "commonjs" TypeScript rewrites `import()`
 * into `require()`, which cannot load ESM on every Node 20 release; a Function body is not seen by
 * the compiler, so the import stays a real dynamic import. The package is resolved to a file URL
 * first so it loads whatever the current directory is.
 */
function loadGraphviz(): Promise<Graphviz> {
  const dynamicImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<typeof import("@hpcc-js/wasm-graphviz")>;
  const entry = pathToFileURL(path.resolve(require.resolve("@hpcc-js/wasm-graphviz"))).href;
  graphviz ??= dynamicImport(entry).then((m) => m.Graphviz.load());
  return graphviz;
}

/** Renders DOT to SVG text. */
export async function renderSvg(dot: string): Promise<string> {
  return (await loadGraphviz()).dot(dot, "svg");
}
