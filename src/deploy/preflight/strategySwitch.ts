/**
 * `dr deploy` and `dr preview` refuse to switch a backup-restore secondary to a strategy with a
 * standing cluster (pilot-light, warm-standby, active-active) while a restored cluster is still
 * there. A restore creates `<app>-<env>-<region>`, the identifier the standing cluster would get
 * (identifiers are unique per account and region: CreateDBCluster fails with
 * DBClusterAlreadyExistsFault, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html),
 * in the `-restore` subnet group, which the switch deletes (DeleteDBSubnetGroup fails while a cluster
 * uses it, InvalidDBSubnetGroupStateFault). Either way `pulumi up` would fail part-way; this says so
 * before any stack is touched, with the steps that make the switch possible. It asks only the
 * secondary's own region (static stability).
 */
import { restoreSubnetGroupName } from "../../../components/data/backupRules";
import { clusterIdentifier } from "../../../components/data/dataPlacement";
import { DrConfig, isLinksConfig } from "../../../stacks/configSchema";
import { ClusterFacts, PreflightAws } from "./awsPort";

/** What the check needs about one secondary stack. */
export interface StrategySwitchFacts {
  readonly stack: string;
  readonly region: string;
  /** dr:strategy in the stack file (what the deploy would build). */
  readonly strategy: string;
  /** The identifier the standing cluster would get. */
  readonly clusterIdentifier: string;
  /** Whether the deployed stack already manages a cluster (its `regional.dbClusterIdentifier` output). */
  readonly managesCluster: boolean;
  /** Clusters in the restore subnet group, and one already holding the standing identifier. */
  readonly clusters: readonly ClusterFacts[];
}

/** Why the deploy must not start, or undefined. */
export function strategySwitchProblem(f: StrategySwitchFacts): string | undefined {
  if (f.strategy === "backup-restore" || f.managesCluster || f.clusters.length === 0) return undefined;
  const names = [...new Set(f.clusters.map((c) => c.identifier))];
  return `Stack ${f.stack} (${f.region}) is configured with dr:strategy ${f.strategy}, which builds a standing Aurora cluster ${f.clusterIdentifier}, ` +
    `but Aurora cluster(s) ${names.join(", ")} restored from backup (in no Pulumi state) still exist there: RDS would refuse the new cluster ` +
    `(DBClusterAlreadyExists) or the removal of subnet group ${restoreSubnetGroupName(f.clusterIdentifier)} the restore uses, part-way through 'pulumi up'. To switch:\n` +
    `  1. If the restored cluster serves traffic, return to the primary first (runbooks/restore.md, "Returning to the primary region").\n` +
    names.map((n) => `  2. Delete ${n}, keeping a final snapshot: aws rds delete-db-instance for each of its instances, ` +
      `aws rds modify-db-cluster --region ${f.region} --db-cluster-identifier ${n} --no-deletion-protection --apply-immediately, ` +
      `aws rds delete-db-cluster --region ${f.region} --db-cluster-identifier ${n} --final-db-snapshot-identifier ${n}-restored-final-<yyyymmddhhmm>\n`).join("") +
    `  3. Deploy again; the new member joins the global database and replicates from the primary.\n` +
    `Until then keep the stack on backup-restore: pulumi config set dr:strategy backup-restore --stack ${f.stack}`;
}

/** The problems of every secondary being deployed; `managesCluster` reads each stack's deployed outputs. */
export async function checkStrategySwitch(
  aws: PreflightAws,
  stacks: readonly { readonly stack: string; readonly config: DrConfig }[],
  managesCluster: (stack: string) => Promise<boolean>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { stack, config } of stacks) {
    if (isLinksConfig(config) || config.role !== "secondary" || config.strategy === "backup-restore") continue;
    if (await managesCluster(stack)) continue;
    const id = clusterIdentifier(config);
    const inGroup = await aws.clustersInSubnetGroup(config.region, restoreSubnetGroupName(id));
    const named = inGroup.some((c) => c.identifier === id) ? undefined : await aws.dbCluster(config.region, id);
    const problem = strategySwitchProblem({ stack, region: config.region, strategy: config.strategy, clusterIdentifier: id, managesCluster: false, clusters: [...inGroup, ...(named ? [named] : [])] });
    if (problem) problems.push(problem);
  }
  return problems;
}
