/**
 * Each region's switch as the drills see it: where it lives and the calls that read and flip it.
 * A failover record is healthy only while its endpoint check AND its region's switch are healthy
 * (a Route 53 calculated check), so switching a region off takes it out of DNS whatever its load
 * balancer answers, and it stays out until a drill switches it on. The switch's state lives
 * outside the region it switches off (components/dns/regionSwitch.ts), so switching off a failed
 * region needs none of its APIs:
 * - `cloudwatch-alarm`: PutMetricData of 1 (off) or 0 (on) to the switch's metric in the host
 *   region; the alarm there goes to ALARM (off) or OK (on) on its next one-minute period, and the
 *   region's CLOUDWATCH_METRIC health check follows it. Route 53 reads only standard-resolution
 *   metrics for such checks, hence StorageResolution 60:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html,
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html
 *   (state read with DescribeAlarms: ALARM, OK or INSUFFICIENT_DATA).
 * - `arc-routing-control`: UpdateRoutingControlState On/Off on the cluster's data plane, trying
 *   its regional endpoints in turn ("The cluster endpoint isn't available. Try another cluster
 *   endpoint": EndpointTemporarilyUnavailableException,
 *   https://docs.aws.amazon.com/routing-control/latest/APIReference/API_UpdateRoutingControlState.html).
 */
import {
  regionSwitchPlacements, SwitchMechanism, SWITCH_METRIC_NAME, SWITCH_METRIC_NAMESPACE, SWITCH_OFF_VALUE, SWITCH_ON_VALUE, SWITCH_PERIOD_SECONDS,
} from "../../components/dns/regionSwitch";
import { AlarmSwitch, call, Call, ClusterEndpoint, RegionSwitch, RoutingControlSwitch } from "./cloud";

export type { AlarmSwitch, ClusterEndpoint, RegionSwitch, RoutingControlSwitch, SwitchState } from "./cloud";

/** The pseudo-region of an ARC cluster whose endpoints the drill does not know (no stack outputs): any of its five. */
export const ARC_CLUSTER = "arc-cluster";

/**
 * The endpoints in the order the drill tries them: those outside the switched region first, so
 * switching a failed region off never starts with (or waits for) that region's endpoint.
 */
export function endpointOrder(s: RoutingControlSwitch): ClusterEndpoint[] {
  return [...s.clusterEndpoints.filter((e) => e.region !== s.region), ...s.clusterEndpoints.filter((e) => e.region === s.region)];
}

/** Where the switch's calls go: the host region, or the first cluster endpoint the drill tries. */
export function switchCallRegion(s: RegionSwitch): string {
  return s.mechanism === "cloudwatch-alarm" ? s.hostRegion : endpointOrder(s)[0]?.region ?? ARC_CLUSTER;
}

export const switchOperation = (s: RegionSwitch) =>
  s.mechanism === "cloudwatch-alarm" ? "CloudWatch.PutMetricData" : "Route53RecoveryCluster.UpdateRoutingControlState";

const endpointsParam = (s: RoutingControlSwitch) =>
  s.clusterEndpoints.length ? endpointOrder(s).map((e) => e.region).join(",") : "<the cluster's regional endpoints, in turn>";

/** The metric datum a switch write sends (what the AWS adapter sends and dry-run prints). */
export function switchDatum(s: AlarmSwitch, on: boolean) {
  return {
    MetricName: SWITCH_METRIC_NAME,
    Dimensions: [{ Name: "App", Value: s.dimensions.App }, { Name: "Region", Value: s.dimensions.Region }],
    Value: on ? SWITCH_ON_VALUE : SWITCH_OFF_VALUE,
    StorageResolution: SWITCH_PERIOD_SECONDS,
  };
}

export function setSwitchCall(s: RegionSwitch, on: boolean): Call {
  if (s.mechanism === "cloudwatch-alarm") return call(s.hostRegion, "CloudWatch", "PutMetricData", { Namespace: SWITCH_METRIC_NAMESPACE, MetricData: [switchDatum(s, on)] });
  return call(switchCallRegion(s), "Route53RecoveryCluster", "UpdateRoutingControlState", { RoutingControlArn: s.routingControlArn, RoutingControlState: on ? "On" : "Off", Endpoints: endpointsParam(s) });
}

export function readSwitchCall(s: RegionSwitch): Call {
  if (s.mechanism === "cloudwatch-alarm") return call(s.hostRegion, "CloudWatch", "DescribeAlarms", { AlarmNames: [s.alarmName] });
  return call(switchCallRegion(s), "Route53RecoveryCluster", "GetRoutingControlState", { RoutingControlArn: s.routingControlArn, Endpoints: endpointsParam(s) });
}

/** How an operator reads or flips the switch by hand (runbooks, banners). */
export function switchCli(s: RegionSwitch, on?: boolean): string {
  if (s.mechanism === "cloudwatch-alarm") {
    const dims = `App=${s.dimensions.App},Region=${s.dimensions.Region}`;
    return on === undefined
      ? `aws cloudwatch describe-alarms --region ${s.hostRegion} --alarm-names ${s.alarmName} --query 'MetricAlarms[0].StateValue'`
      : `aws cloudwatch put-metric-data --region ${s.hostRegion} --namespace ${SWITCH_METRIC_NAMESPACE} --metric-name ${SWITCH_METRIC_NAME} --dimensions ${dims} --storage-resolution ${SWITCH_PERIOD_SECONDS} --value ${on ? SWITCH_ON_VALUE : SWITCH_OFF_VALUE}`;
  }
  const ep = endpointOrder(s)[0];
  const where = ep ? `--region ${ep.region} --endpoint-url ${ep.endpoint}` : "--region <endpoint region> --endpoint-url <cluster endpoint>";
  return on === undefined
    ? `aws route53-recovery-cluster get-routing-control-state ${where} --routing-control-arn ${s.routingControlArn}`
    : `aws route53-recovery-cluster update-routing-control-state ${where} --routing-control-arn ${s.routingControlArn} --routing-control-state ${on ? "On" : "Off"}`;
}

/** The primary stack's `regionSwitch` output (the contract with the stacks that build the switches). */
export interface RegionSwitchOutput {
  readonly mechanism: SwitchMechanism;
  readonly switches: Readonly<Record<string, { readonly healthCheckId?: string | null; readonly hostRegion?: string | null; readonly alarmName?: string | null; readonly routingControlArn?: string | null }>>;
  readonly clusterEndpoints?: readonly ClusterEndpoint[] | null;
}

export interface SwitchSource {
  readonly appName: string;
  readonly environment: string;
  readonly primaryRegion: string;
  /** Every secondary region, the SECONDARY record's holder first (the primary's dr:replicaRegions). */
  readonly replicaRegions: readonly string[];
  readonly mechanism: SwitchMechanism;
}

/**
 * Each region's switch: from the primary's `regionSwitch` output when the stacks export it, else
 * placed from the stack files as the stacks place it (regionSwitchPlacements). An ARC switch without
 * the output has placeholder identifiers: fine for dry-run and simulation; `problems` gets a line
 * when `requireOutput` (a real drill needs the routing control ARNs and cluster endpoints).
 */
export function regionSwitches(src: SwitchSource, output: RegionSwitchOutput | undefined, requireOutput: boolean, primaryStack: string, problems: string[]): Record<string, RegionSwitch> {
  const placements = regionSwitchPlacements(src.appName, src.environment, src.primaryRegion, src.replicaRegions);
  const mechanism = output?.mechanism ?? src.mechanism;
  if (output && output.mechanism !== src.mechanism)
    problems.push(`output regionSwitch.mechanism of stack "${primaryStack}" is ${output.mechanism} but the stack files say dr:regionSwitch.mechanism ${src.mechanism}; deploy the stacks ('pulumi up') or pass the outputs of the right stacks`);
  if (mechanism === "arc-routing-control" && !output && requireOutput)
    problems.push(`output regionSwitch of stack "${primaryStack}" is missing: an ARC switch needs its routing control ARNs and cluster endpoints; redeploy "${primaryStack}" with this version of the program ('pulumi up --stack ${primaryStack}')`);
  return Object.fromEntries(placements.map((p): [string, RegionSwitch] => {
    const out = output?.switches[p.switchedRegion];
    if (mechanism === "cloudwatch-alarm")
      return [p.switchedRegion, { mechanism, region: p.switchedRegion, hostRegion: out?.hostRegion ?? p.hostRegion, alarmName: out?.alarmName ?? p.alarmName, dimensions: p.dimensions }];
    if (output && !out?.routingControlArn)
      problems.push(`output regionSwitch.switches.${p.switchedRegion}.routingControlArn of stack "${primaryStack}" is missing; redeploy "${primaryStack}" ('pulumi up --stack ${primaryStack}')`);
    return [p.switchedRegion, {
      mechanism, region: p.switchedRegion, routingControlArn: out?.routingControlArn ?? `<routing control of ${p.switchedRegion}>`, clusterEndpoints: output?.clusterEndpoints ?? [],
    }];
  }));
}
