/**
 * What the diagram draws, read from the plan document alone (resource types and inputs, stack
 * roles, links), so the picture follows whatever the stacks register: per region its AZs with the
 * subnets of each tier, load balancers, instances per AZ, Aurora instances per AZ and the regional
 * services; and the stacks that own links without owning a region (role `links`).
 */
import type { CrossRegionLink, PlanDocument, PlanResource, PlanStack } from "../document";

const T = {
  vpc: "awsx:ec2:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  asg: "aws:autoscaling/group:Group",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  key: "aws:kms/key:Key",
  replicaKey: "aws:kms/replicaKey:ReplicaKey",
  secret: "aws:secretsmanager/secret:Secret",
  bucket: "aws:s3/bucket:Bucket",
  amiCopy: "aws:ec2/amiCopy:AmiCopy",
  vault: "aws:backup/vault:Vault",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

export type Tier = "public" | "private" | "isolated";
export type ServiceKind = "kms" | "secret" | "bucket" | "vault" | "ami" | "alarms";

export interface Az {
  readonly name: string;
  /** CIDR of this AZ's subnet in each tier. */
  readonly subnets: Partial<Record<Tier, string>>;
}

export interface ServiceGroup {
  /** web, app, or the group's name. */
  readonly tier: string;
  readonly instanceType?: string;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  /** Instances per AZ, in the order of the region's AZs. */
  readonly perAz: readonly number[];
}

export interface LoadBalancer {
  readonly name: string;
  readonly internal: boolean;
}

export interface Database {
  readonly clusterId: string;
  /** "writer member of orders-prod", "read-only member of orders-prod" or "regional cluster". */
  readonly role: string;
  readonly engine?: string;
  /** Instance classes per AZ, in the order of the region's AZs; instances without an AZ are spread in order. */
  readonly perAz: readonly (readonly string[])[];
}

export interface Service {
  readonly kind: ServiceKind;
  /** Graphviz port name, unique within the region. */
  readonly port: string;
  readonly title: string;
  readonly detail: string;
  /** URNs this cell stands for, so links ending at them attach here. */
  readonly urns: readonly string[];
  /** The owning stack when it is not the region's own stack. */
  readonly foreignOwner?: string;
}

export interface RegionView {
  readonly region: string;
  readonly stack?: PlanStack;
  readonly vpcCidr?: string;
  readonly natPerAz: boolean;
  readonly azs: readonly Az[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly groups: readonly ServiceGroup[];
  readonly databases: readonly Database[];
  readonly services: readonly Service[];
}

/** A stack that owns links without owning a region (role `links`): drawn as the owner of those links. */
export interface LinkOwnerView {
  readonly stack: PlanStack;
  readonly links: readonly CrossRegionLink[];
  /** Its own resources that are not links, e.g. alarms on metrics published only in another region. */
  readonly alarms: readonly { readonly region: string; readonly count: number }[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const nameTag = (r: PlanResource) => str((r.inputs.tags as Record<string, unknown> | undefined)?.Name);

/** Instances per AZ when an ASG balances `desired` over `azCount` AZs, as EC2 Auto Scaling does. */
export function spreadOverAzs(desired: number, azCount: number): number[] {
  return Array.from({ length: azCount }, (_, i) => Math.floor(desired / azCount) + (i < desired % azCount ? 1 : 0));
}

/** The stacks that draw as link owners rather than regions. */
// Compared as a string: the `links` role is being added to the config contract in parallel.
export const isLinkOwner = (s: PlanStack) => (s.role as string) === "links";

/** Regions to draw: the primary's first, then each other stack's in deploy order, then any other region holding resources. */
export function regionOrder(doc: PlanDocument): string[] {
  const owners = new Set(doc.stacks.filter(isLinkOwner).map((s) => s.stack));
  const fromStacks = [...doc.stacks.filter((s) => s.role === "primary"), ...doc.stacks.filter((s) => s.role !== "primary" && !isLinkOwner(s))].map((s) => s.region);
  const fromResources = doc.resources.filter((r) => !owners.has(r.stack)).map((r) => r.region);
  return [...new Set([...fromStacks, ...fromResources])].filter((r) => REGION.test(r));
}

export function regionViews(doc: PlanDocument): RegionView[] {
  const owners = new Set(doc.stacks.filter(isLinkOwner).map((s) => s.stack));
  return regionOrder(doc).map((region) => {
    const stack = doc.stacks.find((s) => s.region === region && !isLinkOwner(s));
    const here = doc.resources.filter((r) => r.region === region && !owners.has(r.stack));
    return regionView(region, stack, here, doc.links);
  });
}

function regionView(region: string, stack: PlanStack | undefined, here: readonly PlanResource[], links: readonly CrossRegionLink[]): RegionView {
  const vpc = here.find((r) => r.type === T.vpc);
  const azs = availabilityZones(here);
  const groups = here.filter((r) => r.type === T.asg).map((asg): ServiceGroup => {
    const desired = num(asg.inputs.desiredCapacity, num(asg.inputs.minSize, 0));
    const template = here.find((t) => t.type === T.launchTemplate && t.parent !== null && t.parent === asg.parent);
    return {
      tier: tierOf(nameTag(asg) ?? asg.name), instanceType: str(template?.inputs.instanceType),
      min: num(asg.inputs.minSize, desired), desired, max: num(asg.inputs.maxSize, desired), perAz: spreadOverAzs(desired, Math.max(azs.length, 1)),
    };
  });
  return {
    region, stack, azs, groups,
    vpcCidr: str(vpc?.inputs.cidrBlock),
    natPerAz: str((vpc?.inputs.natGateways as Record<string, unknown> | undefined)?.strategy) === "OnePerAz",
    loadBalancers: here.filter((r) => r.type === T.lb).map((lb) => ({ name: nameTag(lb) ?? lb.name, internal: lb.inputs.internal === true }))
      .sort((a, b) => Number(a.internal) - Number(b.internal)),
    databases: databases(here, azs, links),
    services: services(region, stack, here, links),
  };
}

function availabilityZones(here: readonly PlanResource[]): Az[] {
  const azs = new Map<string, Partial<Record<Tier, string>>>();
  const at = (az: string) => azs.get(az) ?? azs.set(az, {}).get(az)!;
  for (const vpc of here.filter((r) => r.type === T.vpc)) {
    const specs = Array.isArray(vpc.inputs.subnetSpecs) ? (vpc.inputs.subnetSpecs as Record<string, unknown>[]) : [];
    strList(vpc.inputs.availabilityZoneNames).forEach((az, i) => {
      for (const spec of specs) {
        const tier = String(spec.type).toLowerCase() as Tier;
        const cidr = strList(spec.cidrBlocks)[i];
        if (cidr) at(az)[tier] = cidr;
      }
    });
  }
  for (const s of here.filter((r) => r.type === T.subnet)) {
    const az = str(s.inputs.availabilityZone);
    if (az) at(az).private ??= str(s.inputs.cidrBlock);
  }
  return [...azs.entries()].map(([name, subnets]) => ({ name, subnets })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The tier an auto-scaling group serves, from its Name tag or logical name (web, app, or the name itself). */
function tierOf(name: string): string {
  return /(^|[-_])web([-_]|$)/.test(name) ? "web" : /(^|[-_])app([-_]|$)/.test(name) ? "app" : name;
}

function databases(here: readonly PlanResource[], azs: readonly Az[], links: readonly CrossRegionLink[]): Database[] {
  return here.filter((r) => r.type === T.cluster).map((c) => {
    const clusterId = str(c.inputs.clusterIdentifier) ?? c.name;
    const instances = here.filter((i) => i.type === T.instance && (str(i.inputs.clusterIdentifier) ? i.inputs.clusterIdentifier === clusterId : i.parent === c.parent));
    const perAz: string[][] = azs.map(() => []);
    let next = 0;
    for (const i of instances) {
      const index = azs.findIndex((az) => az.name === i.inputs.availabilityZone);
      const slot = index >= 0 ? index : next++ % Math.max(azs.length, 1);
      (perAz[slot] ??= []).push(str(i.inputs.instanceClass) ?? "instance");
    }
    const global = str(c.inputs.globalClusterIdentifier);
    const membership = links.find((l) => l.kind === "global-database" && l.urn === c.urn)?.detail ?? "";
    const role = !global ? "regional cluster" : `${/writer/.test(membership) ? "writer" : "read-only"} member of ${global}`;
    return { clusterId, role, engine: str(c.inputs.engine), perAz };
  });
}

function services(region: string, stack: PlanStack | undefined, here: readonly PlanResource[], links: readonly CrossRegionLink[]): Service[] {
  const out: Service[] = [];
  const owner = (r: PlanResource) => (stack && r.stack !== stack.stack ? r.stack : undefined);
  const add = (kind: ServiceKind, title: string, detail: string, urns: string[], foreignOwner?: string) =>
    out.push({ kind, port: `${kind}${out.filter((s) => s.kind === kind).length || ""}`, title, detail, urns, foreignOwner });
  for (const k of here.filter((r) => r.type === T.key)) add("kms", k.inputs.multiRegion === true ? "KMS multi-region key" : "KMS key", k.name, [k.urn], owner(k));
  for (const k of here.filter((r) => r.type === T.replicaKey)) add("kms", "KMS replica key", k.name, [k.urn], owner(k));
  for (const s of here.filter((r) => r.type === T.secret)) add("secret", "secret", str(s.inputs.name) ?? s.name, [s.urn], owner(s));
  for (const l of links.filter((x) => x.kind === "secret-replica" && x.to.region === region)) add("secret", "secret replica", l.to.label.replace(/^replica of /, ""), [], l.stack !== stack?.stack ? l.stack : undefined);
  for (const b of here.filter((r) => r.type === T.bucket)) add("bucket", "bucket", b.name, [b.urn], owner(b));
  for (const v of here.filter((r) => r.type === T.vault)) add("vault", "backup vault", str(v.inputs.name) ?? v.name, [v.urn], owner(v));
  for (const l of links.filter((x) => x.kind === "ami-copy" && x.from.region === region && !x.from.urn)) {
    if (!out.some((s) => s.kind === "ami" && `AMI ${s.detail}` === l.from.label)) add("ami", "source AMI", l.from.label.replace(/^AMI /, ""), []);
  }
  for (const a of here.filter((r) => r.type === T.amiCopy)) add("ami", "AMI copy", str(a.inputs.sourceAmiId) ?? a.name, [a.urn], owner(a));
  const alarmStacks = [...new Set(here.filter((r) => r.type === T.alarm).map((r) => r.stack))];
  for (const s of alarmStacks) {
    const n = here.filter((r) => r.type === T.alarm && r.stack === s).length;
    add("alarms", "CloudWatch alarms", `${n} alarm${n === 1 ? "" : "s"}`, [], stack && s !== stack.stack ? s : undefined);
  }
  return mergeForeign(out);
}

/**
 * One cell for what several other stacks each register here (with many secondaries, each one's
 * key and alarms in the primary's region), so the region box does not grow with the region count.
 */
function mergeForeign(services: readonly Service[]): Service[] {
  const out: Service[] = [];
  for (const s of services) {
    const same = s.foreignOwner ? services.filter((o) => o.foreignOwner && o.kind === s.kind && o.title === s.title) : [s];
    if (same.length < 2) out.push(s);
    else if (same[0] === s) {
      const alarms = s.kind === "alarms" ? same.reduce((n, o) => n + Number(o.detail.split(" ")[0]), 0) : undefined;
      out.push({ ...s, detail: alarms !== undefined ? `${alarms} alarms` : `${same.length}, one per stack`, urns: same.flatMap((o) => o.urns), foreignOwner: `${same.length} other stacks` });
    }
  }
  return out;
}

export function linkOwnerViews(doc: PlanDocument): LinkOwnerView[] {
  return doc.stacks.filter(isLinkOwner).map((stack) => {
    const alarms = doc.resources.filter((r) => r.stack === stack.stack && r.type === T.alarm);
    const regions = [...new Set(alarms.map((a) => a.region))];
    return { stack, links: doc.links.filter((l) => l.stack === stack.stack), alarms: regions.map((region) => ({ region, count: alarms.filter((a) => a.region === region).length })) };
  });
}
