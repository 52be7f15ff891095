import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseCredentials } from "../components/security/databaseCredentials";
import { MultiRegionKey } from "../components/security/multiRegionKey";
import { AUTOSCALING_SERVICE } from "../components/security/keyPolicy";
import { StackConfig } from "./configSchema";
import { PrimaryStackOutputs, RegionStackOutputs } from "./contract";
import { Entry } from "../components/observability/catalogueEntry";
import { regionExports } from "./exports";
import { backupExports, regionBackups } from "./backup";
import { regionGameDays } from "./gameDays";
import { RegionalProviders } from "./providers";
import { buildRegion, providerTags, regionDashboard } from "./region";
import { regionRecovery } from "./recovery";
import { buildRegionSwitches } from "./regionSwitch";
import { alertDestinations } from "../components/observability/alertDestinations";
import { sharedSettings } from "./stackSet";

/** The Aurora master user; the password is generated and lives only in the replicated secret. */
export const DB_MASTER_USERNAME = "dbadmin";

/**
 * The primary region: its regional system plus the cross-region links it owns (README): the
 * multi-region key and its replicas, the DB secret and its replicas, and the Aurora global cluster.
 * Replica regions are written before any secondary exists, so the primary holds a provider for each.
 */
export async function primaryStack(config: StackConfig): Promise<PrimaryStackOutputs> {
  const app = config.appName;
  const providers = new RegionalProviders(providerTags(config));
  const provider = providers.for(config.region);
  const replicaRegions = config.replicaRegions ?? [];
  const replicaProviders = Object.fromEntries(replicaRegions.map((region) => [region, providers.for(region)]));

  const autoScalingRole = autoScalingServiceLinkedRole(config, provider);
  const key = new MultiRegionKey(`${app}-key`, { region: config.region, alias: `${app}-${config.environment}-dr`, replicaProviders, autoScalingRoleArn: autoScalingRole?.arn }, { provider });
  const credentials = new DatabaseCredentials(`${app}-db-credentials`, {
    secretName: `${app}/${config.environment}/aurora-master`,
    username: DB_MASTER_USERNAME,
    kmsKeyArn: key.keyArn,
    replicaKmsKeyArns: key.replicaKeyArns,
  }, { provider });

  // backup-restore keeps no standing replica: recovery restores from backup copies instead.
  const globalCluster = config.strategy === "backup-restore" ? undefined : new aws.rds.GlobalCluster(`${app}-global-db`, {
    globalClusterIdentifier: `${app}-${config.environment}`,
    engine: config.database.engine,
    engineVersion: config.database.engineVersion,
    storageEncrypted: true,
    deletionProtection: true,
  }, { provider });

  // Every region's switch, each hosted outside the region it switches off (stacks/regionSwitch.ts).
  const regionSwitch = buildRegionSwitches(config, {
    providerFor: (r) => providers.for(r),
    kmsKeyArnFor: (r) => (r === config.region ? key.keyArn : key.replicaKeyArns[r]),
    subscriptions: alertDestinations(config.alerts),
  });

  const region = await buildRegion(config, {
    provider,
    kmsKeyArn: key.keyArn,
    amiId: config.amiId!,
    dbSecretArn: credentials.secretArn,
    activeRegion: config.activeRegion ?? config.region,
    firstSecondaryRegion: config.replicaRegions?.[0],
    switchHealthCheckId: regionSwitch.healthCheckIdOf(config.region),
    database: {
      globalClusterIdentifier: globalCluster?.id,
      credentials: { username: credentials.username, password: credentials.password, databaseName: config.database.databaseName },
    },
  });

  const backups = regionBackups(config, region, key.keyArn);
  regionGameDays({ config, region, backups, kmsKeyArn: key.keyArn, otherRegions: replicaRegions, restoreTested: { auroraClusterArn: region.database?.clusterArn, dataBucketArn: region.dataBucket.bucketArn } });
  const firstSecondary = config.replicaRegions?.[0];
  const recovery = regionRecovery(config, region, { secretArn: credentials.secretArn, kmsKeyArn: key.keyArn }, {
    primaryRegion: config.region, replicaRegions: config.replicaRegions ?? [],
    secondarySecret: firstSecondary && credentials.replicaSecretArns[firstSecondary] && key.replicaKeyArns[firstSecondary]
      ? { secretArn: credentials.replicaSecretArns[firstSecondary], kmsKeyArn: key.replicaKeyArns[firstSecondary] } : undefined,
  });
  // The switches this region hosts (every secondary's) show on its dashboard with its own alarms.
  region.catalogue.push(...regionSwitch.catalogueIn(config.region));
  const dashboard = regionDashboard(config, region);

  return {
    shared: sharedSettings(config),
    regional: withAlarmsElsewhere(
      regionExports(region, config.region, { amiId: config.amiId!, dbSecretArn: credentials.secretArn, kmsKeyArn: key.keyArn, backup: backupExports(config, backups), dashboardName: dashboard.dashboardName, recovery }),
      // The primary's own switch alarm lives in the first secondary's region: exported with the stack's other alarms.
      replicaRegions.flatMap((r) => regionSwitch.catalogueIn(r)),
    ),
    globalClusterIdentifier: globalCluster?.id ?? null,
    replicaKeyArns: pulumi.all(key.replicaKeyArns),
    dbSecretReplicaArns: pulumi.all(credentials.replicaSecretArns),
    regionSwitch: regionSwitch.exports,
  };
}

/**
 * The account's Auto Scaling service-linked role, when dr:createAutoScalingServiceLinkedRole asks
 * for it: a fresh account has none until its first group, and the key policies name it. It is
 * account-wide, so it outlives a destroy (other workloads may rely on it); on a redeploy into the
 * same account set the switch back to false.
 */
function autoScalingServiceLinkedRole(config: StackConfig, provider: aws.Provider): aws.iam.ServiceLinkedRole | undefined {
  if (!config.createAutoScalingServiceLinkedRole) return undefined;
  // No description or suffix: the default role is the one Auto Scaling groups use unless told otherwise.
  return new aws.iam.ServiceLinkedRole(`${config.appName}-autoscaling-service-role`, { awsServiceName: AUTOSCALING_SERVICE }, { provider, retainOnDelete: true });
}

/** The region's exports with the stack's alarms in other regions added to alarmArns. */
function withAlarmsElsewhere(regional: RegionStackOutputs, elsewhere: readonly Entry[]): RegionStackOutputs {
  const arns = elsewhere.flatMap((e) => (e.alarmArn === undefined ? [] : [e.alarmArn]));
  return { ...regional, alarmArns: pulumi.all([pulumi.output(regional.alarmArns), pulumi.all(arns)]).apply(([own, more]) => [...own, ...more]) };
}
