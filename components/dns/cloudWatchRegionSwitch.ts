import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertDestination } from "../observability/alertDestinations";
import { componentAlarmTopic } from "../observability/alertSubscriptions";
import { cataloguedAlarm, Entry } from "../observability/catalogueEntry";
import { failOnRegionMismatch } from "../observability/healthCheckAlarm";
import { requireAwsProvider } from "../providers";
import { SWITCH_ALARM, SWITCH_METRIC_NAME, SWITCH_METRIC_NAMESPACE } from "./regionSwitch";

export interface CloudWatchRegionSwitchArgs {
  /** The region this switch takes out of DNS. Required. */
  readonly switchedRegion: string;
  /** The region of the provider passed in opts: where the alarm and its metric live; never switchedRegion. Required. */
  readonly hostRegion: string;
  /** The alarm's name (switchAlarmName): drills and operators find it by this name. Required. */
  readonly alarmName: string;
  /** The metric's dimensions (App, Region), as regionSwitchPlacements gives them. Required. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Key in hostRegion for the alarm's topic. Required. */
  readonly topicKmsKeyArn: pulumi.Input<string>;
  /** dr:alerts destinations of the topic (a switch changing state is worth a person's look). Default: none. */
  readonly subscriptions?: readonly AlertDestination[];
}

/**
 * One region's switch on CloudWatch: an alarm in ANOTHER region on the switch metric (a drill writes
 * 1 there with PutMetricData to switch the region off, 0 to switch it on), and a Route 53
 * CLOUDWATCH_METRIC health check on that alarm. Route 53 is global, so the check needs no region of
 * its own; the state lives in the host region, which is why a switched-off region that comes back
 * cannot win DNS back by itself.
 *
 * Pulumi never holds the state: the metric is data, not a resource input, so `pulumi up` cannot
 * reset a switch a drill changed.
 */
export class CloudWatchRegionSwitch extends pulumi.ComponentResource {
  /** The CLOUDWATCH_METRIC health check a record's calculated check takes as its switch child. */
  readonly healthCheckId: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;
  /** The alarm, for the host region's dashboard (panel region-switch). */
  readonly catalogue: Entry[] = [];

  constructor(name: string, args: CloudWatchRegionSwitchArgs, opts?: pulumi.ComponentResourceOptions) {
    validateCloudWatchRegionSwitchArgs(args);
    super("dr:dns:CloudWatchRegionSwitch", name, {}, opts);
    const provider = requireAwsProvider(this, `CloudWatchRegionSwitch ${name}`);
    // The alarm must sit where the arguments say: a switch hosted in its own region dies with it.
    failOnRegionMismatch(provider, args.hostRegion, `CloudWatchRegionSwitch ${name}`, []);

    // The on-call hears of every change (ALARM = switched off, OK = on), from the host region.
    const topicArn = componentAlarmTopic(name, `Region switch of ${args.switchedRegion}`, args.topicKmsKeyArn, args.subscriptions, this);
    const alarm = cataloguedAlarm(`${name}-alarm`, { panel: "region-switch", runbook: "region-switch-state-changed", region: args.hostRegion, topics: [topicArn] }, {
      name: args.alarmName,
      alarmDescription: `Region switch of ${args.switchedRegion}: ALARM means ${args.switchedRegion} is switched OFF (kept out of DNS whatever its endpoint says), OK on. ` +
        `Written by the drills with PutMetricData in ${args.hostRegion} (${SWITCH_METRIC_NAMESPACE}/${SWITCH_METRIC_NAME} 1 = off, 0 = on).`,
      namespace: SWITCH_METRIC_NAMESPACE,
      metricName: SWITCH_METRIC_NAME,
      dimensions: { ...args.dimensions },
      ...SWITCH_ALARM,
    }, this.catalogue, this);

    const healthCheck = new aws.route53.HealthCheck(`${name}-health`, {
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmName: alarm.name,
      cloudwatchAlarmRegion: args.hostRegion,
      // No data (the host region unreachable, or nothing written yet) keeps the last status; a new
      // check has none and is healthy, so a deploy switches nothing off.
      insufficientDataHealthStatus: "LastKnownStatus",
      // Route 53 keeps its own copy of the alarm's configuration: a changed alarm needs a new check
      // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html).
      triggers: { alarm: JSON.stringify({ name: args.alarmName, dimensions: args.dimensions, ...SWITCH_ALARM }) },
      // Tag values allow letters, digits, spaces and _ . : / = + - @ only.
      tags: { Name: `switch ${args.switchedRegion} - alarm ${args.alarmName} in ${args.hostRegion}` },
    }, { parent: this, dependsOn: [alarm] });

    this.healthCheckId = healthCheck.id;
    this.alarmName = alarm.name;
    this.registerOutputs({ healthCheckId: this.healthCheckId, alarmName: this.alarmName });
  }
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function cloudWatchRegionSwitchProblems(args: CloudWatchRegionSwitchArgs): string[] {
  const problems: string[] = [];
  if (args.hostRegion === args.switchedRegion)
    problems.push(`hostRegion is ${args.hostRegion}, the region it switches off; host the switch in another region (switchHostRegion), or switching it needs the region that failed`);
  if (!args.alarmName) problems.push(`alarmName is empty; use switchAlarmName(app, environment, region)`);
  return problems;
}

export function validateCloudWatchRegionSwitchArgs(args: CloudWatchRegionSwitchArgs): void {
  const problems = cloudWatchRegionSwitchProblems(args);
  if (problems.length) throw new Error(`CloudWatchRegionSwitch: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
