/**
 * Where each region's switch lives: pure, shared by the stacks that build it and the drills that
 * flip it. A region's failover record is healthy only while its endpoint check AND its switch are
 * healthy; the switch's state must live outside the region it switches off, so that a region that
 * comes back after a failover cannot win DNS back by itself, and so that switching it off needs
 * no API of the region being switched off.
 */

/**
 * `cloudwatch-alarm`: a CloudWatch alarm in another region, fed by PutMetricData, watched by a
 * CLOUDWATCH_METRIC health check (a few dollars a month). `arc-routing-control`: a Route 53 ARC
 * routing control on a five-region cluster, watched by a RECOVERY_CONTROL health check.
 */
export const SWITCH_MECHANISMS = ["cloudwatch-alarm", "arc-routing-control"] as const;
export type SwitchMechanism = (typeof SWITCH_MECHANISMS)[number];
export const DEFAULT_SWITCH_MECHANISM: SwitchMechanism = "cloudwatch-alarm";

/** The metric a drill writes in the host region: 1 switches the region off, 0 on. */
export const SWITCH_METRIC_NAMESPACE = "DR/RegionSwitch";
export const SWITCH_METRIC_NAME = "RegionOff";
export const SWITCH_OFF_VALUE = 1;
export const SWITCH_ON_VALUE = 0;
/** Route 53 reads only standard-resolution metrics for alarm-based health checks: one-minute periods. */
export const SWITCH_PERIOD_SECONDS = 60;

export interface RegionSwitchPlacement {
  /** The region this switch takes out of DNS. */
  readonly switchedRegion: string;
  /** The region whose CloudWatch holds the switch's alarm and metric: never `switchedRegion`. */
  readonly hostRegion: string;
  readonly alarmName: string;
  readonly dimensions: Readonly<Record<"App" | "Region", string>>;
}

/**
 * The primary's switch lives in the first secondary (the region that takes over, and so survives
 * a primary outage); every secondary's lives in the primary's region. Placement follows stack roles,
 * never `dr:activeRegion`, so no deploy moves a switch.
 */
export function switchHostRegion(region: string, primaryRegion: string, replicaRegions: readonly string[]): string {
  if (region !== primaryRegion) return primaryRegion;
  const first = replicaRegions.find((r) => r !== primaryRegion);
  if (!first) throw new Error(`region switch: the primary region ${primaryRegion} has no secondary to hold its switch; set dr:replicaRegions`);
  return first;
}

export function switchAlarmName(appName: string, environment: string, region: string): string {
  return `${appName}-${environment}-switch-${region}`;
}

/** One placement per region of the set (the primary first, then `replicaRegions` in order). */
export function regionSwitchPlacements(appName: string, environment: string, primaryRegion: string, replicaRegions: readonly string[]): RegionSwitchPlacement[] {
  return [primaryRegion, ...replicaRegions.filter((r) => r !== primaryRegion)].map((region) => ({
    switchedRegion: region,
    hostRegion: switchHostRegion(region, primaryRegion, replicaRegions),
    alarmName: switchAlarmName(appName, environment, region),
    dimensions: { App: `${appName}-${environment}`, Region: region },
  }));
}

/**
 * The switch alarm, the same for every region: the highest value written in a one-minute period
 * (a single PutMetricData of SWITCH_OFF_VALUE turns it to ALARM), one period, and missing data
 * ignored, so a writer that cannot reach the host region changes nothing. Route 53 accepts only
 * standard-resolution metrics and the statistics in ROUTE53_ALARM_STATISTICS for alarm-based checks
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html).
 */
export const SWITCH_ALARM = {
  statistic: "Maximum",
  period: SWITCH_PERIOD_SECONDS,
  evaluationPeriods: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  threshold: SWITCH_OFF_VALUE,
  treatMissingData: "ignore",
} as const;
/** Statistics Route 53 reads for a CLOUDWATCH_METRIC check; extended statistics (percentiles) are refused. */
export const ROUTE53_ALARM_STATISTICS: readonly string[] = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"];

/**
 * A record is healthy only while BOTH children are: the endpoint check and the switch. Route 53
 * counts healthy children against HealthThreshold; above the child count the parent is always
 * unhealthy, 0 always healthy (https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html).
 */
export const RECORD_HEALTH_CHILDREN = 2;

/** The name of a region's ARC routing control (and its RECOVERY_CONTROL check's Name tag). */
export function routingControlName(appName: string, environment: string, region: string): string {
  return `${appName}-${environment}-${region}`;
}
