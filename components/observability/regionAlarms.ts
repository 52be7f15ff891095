import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopicPolicy } from "./alarmTopicPolicy";
import { AlertDestination } from "./alertDestinations";
import { AlertSubscriptions } from "./alertSubscriptions";
import { DashboardPanel, RunbookAnchor } from "./alarmCatalogue";
import { cataloguedAlarm, Entry } from "./catalogueEntry";
import { requireAwsProvider } from "../providers";

/** Above 5 % of requests failing, users notice; below it, deploys and client aborts cause noise. */
export const DEFAULT_ERROR_RATE_PERCENT = 5;
/** Sustained writer CPU above 80 % leaves no headroom to absorb a failed-over region's load. */
export const DEFAULT_DB_CPU_PERCENT = 80;
/** Below 256 MiB of freeable memory Aurora starts swapping and may restart the instance. */
export const DEFAULT_FREEABLE_MEMORY_BYTES = 256 * 1024 * 1024;
/** One-minute periods: detection time counts towards the RTO. */
const PERIOD_SECONDS = 60;
const KEY_PATTERN = /^[a-z][a-z0-9-]*$/;

/** A load balancer to watch. */
export interface AlarmedLoadBalancer {
  /** Stable key naming the alarms, such as "web" or "app". */
  readonly key: string;
  /** The load balancer's ARN suffix (CloudWatch's LoadBalancer dimension). */
  readonly arnSuffix: pulumi.Input<string>;
  /** Its target group's ARN suffix (CloudWatch's TargetGroup dimension). */
  readonly targetGroupArnSuffix: pulumi.Input<string>;
}

/** An Auto Scaling group to watch. */
export interface AlarmedAutoScalingGroup {
  /** Stable key naming the alarm, such as "web" or "app". */
  readonly key: string;
  /** The group's name. */
  readonly name: pulumi.Input<string>;
  /**
   * Instances that must stay in service whatever the group's desired capacity says: the configured
   * desired count in the active region (dr:activeRegion), the standby's own count elsewhere. The
   * alarm compares in-service instances with the larger of this and the group's GroupDesiredCapacity,
   * so a scale-out (a failover) raises the bar without a deploy.
   */
  readonly floor: number;
}

export interface RegionAlarmsArgs {
  /** Region of the provider passed in opts (the topic's and the alarms'). Required. */
  readonly region: string;
  /** dr:alerts destinations subscribed to the topic, in its region. Default: none (policy alarm-destinations refuses that). */
  readonly subscriptions?: readonly AlertDestination[];
  /** Customer KMS key for the topic; its key policy must let cloudwatch.amazonaws.com use it. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Load balancers to watch for 5xx rate and unhealthy targets. Default: none. */
  readonly loadBalancers?: readonly AlarmedLoadBalancer[];
  /** Auto Scaling groups to watch for in-service capacity. Default: none. */
  readonly autoScalingGroups?: readonly AlarmedAutoScalingGroup[];
  /** Aurora cluster to watch for CPU and freeable memory. Default: none (no database alarms). */
  readonly databaseClusterIdentifier?: pulumi.Input<string>;
  /** 5xx responses as a percentage of requests that raises the alarm. Default 5. */
  readonly errorRatePercent?: number;
  /** Database CPU percentage that raises the alarm. Default 80. */
  readonly databaseCpuPercent?: number;
  /** Freeable memory in bytes below which the alarm is raised. Default 256 MiB. */
  readonly freeableMemoryBytes?: number;
}

/**
 * A region's alarms: one KMS-encrypted SNS topic, and alarms on the load balancers, Auto Scaling
 * groups and Aurora cluster that raise and clear through it. Each region watches itself, so the
 * surviving region keeps alerting when the other one is gone.
 */
export class RegionAlarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly alarmNames: pulumi.Output<string[]>;
  /** Each alarm's ARN by its key ("web-5xx-rate", "db-cpu", ...): game-day stop conditions name them. */
  readonly alarmArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Every alarm, for the region's dashboard and the plan report. */
  readonly catalogue: Entry[] = [];

  constructor(name: string, args: RegionAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateRegionAlarmsArgs(args);
    super("dr:observability:RegionAlarms", name, {}, opts);
    requireAwsProvider(this, `RegionAlarms ${name}`);
    const errorRatePercent = args.errorRatePercent ?? DEFAULT_ERROR_RATE_PERCENT;
    const databaseCpuPercent = args.databaseCpuPercent ?? DEFAULT_DB_CPU_PERCENT;
    const freeableMemoryBytes = args.freeableMemoryBytes ?? DEFAULT_FREEABLE_MEMORY_BYTES;

    const topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
    new aws.sns.TopicPolicy(`${name}-topic`, {
      arn: topic.arn,
      policy: topic.arn.apply(alarmTopicPolicy),
    }, { parent: this });

    if (args.subscriptions?.length) new AlertSubscriptions(`${name}-topic-alerts`, { topicArn: topic.arn, destinations: args.subscriptions }, { parent: this });

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    const byKey: Record<string, aws.cloudwatch.MetricAlarm> = {};
    const alarm = (suffix: string, panel: DashboardPanel, runbook: RunbookAnchor, alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "actionsEnabled">) =>
      alarms.push(byKey[suffix] = cataloguedAlarm(`${name}-${suffix}`, { panel, runbook, region: args.region, topics: [topic.arn] }, { ...alarmArgs, alarmDescription: `${alarmArgs.alarmDescription}.` }, this.catalogue, this));

    for (const lb of args.loadBalancers ?? []) {
      const lbMetric = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: lb.arnSuffix }, period: PERIOD_SECONDS, stat: "Sum" },
      });
      alarm(`${lb.key}-5xx-rate`, "service", "load-balancer-errors", {
        alarmDescription: `More than ${errorRatePercent} % of requests to the ${lb.key} load balancer fail with 5xx (from the load balancer or its targets)`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: errorRatePercent,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        // No data means no requests in the period; an idle standby has no error rate.
        treatMissingData: "notBreaching",
        metricQueries: [
          lbMetric("elb5xx", "HTTPCode_ELB_5XX_Count"),
          lbMetric("target5xx", "HTTPCode_Target_5XX_Count"),
          lbMetric("requests", "RequestCount"),
          { id: "errors", returnData: false, expression: "FILL(elb5xx, 0) + FILL(target5xx, 0)" },
          // RequestCount leaves out requests the load balancer answered without a target (503 with
          // no healthy targets); counting at least the errors keeps a total outage at 100 %, not 0/0.
          { id: "served", returnData: false, expression: "FILL(requests, 0)" },
          { id: "total", returnData: false, expression: "MAX([served, errors])" },
          { id: "rate", returnData: true, label: "5xx % of RequestCount", expression: "IF(total > 0, 100 * errors / total, 0)" },
        ],
      });
      alarm(`${lb.key}-unhealthy-hosts`, "service", "load-balancer-errors", {
        alarmDescription: `The ${lb.key} target group has unhealthy targets`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: lb.targetGroupArnSuffix },
        statistic: "Maximum",
        period: PERIOD_SECONDS,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // No data means no registered targets (a pilot-light fleet at zero); missing capacity is the
        // in-service alarm's job and a full outage the 5xx alarm's.
        treatMissingData: "notBreaching",
      });
    }

    for (const asg of args.autoScalingGroups ?? []) {
      const groupMetric = (id: string, metricName: string, stat: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/AutoScaling", metricName, dimensions: { AutoScalingGroupName: asg.name }, period: PERIOD_SECONDS, stat },
      });
      alarm(`${asg.key}-in-service`, "capacity", "capacity-below-desired", {
        alarmDescription: `The ${asg.key} Auto Scaling group has fewer instances in service than the larger of its desired capacity and ${asg.floor} (this region's required count)`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        // Ten minutes, so replacing one instance during an instance refresh (or a scale-out in
        // progress) does not page anyone.
        evaluationPeriods: 10,
        datapointsToAlarm: 10,
        // Group metrics are missing when metrics collection is off or the group is gone: neither
        // proves capacity. An expression over no data returns none, so silence pages.
        treatMissingData: "breaching",
        metricQueries: [
          groupMetric("inService", "GroupInServiceInstances", "Minimum"),
          groupMetric("desired", "GroupDesiredCapacity", "Maximum"),
          // The group's own desired capacity follows a failover's scale-out with no deploy; the
          // floor (from dr:activeRegion) keeps the active region's full count required even if
          // someone lowers the group. Both live in this region, so no cross-region math is needed.
          { id: "required", returnData: false, expression: `IF(FILL(desired, 0) > ${asg.floor}, FILL(desired, 0), ${asg.floor})` },
          { id: "shortfall", returnData: true, label: "instances missing", expression: "required - FILL(inService, 0)" },
        ],
      });
    }

    if (args.databaseClusterIdentifier !== undefined) {
      const dimensions = { DBClusterIdentifier: args.databaseClusterIdentifier };
      alarm("db-cpu", "service", "database-pressure", {
        alarmDescription: `An instance of the Aurora cluster runs above ${databaseCpuPercent} % CPU`,
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions,
        // Maximum over the cluster's instances: an overloaded writer must not hide behind idle readers.
        statistic: "Maximum",
        period: PERIOD_SECONDS,
        comparisonOperator: "GreaterThanThreshold",
        threshold: databaseCpuPercent,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // A headless (pilot-light) cluster has no instances and so no CPU to overload.
        treatMissingData: "notBreaching",
      });
      alarm("db-freeable-memory", "service", "database-pressure", {
        alarmDescription: `An instance of the Aurora cluster has less than ${freeableMemoryBytes} bytes of freeable memory`,
        namespace: "AWS/RDS",
        metricName: "FreeableMemory",
        dimensions,
        statistic: "Minimum",
        period: PERIOD_SECONDS,
        comparisonOperator: "LessThanThreshold",
        threshold: freeableMemoryBytes,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        // As for CPU: no instances, no memory pressure.
        treatMissingData: "notBreaching",
      });
    }

    this.topicArn = topic.arn;
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.alarmArns = Object.fromEntries(Object.entries(byKey).map(([k, a]) => [k, a.arn]));
    this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames });
  }
}

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateRegionAlarmsArgs(args: RegionAlarmsArgs): void {
  const problems: string[] = [];
  const checkKeys = (input: string, keys: string[]) => {
    for (const k of keys.filter((key) => !KEY_PATTERN.test(key))) problems.push(`${input} key "${k}" must start with a lowercase letter and hold only lowercase letters, digits and hyphens, such as "web"`);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (dupes.length) problems.push(`${input} repeats key(s) ${[...new Set(dupes)].join(", ")}; give each entry its own key`);
  };
  checkKeys("loadBalancers", (args.loadBalancers ?? []).map((lb) => lb.key));
  checkKeys("autoScalingGroups", (args.autoScalingGroups ?? []).map((g) => g.key));
  for (const g of args.autoScalingGroups ?? []) {
    if (!Number.isInteger(g.floor) || g.floor < 0) problems.push(`autoScalingGroups "${g.key}" floor is ${g.floor}; use a whole number of instances, 0 or more`);
  }
  const percent = (input: string, value: number | undefined) => {
    if (value !== undefined && !(value > 0 && value < 100)) problems.push(`${input} is ${value}; use a percentage above 0 and below 100`);
  };
  percent("errorRatePercent", args.errorRatePercent);
  percent("databaseCpuPercent", args.databaseCpuPercent);
  if (args.freeableMemoryBytes !== undefined && !(args.freeableMemoryBytes > 0)) {
    problems.push(`freeableMemoryBytes is ${args.freeableMemoryBytes}; use a positive number of bytes, such as ${DEFAULT_FREEABLE_MEMORY_BYTES} (256 MiB)`);
  }
  if (problems.length) throw new Error(`RegionAlarms: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
