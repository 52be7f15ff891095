/**
 * Aurora placement and naming rules for the data tier. Pure code, no Pulumi: tested with tables and
 * properties, and usable by config validation and policies without starting an engine.
 */

export type AuroraEngine = "aurora-postgresql" | "aurora-mysql";
export const AURORA_ENGINES: readonly AuroraEngine[] = ["aurora-postgresql", "aurora-mysql"];

/** The engines' standard ports; the security-group chain opens exactly this port from the app tier. */
export const DEFAULT_PORTS: Readonly<Record<AuroraEngine, number>> = {
  "aurora-postgresql": 5432,
  "aurora-mysql": 3306,
};

/**
 * Log types each engine can export to CloudWatch Logs (names as the RDS API spells them). Aurora MySQL
 * writes general and slow-query logs only when its parameter group turns them on, and audit only with
 * advanced auditing; exporting them anyway means turning them on needs no cluster change.
 */
export const LOG_EXPORTS: Readonly<Record<AuroraEngine, readonly string[]>> = {
  "aurora-postgresql": ["postgresql"],
  "aurora-mysql": ["audit", "error", "general", "slowquery"],
};

/** RDS limit on DB cluster and DB instance identifiers. */
export const MAX_RDS_IDENTIFIER_LENGTH = 63;
/** Aurora's limit on DB instances per cluster (a writer and 15 replicas). */
export const MAX_INSTANCES_PER_CLUSTER = 15;
/** Promotion tiers run 0 (failed over to first) to 15. */
const MAX_PROMOTION_TIER = 15;

/** One planned DB instance. */
export interface InstancePlacement {
  /** Stable key for the child resource: the AZ name, with "-<round>" from the second round on. */
  readonly key: string;
  readonly az: string;
  /** DB instance identifier: the cluster identifier plus the AZ letter (and round). */
  readonly identifier: string;
  /**
   * Failover priority: the first instance in each AZ gets tier 0, so Aurora promotes a reader in
   * another AZ before a second reader in the writer's AZ.
   */
  readonly promotionTier: number;
}

/** The region an AZ name belongs to ("us-east-1a" -> "us-east-1"). */
export function regionOfAz(az: string): string {
  return az.replace(/[a-z]$/, "");
}

/** The zone letter of an AZ name ("us-east-1a" -> "a"). */
export function zoneLetterOf(az: string): string {
  return az.slice(regionOfAz(az).length);
}

/**
 * Spreads `count` instances round-robin over the AZs, in the order given: the first round puts one
 * instance in each AZ, so an AZ loss takes at most ceil(count / AZs) instances with it.
 */
export function placeInstances(clusterIdentifier: string, availabilityZones: readonly string[], count: number): InstancePlacement[] {
  if (count > 0 && availabilityZones.length === 0) throw new Error("placeInstances: no availability zones to place instances in");
  return Array.from({ length: count }, (_unused, i) => {
    const az = availabilityZones[i % availabilityZones.length];
    const round = Math.floor(i / availabilityZones.length);
    const suffix = round === 0 ? "" : `-${round + 1}`;
    return {
      key: `${az}${suffix}`,
      az,
      identifier: `${clusterIdentifier}-${zoneLetterOf(az)}${suffix}`,
      promotionTier: Math.min(round, MAX_PROMOTION_TIER),
    };
  });
}

/**
 * True when `instanceIdentifier` has the form placeInstances gives the cluster's instances:
 * `<cluster>-<zone letter>` or `<cluster>-<zone letter>-<round>`. The destroy preflight uses it to
 * tell the stack's instances from ones created outside Pulumi when the stack exports no list.
 */
export function isPlacedInstanceIdentifier(clusterIdentifier: string, instanceIdentifier: string): boolean {
  if (!instanceIdentifier.startsWith(`${clusterIdentifier}-`)) return false;
  return /^[a-z](-[0-9]+)?$/.test(instanceIdentifier.slice(clusterIdentifier.length + 1));
}

/**
 * Instance classes an Aurora global database accepts: memory-optimized r5 and newer (r6g, r6i, r7g,
 * r8g, ...) and x2 families. Burstable db.t* and older r3/r4 are rejected by AWS.
 */
export function isGlobalDatabaseClass(instanceClass: string): boolean {
  return /^db\.(r[5-9][a-z]*|x2[a-z]*)\.(large|\d*xlarge)$/.test(instanceClass);
}

/** Problems with an RDS cluster or instance identifier (empty when valid). */
export function rdsIdentifierProblems(identifier: string): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(identifier)) problems.push("must start with a lowercase letter and hold only lowercase letters, digits and hyphens");
  if (identifier.length > MAX_RDS_IDENTIFIER_LENGTH) problems.push(`is ${identifier.length} characters; RDS allows at most ${MAX_RDS_IDENTIFIER_LENGTH}`);
  if (identifier.endsWith("-") || identifier.includes("--")) problems.push("must not end with a hyphen or contain two hyphens in a row");
  return problems;
}

/** Minutes covered by an RDS window "hh:mm-hh:mm" (wrapping midnight), or undefined when malformed. */
export function windowMinutes(window: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(window);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return (end - start + 24 * 60) % (24 * 60);
}

/**
 * Days of automated backups (point-in-time recovery) every cluster of the platform keeps: two weeks,
 * long enough to notice silent corruption after a failover. DataTier sets it on standing clusters;
 * the restore drill sets it on the cluster it restores, which Aurora would otherwise give one day
 * ("the default backup retention period is one day regardless of how the DB cluster is created":
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html).
 */
export const CLUSTER_BACKUP_RETENTION_DAYS = 14;

/**
 * The Aurora cluster's identifier in a region: `<app>-<env>-<region>`, unique across every region as
 * a global database needs. A restore (backup-restore) creates the same identifier, so the two collide.
 */
export function clusterIdentifier(c: { readonly appName: string; readonly environment: string; readonly region: string }): string {
  return `${c.appName}-${c.environment}-${c.region}`;
}

/**
 * The final snapshot RDS takes when the cluster is deleted. Deterministic, so a restore runbook can
 * name it; the price is that a second destroy fails while the first one's snapshot still holds the
 * name (DeleteDBCluster refuses an existing FinalDBSnapshotIdentifier), which `dr destroy`'s
 * preflight reports with the steps to archive it. One function, so the preflight and the cluster agree.
 */
export function finalSnapshotIdentifier(clusterIdentifier: string): string {
  return `${clusterIdentifier}-final`;
}
