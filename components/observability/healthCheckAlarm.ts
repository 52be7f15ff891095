import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertDestination } from "./alertDestinations";
import { componentAlarmTopic } from "./alertSubscriptions";
import { cataloguedAlarm, Entry } from "./catalogueEntry";
import { requireAwsProvider } from "../providers";

/**
 * Route 53 publishes health-check metrics (AWS/Route53) to CloudWatch in US East (N. Virginia)
 * only, whatever region the checked endpoint is in; an alarm on them must live there, and an
 * alarm's SNS action must be a topic in the alarm's own region.
 */
export const ROUTE53_METRICS_REGION = "us-east-1";
/** HealthCheckStatus is 1 (healthy) or 0 (unhealthy), reported every minute. */
const STATUS_PERIOD_SECONDS = 60;
/** Route 53 already waited failureThreshold checks before reporting 0; one minute more is enough. */
const STATUS_EVALUATION_PERIODS = 1;

export interface HealthCheckAlarmArgs {
  /** Id of the Route 53 health check to watch. Required. */
  readonly healthCheckId: pulumi.Input<string>;
  /** Region of the provider passed in opts; must be us-east-1, where Route 53 publishes its metrics. Required. */
  readonly providerRegion: string;
  /** Existing SNS topic in us-east-1 to notify; give this or topicKmsKeyArn. Default: none. */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** KMS key in us-east-1 for a topic this component creates; give this or alarmTopicArn. Default: none. */
  readonly topicKmsKeyArn?: pulumi.Input<string>;
  /** What the health check watches, for the alarm description (such as "us-west-2.orders.example.com"). Default: the health check id. */
  readonly subject?: string;
  /** dr:alerts destinations subscribed to a topic this component creates (in us-east-1). Default: none. */
  readonly subscriptions?: readonly AlertDestination[];
}

/**
 * An alarm on a Route 53 health check's status, in us-east-1 (the only region Route 53 sends
 * its metrics to), notifying a us-east-1 SNS topic: either one given, or one created here and
 * encrypted with the given us-east-1 KMS key. Failover itself does not need this alarm; people do,
 * because Route 53 moves traffic silently.
 */
export class HealthCheckAlarm extends pulumi.ComponentResource {
  readonly alarmName: pulumi.Output<string>;
  readonly alarmArn: pulumi.Output<string>;
  /** The topic the alarm notifies (given or created), in us-east-1. */
  readonly topicArn: pulumi.Output<string>;
  /** The alarm, for the dashboards and the plan report. */
  readonly catalogue: Entry[];

  constructor(name: string, args: HealthCheckAlarmArgs, opts?: pulumi.ComponentResourceOptions) {
    validateHealthCheckAlarmArgs(args);
    super("dr:observability:HealthCheckAlarm", name, {}, opts);
    const provider = requireAwsProvider(this, `HealthCheckAlarm ${name}`);
    // The region the provider really is, and ARNs known only at deploy time, are checked once known.
    failOnRegionMismatch(provider, ROUTE53_METRICS_REGION, `HealthCheckAlarm ${name}`, [
      { input: "alarmTopicArn", arn: args.alarmTopicArn, service: "sns" },
      { input: "topicKmsKeyArn", arn: args.topicKmsKeyArn, service: "kms" },
    ]);

    let topicArn: pulumi.Output<string>;
    if (args.alarmTopicArn !== undefined) {
      topicArn = pulumi.output(args.alarmTopicArn);
    } else {
      // A topic this component creates gets the stack's destinations here, in its own region.
      topicArn = componentAlarmTopic(name, `Route 53 health alarms (${name})`, args.topicKmsKeyArn, args.subscriptions, this);
    }

    this.catalogue = [];
    const alarm = cataloguedAlarm(`${name}-status`, { panel: "health-check", runbook: "health-check-unhealthy", region: ROUTE53_METRICS_REGION, topics: [topicArn] }, {
      alarmDescription: pulumi.interpolate`Route 53 health check ${args.subject ?? args.healthCheckId} is unhealthy: DNS has moved (or is about to move) traffic away from this region. Check the region's web tier, then the DR runbook.`,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: args.healthCheckId },
      statistic: "Minimum",
      period: STATUS_PERIOD_SECONDS,
      evaluationPeriods: STATUS_EVALUATION_PERIODS,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // Route 53 reports status for as long as the check exists and is enabled; silence means the
      // check was disabled or deleted, and failover detection with it.
      treatMissingData: "breaching",
    }, this.catalogue, this);

    this.alarmName = alarm.name;
    this.alarmArn = alarm.arn;
    this.topicArn = topicArn;
    this.registerOutputs({ alarmName: this.alarmName, alarmArn: this.alarmArn, topicArn: this.topicArn });
  }
}

/**
 * Fails the deployment, once the values are known, when the provider passed in opts is for another
 * region than the component was told, or an ARN known only at deploy time is in another region
 * or service. The check runs beside the resources rather than inside their inputs, so the error
 * surfaces as the program's failure instead of leaving registrations waiting on a rejected input.
 * A provider with no explicit region (ambient config) cannot be checked.
 */
export function failOnRegionMismatch(
  provider: aws.Provider,
  expected: string,
  who: string,
  arns: readonly { readonly input: string; readonly arn: pulumi.Input<string> | undefined; readonly service: string }[],
): void {
  const known = arns.filter((a) => a.arn !== undefined);
  pulumi.all([provider.region, pulumi.all(known.map((a) => a.arn as pulumi.Input<string>))]).apply(([actual, values]) => {
    if (actual !== undefined && actual !== expected)
      throw new Error(`${who}: the AWS provider passed in opts is for ${actual}, but the arguments say ${expected}; pass the provider of ${expected}`);
    known.forEach((a, i) => {
      const problem = arnRegionProblem(a.input, values[i], a.service, expected);
      if (problem) throw new Error(`${who}: ${problem}`);
    });
  });
}

/**
 * Why an ARN is not a resource of `service` in `region`, or undefined when it is. Alarm actions
 * must be topics in the alarm's region, and SNS encrypts only with a key in the topic's region.
 */
export function arnRegionProblem(input: string, arn: string, service: string, region: string): string | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== service)
    return `${input} is "${arn}", not an ${service} ARN; pass the ARN (arn:aws:${service}:${region}:<account>:...)`;
  if (parts[3] !== region) return `${input} is in ${parts[3] || "no region"} ("${arn}"); pass one in ${region}, the alarm's region`;
  return undefined;
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function healthCheckAlarmProblems(args: HealthCheckAlarmArgs): string[] {
  const problems: string[] = [];
  if (args.providerRegion !== ROUTE53_METRICS_REGION)
    problems.push(`providerRegion is "${args.providerRegion}"; Route 53 publishes health-check metrics only in ${ROUTE53_METRICS_REGION}, so pass a ${ROUTE53_METRICS_REGION} provider and providerRegion "${ROUTE53_METRICS_REGION}"`);
  const hasTopic = args.alarmTopicArn !== undefined;
  const hasKey = args.topicKmsKeyArn !== undefined;
  if (hasTopic === hasKey)
    problems.push(hasTopic
      ? "alarmTopicArn and topicKmsKeyArn are both set; give alarmTopicArn to use an existing topic, or topicKmsKeyArn to create one, not both"
      : `alarmTopicArn and topicKmsKeyArn are both missing; give an existing ${ROUTE53_METRICS_REGION} topic ARN, or a ${ROUTE53_METRICS_REGION} KMS key ARN for a new topic`);
  if (typeof args.alarmTopicArn === "string") {
    const p = arnRegionProblem("alarmTopicArn", args.alarmTopicArn, "sns", ROUTE53_METRICS_REGION);
    if (p) problems.push(p);
  }
  if (typeof args.topicKmsKeyArn === "string") {
    const p = arnRegionProblem("topicKmsKeyArn", args.topicKmsKeyArn, "kms", ROUTE53_METRICS_REGION);
    if (p) problems.push(p);
  }
  return problems;
}

/** Throws one error naming every problem; called before anything is registered. */
export function validateHealthCheckAlarmArgs(args: HealthCheckAlarmArgs): void {
  const problems = healthCheckAlarmProblems(args);
  if (problems.length) throw new Error(`HealthCheckAlarm: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
