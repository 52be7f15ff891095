/**
 * The cross-region links of a plan, read from resource type tokens and inputs alone, so that any
 * component that registers these AWS resources shows up without the plan knowing the component:
 * global-database membership, S3 replication pairs, secret replicas, AMI copies, KMS replica keys,
 * AWS Backup copies into another region's vault and Route 53 failover/latency records.
 */
import { SWITCH_METRIC_NAME, SWITCH_METRIC_NAMESPACE } from "../../components/dns/regionSwitch";
import type { CrossRegionLink, LinkEnd, PlanResource, PlanStack } from "./document";

const T = {
  globalCluster: "aws:rds/globalCluster:GlobalCluster",
  cluster: "aws:rds/cluster:Cluster",
  bucket: "aws:s3/bucket:Bucket",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  secret: "aws:secretsmanager/secret:Secret",
  amiCopy: "aws:ec2/amiCopy:AmiCopy",
  replicaKey: "aws:kms/replicaKey:ReplicaKey",
  record: "aws:route53/record:Record",
  backupPlan: "aws:backup/plan:Plan",
  vault: "aws:backup/vault:Vault",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  routingControl: "aws:route53recoverycontrol/routingControl:RoutingControl",
} as const;

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === "object") : []);
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
/** The region field of an ARN ("arn:aws:kms:us-west-2:..."), if it has one. */
export const arnRegion = (arn: unknown): string | undefined => str(str(arn)?.split(":")[3]);
const end = (r: PlanResource, label = r.name): LinkEnd => ({ region: r.region, label, urn: r.urn, stack: r.stack });

/** Derives every cross-region link the planned resources make, in a stable order. */
export function deriveLinks(resources: readonly PlanResource[], stacks: readonly PlanStack[]): CrossRegionLink[] {
  const roleOf = new Map(stacks.map((s) => [s.stack, s.role]));
  return [
    ...globalDatabaseLinks(resources, roleOf),
    ...replicationLinks(resources),
    ...secretReplicaLinks(resources),
    ...amiCopyLinks(resources),
    ...kmsReplicaLinks(resources),
    ...backupCopyLinks(resources),
    ...dnsLinks(resources),
    ...regionSwitchLinks(resources),
  ];
}

function globalDatabaseLinks(resources: readonly PlanResource[], roleOf: ReadonlyMap<string, string>): CrossRegionLink[] {
  const globals = resources.filter((r) => r.type === T.globalCluster);
  return resources
    .filter((r) => r.type === T.cluster && str(r.inputs.globalClusterIdentifier))
    .map((member) => {
      const gid = str(member.inputs.globalClusterIdentifier)!;
      const global = globals.find((g) => g.inputs.globalClusterIdentifier === gid) ?? (globals.length === 1 ? globals[0] : undefined);
      const writer = roleOf.get(member.stack) === "primary";
      return {
        kind: "global-database" as const,
        stack: member.stack,
        urn: member.urn,
        from: global ? end(global, `global cluster ${gid}`) : { region: "global", label: `global cluster ${gid}` },
        to: end(member, str(member.inputs.clusterIdentifier) ?? member.name),
        detail: `${writer ? "primary (writer) member" : "secondary (read-only) member"} of Aurora global database ${gid}` +
          (str(member.inputs.engine) ? `, ${member.inputs.engine}` : ""),
      };
    });
}

/**
 * The planned bucket a name stands for: an explicit `bucket` name, or a Pulumi auto-name
 * (`<logical name>-<7 hex>`), which is how another stack's bucket arrives by stack reference.
 */
function bucketByName(resources: readonly PlanResource[], name: string | undefined, region?: string): PlanResource | undefined {
  if (!name) return undefined;
  const buckets = resources.filter((b) => b.type === T.bucket && (!region || b.region === region));
  return buckets.find((b) => b.inputs.bucket === name) ?? buckets.find((b) => b.inputs.bucket === undefined && new RegExp(`^${escapeRegExp(b.name)}-[0-9a-f]{7}$`).test(name));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function replicationLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.replication).flatMap((cfg) => {
    const deps = resources.filter((b) => b.type === T.bucket && b.stack === cfg.stack && cfg.dependsOn.includes(b.urn));
    const sourceName = str(cfg.inputs.bucket);
    const source = bucketByName(resources, sourceName, cfg.region) ?? deps.find((b) => b.region === cfg.region);
    const from: LinkEnd = source ? end(source, sourceName ?? source.name) : { region: cfg.region, label: sourceName ?? "(source bucket)" };
    return list(cfg.inputs.rules).filter((rule) => rule.status !== "Disabled").map((rule) => {
      const dest = obj(rule.destination);
      const destArn = str(dest.bucket);
      const destName = destArn?.replace(/^arn:aws[a-z-]*:s3:::/, "");
      const keyRegion = arnRegion(obj(dest.encryptionConfiguration).replicaKmsKeyId);
      const target = bucketByName(resources, destName, keyRegion) ?? deps.find((b) => b.region !== from.region);
      const to: LinkEnd = target ? end(target, destName ?? target.name) : { region: keyRegion ?? "unknown region", label: destName ?? "(destination bucket)" };
      const settings = [
        obj(dest.replicationTime).status === "Enabled" ? "RTC (15 min)" : "no RTC",
        obj(rule.deleteMarkerReplication).status === "Enabled" ? "delete markers replicated" : "delete markers not replicated",
        keyRegion ? `KMS objects re-encrypted with a ${keyRegion} key` : "no KMS re-encryption",
      ];
      return { kind: "s3-replication" as const, stack: cfg.stack, urn: cfg.urn, from, to, detail: `S3 replication ${from.region} -> ${to.region} (rule ${str(rule.id) ?? "unnamed"}): ${settings.join(", ")}` };
    });
  });
}

function secretReplicaLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.secret).flatMap((secret) =>
    list(secret.inputs.replicas).map((replica) => {
      const region = str(replica.region) ?? "unknown region";
      const key = arnRegion(replica.kmsKeyId);
      return {
        kind: "secret-replica" as const, stack: secret.stack, urn: secret.urn,
        from: end(secret, `secret ${str(secret.inputs.name) ?? secret.name}`),
        to: { region, label: `replica of ${str(secret.inputs.name) ?? secret.name}` },
        detail: `read-only secret replica in ${region}${key ? ` encrypted with a ${key} key` : ""}; promote with StopReplicationToReplica in ${region}`,
      };
    }));
}

function amiCopyLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.amiCopy).map((copy) => ({
    kind: "ami-copy" as const, stack: copy.stack, urn: copy.urn,
    from: { region: str(copy.inputs.sourceAmiRegion) ?? "unknown region", label: `AMI ${str(copy.inputs.sourceAmiId) ?? "(source)"}` },
    to: end(copy, `AMI copy ${copy.name}`),
    detail: `AMI copy ${copy.inputs.encrypted === true ? `encrypted${arnRegion(copy.inputs.kmsKeyId) ? ` with a ${arnRegion(copy.inputs.kmsKeyId)} key` : ""}` : "unencrypted"}`,
  }));
}

function kmsReplicaLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.replicaKey).map((replica) => {
    const primaryArn = str(replica.inputs.primaryKeyArn);
    const primary = resources.find((k) => k.stack === replica.stack && k.type === "aws:kms/key:Key" && replica.dependsOn.includes(k.urn));
    return {
      kind: "kms-replica" as const, stack: replica.stack, urn: replica.urn,
      from: primary ? end(primary, `KMS key ${primary.name}`) : { region: arnRegion(primaryArn) ?? "unknown region", label: `KMS key ${primaryArn?.split("/").pop() ?? "(primary)"}` },
      to: end(replica, `KMS replica key ${replica.name}`),
      detail: `KMS multi-region replica key in ${replica.region}`,
    };
  });
}

/** The vault named `name` in `region`, as a link end (the planned vault if any stack registers it). */
function vaultEnd(resources: readonly PlanResource[], name: string | undefined, region: string): LinkEnd {
  const vault = resources.find((v) => v.type === T.vault && v.region === region && v.inputs.name === name);
  return vault ? end(vault, `backup vault ${name}`) : { region, label: `backup vault ${name ?? "(unknown)"}` };
}

/**
 * A backup plan rule's copy actions into a vault of another region (a copy into the same region is
 * no cross-region link). The plan's stack owns the link: links for the primary's copies to each
 * secondary, a secondary for its copy back to the primary.
 */
function backupCopyLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.backupPlan).flatMap((plan) => list(plan.inputs.rules).flatMap((rule) =>
    list(rule.copyActions).flatMap((copy) => {
      const arn = str(copy.destinationVaultArn);
      const region = arnRegion(arn);
      if (!region || region === plan.region) return [];
      const days = obj(copy.lifecycle).deleteAfter;
      return [{
        kind: "backup-copy" as const, stack: plan.stack, urn: plan.urn,
        from: vaultEnd(resources, str(rule.targetVaultName), plan.region),
        to: vaultEnd(resources, arn?.split(":backup-vault:")[1], region),
        detail: `AWS Backup copy ${plan.region} -> ${region} (plan ${str(plan.inputs.name) ?? plan.name}, rule ${str(rule.ruleName) ?? "unnamed"}): ` +
          `every recovery point, ${rule.enableContinuousBackup === true ? "continuous backups copied as snapshots" : "snapshots"}, kept ${typeof days === "number" ? `${days} days` : "by the destination's default"}`,
      }];
    })));
}

function dnsLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  return resources.filter((r) => r.type === T.record).flatMap((rec) => {
    const failover = str(list(rec.inputs.failoverRoutingPolicies)[0]?.type);
    const latency = str(list(rec.inputs.latencyRoutingPolicies)[0]?.region);
    if (!failover && !latency) return [];
    const name = str(rec.inputs.name) ?? rec.name;
    const alias = list(rec.inputs.aliases)[0];
    const target = alias
      ? `alias ${str(alias.name) ?? "?"}${alias.evaluateTargetHealth === true ? " (evaluates target health)" : ""}`
      : `${(Array.isArray(rec.inputs.records) ? rec.inputs.records : []).join(", ") || "?"} (TTL ${rec.inputs.ttl ?? "?"} s)`;
    const policy = failover ? `${failover} failover` : `latency (${latency})`;
    return [{
      kind: "dns-failover" as const, stack: rec.stack, urn: rec.urn,
      from: { region: "global", label: `${name} (Route 53)` },
      to: { region: latency ?? rec.region, label: target, urn: rec.urn, stack: rec.stack },
      detail: `${policy} record ${name}, set ${str(rec.inputs.setIdentifier) ?? "(no set identifier)"}, -> ${target}, ` +
        (str(rec.inputs.healthCheckId) ? "health-checked" : alias ? "no health check (alias target health only)" : "no health check"),
    }];
  });
}

const REGION_SUFFIX = /-([a-z]{2}(?:-[a-z]+)+-\d)$/;

/**
 * "Switch of R held in H": each region's switch lives outside R (components/dns/regionSwitch.ts).
 * CloudWatch: the alarm on the switch metric in H, its Region dimension naming R. ARC: a routing
 * control on the five-region cluster, named after R.
 */
function regionSwitchLinks(resources: readonly PlanResource[]): CrossRegionLink[] {
  const alarms = resources.filter((r) => r.type === T.alarm && r.inputs.namespace === SWITCH_METRIC_NAMESPACE && r.inputs.metricName === SWITCH_METRIC_NAME).map((alarm) => {
    const switched = str(obj(alarm.inputs.dimensions).Region) ?? "unknown region";
    const name = str(alarm.inputs.name) ?? alarm.name;
    return {
      kind: "region-switch" as const, stack: alarm.stack, urn: alarm.urn,
      from: end(alarm, `alarm ${name}`),
      to: { region: switched, label: `switch of ${switched}` },
      detail: `switch of ${switched} held in ${alarm.region}: CloudWatch alarm ${name} (${SWITCH_METRIC_NAMESPACE}/${SWITCH_METRIC_NAME} 1 = off, 0 = on), ` +
        `read by a Route 53 CLOUDWATCH_METRIC check, a child of ${switched}'s record health`,
    };
  });
  const controls = resources.filter((r) => r.type === T.routingControl).map((control) => {
    const name = str(control.inputs.name) ?? control.name;
    const switched = name.match(REGION_SUFFIX)?.[1] ?? "unknown region";
    return {
      kind: "region-switch" as const, stack: control.stack, urn: control.urn,
      from: { region: "global", label: "Route 53 ARC cluster (five regional endpoints)" },
      to: { region: switched, label: `switch of ${switched}` },
      detail: `switch of ${switched} held in the ARC cluster: routing control ${name}, read by a Route 53 RECOVERY_CONTROL check, a child of ${switched}'s record health`,
    };
  });
  return [...alarms, ...controls];
}
