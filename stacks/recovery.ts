/**
 * A region stack's part of the in-cloud plan (components/recovery/recoveryActions.ts): which
 * custom-action Lambdas it builds and what each may do, the application-health alarm and, in the
 * recovery region with dr:recovery.mode alarm, the trigger. Only the two regions of a plan build
 * them: the primary and the secondary holding the SECONDARY record, of a strategy that keeps a
 * global database and one active region (pilot-light, warm-standby).
 */
import * as pulumi from "@pulumi/pulumi";
import { databaseCapacityFor, stackCapacity } from "../components/compute/capacity";
import { regionSwitchPlacements } from "../components/dns/regionSwitch";
import { absentAction, ActionSpec, RecoveryActions, switchActions } from "../components/recovery/recoveryActions";
import { primaryProbeAlarmName, recoveryTriggerAlarmName } from "../components/recovery/recoveryStart";
import { DrStrategy } from "../components/strategy";
import { writerInstanceId } from "../src/drills/scenarios/database";
import { HEADLESS_LAMBDA_KINDS, PRIMARY_LAMBDA_KINDS } from "../src/regionswitch/translate";
import { healthUrl } from "../src/drills/scenarios/gates";
import { StackConfig } from "./configSchema";
import { Exported, RecoveryExports } from "./contract";
import { stackTags } from "./providers";
import { clusterIdentifier, Region } from "./region";

/** The strategies an active/passive Region switch plan serves. */
export const PLAN_STRATEGIES: readonly DrStrategy[] = ["pilot-light", "warm-standby"];

export interface RecoveryPartner {
  /** The primary's region and its dr:replicaRegions (switch placements). */
  readonly primaryRegion: string;
  readonly replicaRegions: readonly string[];
  /** The primary only: the secret replica and replica key in the secondary (failback re-replicates the secret). */
  readonly secondarySecret?: { readonly secretArn: pulumi.Input<string>; readonly kmsKeyArn: pulumi.Input<string> };
}

export function regionRecovery(config: StackConfig, region: Region, secret: { secretArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> }, partner: RecoveryPartner): Exported<RecoveryExports> | null {
  const firstSecondary = partner.replicaRegions[0];
  const inPlan = config.region === partner.primaryRegion || config.region === firstSecondary;
  if (!PLAN_STRATEGIES.includes(config.strategy) || !inPlan || !firstSecondary) return null;
  const prefix = `${config.appName}-${config.environment}`;
  const other = config.region === partner.primaryRegion ? firstSecondary : partner.primaryRegion;
  const placements = regionSwitchPlacements(config.appName, config.environment, partner.primaryRegion, partner.replicaRegions);
  const capacity = stackCapacity(config);
  const tiers = Object.entries(region.tiers).flatMap(([tier, t]) => (t ? [{ tier, t }] : []));
  const accountOf = (arn: pulumi.Input<string>) => pulumi.output(arn).apply((a) => a.split(":")[4]);

  const actions: ActionSpec[] = [
    {
      key: "promote-secret", handler: "promote-secret", environment: { SECRET_ARN: secret.secretArn },
      statements: [{ Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:StopReplicationToReplica"], Resource: [secret.secretArn] }],
    },
    { key: "verify-service", handler: "verify-service", environment: { HEALTH_URL: healthUrl({ region: config.region, config }) }, statements: [] },
    {
      // Failback returns this region to its standby size: the EC2AutoScaling block never scales down.
      key: "scale-in", handler: "scale-in",
      environment: { GROUPS: pulumi.all(tiers.map(({ tier, t }) => t.autoScalingGroupName.apply((name) => ({ name, min: capacity[tier as "web" | "app"].min, desired: capacity[tier as "web" | "app"].desired })))).apply((g) => JSON.stringify(g)) },
      statements: tiers.length ? [{ Effect: "Allow", Action: ["autoscaling:UpdateAutoScalingGroup"], Resource: tiers.map(({ t }) => t.autoScalingGroupArn) }] : [],
    },
  ];
  // Every plan action exists in both plan regions (a CustomActionLambda block names one per region,
  // custom-action-lambda-block.html): each region's copy of a switch writes the same switch metric.
  if (config.regionSwitch.mechanism === "cloudwatch-alarm")
    actions.push(...switchActions(placements, [other, config.region].flatMap((r) => [{ region: r, effect: "off" as const }, { region: r, effect: "on" as const }])));
  const isPrimary = config.region === partner.primaryRegion;
  // The primary keeps its DB instances: its copies of the headless member's writer actions refuse.
  if (isPrimary && databaseCapacityFor(config.strategy, "secondary", config.database.instances).headless)
    actions.push(...HEADLESS_LAMBDA_KINDS.map((k) => absentAction(k, `${k} runs only in the headless member (${other}) when failover activates it; ${config.region} keeps its DB instances`)));
  // Failback re-replicates the secret from the primary: the secondary's copies refuse.
  if (!isPrimary)
    actions.push(...PRIMARY_LAMBDA_KINDS.map((k) => absentAction(k, `${k} runs only in the primary's region (${partner.primaryRegion}) when failback activates it`)));
  if (capacity.database.headless && region.database) {
    const clusterArn = region.database.clusterArn;
    const instanceId = writerInstanceId(clusterIdentifier(config));
    const instanceArn = pulumi.output(clusterArn).apply((a) => a.replace(/:cluster:.*$/, `:db:${instanceId}`));
    // CreateDBInstance is authorized on every RDS resource the instance uses, not only the instance
    // and its cluster: the cluster's subnet group (named as the cluster) and the engine's default
    // parameter and option groups (AuroraUserGuide/security_iam_id-based-policy-examples-create-and-modify-examples.html).
    const rdsArn = (suffix: string) => pulumi.output(clusterArn).apply((a) => a.replace(/:cluster:.*$/, `:${suffix}`));
    const instanceUses = [rdsArn(`subgrp:${clusterIdentifier(config)}`), rdsArn("pg:default.*"), rdsArn("og:default:*")];
    const tags = { ...stackTags({ appName: config.appName, environment: config.environment, role: config.role, strategy: config.strategy, tags: config.tags }), "managed-by": "dr-region-switch-plan" };
    actions.push(
      {
        // The Aurora block's evaluation and a promotion need a DB instance in this headless member.
        key: "add-writer", handler: "add-writer", timeoutSeconds: 120,
        environment: { CLUSTER_ID: clusterIdentifier(config), INSTANCE_ID: instanceId, INSTANCE_CLASS: config.database.instanceClass, ENGINE: config.database.engine, TAGS: JSON.stringify(tags) },
        statements: [
          { Effect: "Allow", Action: ["rds:DescribeDBClusters"], Resource: [clusterArn] },
          { Effect: "Allow", Action: ["rds:AddTagsToResource", "rds:CreateDBInstance"], Resource: [clusterArn, instanceArn] },
          { Effect: "Allow", Action: ["rds:CreateDBInstance"], Resource: instanceUses },
        ],
      },
      {
        key: "wait-writer", handler: "wait-writer", environment: { CLUSTER_ID: clusterIdentifier(config) },
        statements: [{ Effect: "Allow", Action: ["rds:DescribeDBInstances"], Resource: [pulumi.interpolate`arn:aws:rds:${config.region}:${accountOf(clusterArn)}:db:*`] }],
      },
    );
  }
  if (partner.secondarySecret) {
    const there = partner.secondarySecret;
    actions.push(
      {
        key: "copy-back-secret", handler: "copy-back-secret",
        environment: { SECRET_ARN: secret.secretArn, OTHER_REGION: other, OTHER_SECRET_ARN: there.secretArn },
        statements: [
          { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secret.secretArn, there.secretArn] },
          { Effect: "Allow", Action: ["secretsmanager:PutSecretValue"], Resource: [secret.secretArn] },
          { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [secret.kmsKeyArn, there.kmsKeyArn] },
        ],
      },
      {
        key: "reestablish-secret-replica", handler: "reestablish-secret-replica",
        environment: { SECRET_ARN: secret.secretArn, OTHER_REGION: other, OTHER_KMS_KEY_ARN: there.kmsKeyArn },
        statements: [
          { Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:ReplicateSecretToRegions"], Resource: [secret.secretArn] },
          { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [secret.kmsKeyArn, there.kmsKeyArn] },
        ],
      },
    );
  }
  // The recovery region probes the primary's endpoint whoever starts recovery: with alarm start its
  // alarm is the plan's trigger; with a person it pages from outside the primary's region (the Route 53
  // health-check alarms live in us-east-1, lost with a primary there).
  const triggered = config.recovery.mode === "alarm";
  // The primary's CloudWatch switch lives in this region (the first secondary): the probe reads it.
  const probedSwitch = config.regionSwitch.mechanism === "cloudwatch-alarm" ? placements.find((x) => x.switchedRegion === partner.primaryRegion && x.hostRegion === config.region) : undefined;
  const built = new RecoveryActions(`${config.appName}-recovery`, {
    prefix, region: config.region, actions,
    trigger: config.region === firstSecondary
      ? {
        alarmName: (triggered ? recoveryTriggerAlarmName : primaryProbeAlarmName)(config.appName, config.environment, config.region),
        probedRegion: partner.primaryRegion, healthUrl: healthUrl({ region: partner.primaryRegion, config }), alarmTopicArn: region.alarms.topicArn, startsPlan: triggered,
        ...(probedSwitch ? { probedSwitchAlarm: { name: probedSwitch.alarmName, arn: pulumi.interpolate`arn:aws:cloudwatch:${config.region}:${accountOf(region.alarms.topicArn)}:alarm:${probedSwitch.alarmName}` } } : {}),
      }
      : undefined,
  }, { provider: region.provider });
  // The region's dashboard draws the trigger: the stack builds its dashboard after this.
  region.catalogue.push(...built.catalogue);
  // Application health, for Region switch's actualRecoveryTime: the web tier's 5xx-rate alarm, green
  // while the region serves (or, idle, serves nothing), red while its requests fail.
  const web5xx = region.alarms.alarmArns["web-5xx-rate"];
  const health = web5xx && { name: web5xx.apply((arn) => arn.split(":alarm:")[1] ?? arn), arn: web5xx, region: config.region };
  const trigger = triggered && built.triggerAlarm ? { name: built.triggerAlarm.name, arn: built.triggerAlarm.arn, region: config.region } : undefined;
  return {
    stackConfig: config,
    lambdaArns: built.lambdaArns,
    autoScalingGroupArns: Object.fromEntries(tiers.map(({ tier, t }) => [tier, t.autoScalingGroupArn])),
    healthAlarm: health ?? null,
    triggerAlarm: trigger ?? null,
  };
}
