/**
 * A region's game-day pieces (issue 21): the AWS FIS experiment templates the stack owns (the
 * scenario's faults run in the stack's own region: primary-dark and partition in the primary,
 * capacity-denied in each recovery region), their report bucket, and AWS Backup restore testing.
 * Everything is registered through the region's own provider (static stability).
 */
import * as pulumi from "@pulumi/pulumi";
import { restoreSubnetGroupName } from "../components/data/backupRules";
import { FaultExperiment } from "../components/resilience/faultExperiment";
import { enabledScenarios, experimentProblems, experimentSpec, GameDayScenario, SCENARIOS, scenariosOwnedBy, MAX_STOP_CONDITIONS } from "../components/resilience/gameDayPlan";
import { ReportBucket } from "../components/storage/reportBucket";
import { RestoreTestSelection, RestoreTesting } from "../components/resilience/restoreTesting";
import { restoreTestingPlanName } from "../components/resilience/restoreTestingRules";
import { RegionBackups } from "./backup";
import { StackConfig } from "./configSchema";
import { clusterIdentifier, Region } from "./region";

/** Restore testing runs when dr:backup.restoreTesting.enabled says so, else exactly when dr:gameDays is set. */
export function restoreTestingEnabled(config: StackConfig): boolean {
  return config.backup.restoreTesting.enabled ?? enabledScenarios(config.gameDays).length > 0;
}

/** The alarms that stop `scenario` in this region: its keys that exist here, at most five. */
export function stopAlarmKeys(scenario: GameDayScenario, available: readonly string[]): string[] {
  return SCENARIOS[scenario].stopAlarms.filter((k) => available.includes(k)).slice(0, MAX_STOP_CONDITIONS);
}

export interface GameDayInputs {
  readonly config: StackConfig;
  readonly region: Region;
  readonly backups: RegionBackups;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The other regions of the deployment (the primary's dr:replicaRegions; a secondary's primary). */
  readonly otherRegions: readonly string[];
  /**
   * The protected resources whose newest recovery points this region's vault holds and restore
   * testing restores: the primary's own; in a recovery region, the primary's (the copies the links
   * stack makes), which is the restore a backup-restore recovery runs.
   */
  readonly restoreTested: { readonly auroraClusterArn?: pulumi.Input<string>; readonly dataBucketArn: pulumi.Input<string> };
}

export interface RegionGameDays {
  readonly experiments: Partial<Record<GameDayScenario, FaultExperiment>>;
  readonly reports?: ReportBucket;
  readonly restoreTesting?: RestoreTesting;
}

export function regionGameDays(g: GameDayInputs): RegionGameDays {
  const { config, region } = g;
  const app = config.appName;
  const { provider } = region;
  const owned = scenariosOwnedBy(config.role, config.gameDays);
  const experiments: Partial<Record<GameDayScenario, FaultExperiment>> = {};
  let reports: ReportBucket | undefined;
  if (owned.length) {
    const stack = pulumi.getStack();
    const azs = region.network.subnetPlan.map((s) => s.az);
    const context = {
      stack, region: config.region, availabilityZones: azs, otherRegions: g.otherRegions,
      // The web load balancer sits in the public subnets, the app's (internal) in the private ones.
      loadBalancerSubnetTiers: [region.tiers.web && "public", region.tiers.app && "private"].filter((t): t is string => !!t),
    };
    const alarmKeys = Object.keys(region.alarms.alarmArns);
    const specs = owned.map((s) => ({ spec: experimentSpec(s, context), stops: stopAlarmKeys(s, alarmKeys) }));
    const problems = specs.flatMap(({ spec, stops }) => experimentProblems(spec, stops.length, azs.length));
    if (problems.length) throw new Error(`dr:gameDays = ${JSON.stringify(config.gameDays)} cannot be built in ${config.region}:\n  - ${problems.join("\n  - ")}\nChoose other scenarios (dr:gameDays: { <scenario>: false }) or fix the cause.`);
    reports = new ReportBucket(`${app}-gameday-reports`, { kmsKeyArn: g.kmsKeyArn }, { provider });
    for (const { spec, stops } of specs) {
      experiments[spec.scenario] = new FaultExperiment(`${app}-gameday-${spec.scenario}`, {
        spec, stack, region: config.region,
        stopAlarmArns: stops.map((k) => region.alarms.alarmArns[k]),
        reportBucket: { name: reports.bucketName, arn: reports.bucketArn },
        kmsKeyArn: g.kmsKeyArn,
        dataBucketArn: region.dataBucket.bucketArn,
      }, { provider });
    }
  }
  return { experiments, reports, restoreTesting: restoreTestingEnabled(config) ? regionRestoreTesting(g) : undefined };
}

function regionRestoreTesting(g: GameDayInputs): RestoreTesting {
  const { config, region } = g;
  const rt = config.backup.restoreTesting;
  // A restored cluster lands in this region's isolated subnets behind the database security group:
  // restore testing would otherwise infer the default VPC, which a locked-down account may not have.
  const subnetGroup = region.database ? clusterIdentifier(config) : restoreSubnetGroupName(clusterIdentifier(config));
  const auroraOverrides = pulumi.output(region.databaseSecurityGroupId).apply((sg) => ({ dbsubnetgroupname: subnetGroup, vpcSecurityGroupIds: JSON.stringify([sg]) }));
  const { auroraClusterArn, dataBucketArn } = g.restoreTested;
  const selections: RestoreTestSelection[] = [
    ...(auroraClusterArn ? [{ name: "aurora_cluster", resourceType: "Aurora" as const, protectedArns: [auroraClusterArn], metadataOverrides: auroraOverrides }] : []),
    { name: "data_bucket", resourceType: "S3", protectedArns: [dataBucketArn] },
  ];
  return new RestoreTesting(`${config.appName}-restore-testing`, {
    planName: restoreTestingPlanName(config.appName, config.environment),
    schedule: rt.schedule,
    startWindowHours: rt.startWindowHours,
    validationWindowHours: rt.validationWindowHours,
    vaultArn: g.backups.vault.vaultArn,
    selections,
    kmsKeyArn: g.kmsKeyArn,
  }, { provider: region.provider });
}
