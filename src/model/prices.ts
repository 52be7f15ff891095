/**
 * The price table the plan uses to state what readiness costs: on-demand Linux prices per hour
 * for the instance types the examples use and common ones, EBS gp3 per GiB-month, and Aurora
 * instance hours. Prices change: update the table (and PRICE_TABLE_DATE) from the sources below.
 *
 * Recorded for us-east-1 and us-west-2, which price these types identically (REGION_RATES below
 * lists the regions with rates of their own; any other region is priced as estimated). The machines that
 * build this project have no internet access, so the figures were taken from the public price
 * pages (and third-party copies of them, e.g. t3.medium $0.0416 and m7g.large $0.0816 in 2026)
 * rather than fetched by code; check them against the sources before relying on them.
 */
export const PRICE_TABLE_DATE = "2026-11-28";
export const PRICE_TABLE_REGIONS: readonly string[] = ["us-east-1", "us-west-2"];
export const PRICE_SOURCES = {
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  aurora: "https://aws.amazon.com/rds/aurora/pricing/",
  stoppedInstances: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html",
  nat: "https://aws.amazon.com/vpc/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  backup: "https://aws.amazon.com/backup/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  secretsManager: "https://aws.amazon.com/secrets-manager/pricing/",
  regionSwitch: "https://aws.amazon.com/application-recovery-controller/pricing/",
} as const;

/**
 * ARC Region switch: a fixed monthly price per plan (https://docs.aws.amazon.com/r53recovery/latest/dg/pricing-rs.html
 * says so; the figure is from the ARC pricing page, copied second-hand: verify it there).
 */
export const REGION_SWITCH_PLAN_USD_PER_MONTH = 70;

/**
 * One region's rates for what readiness pays besides instances. Recorded from the public price
 * pages above (second-hand copies where the page could not be read here: NAT $0.045/h in the US
 * regions, Secrets Manager $0.40 per secret-month with each replica billed as a secret); check
 * them against the sources before relying on them.
 */
export interface RegionRates {
  /** NAT gateway, USD per gateway-hour (data processing, per GB, is traffic and not counted). */
  readonly natGatewayHourly: number;
  /** Application Load Balancer, USD per ALB-hour (LCUs are traffic and not counted). */
  readonly albHourly: number;
  /** Aurora Standard storage, USD per GB-month. */
  readonly auroraStorageGibMonth: number;
  /** Aurora Standard I/O, USD per million requests. */
  readonly auroraIoPerMillion: number;
  /** AWS Backup warm storage of Aurora snapshots, USD per GB-month. */
  readonly backupAuroraGibMonth: number;
  /** KMS, USD per key-month (a multi-region replica key is a key). */
  readonly kmsKeyMonth: number;
  /** KMS, USD per 10,000 requests. */
  readonly kmsPer10kRequests: number;
  /** Secrets Manager, USD per secret-month (a replica is billed as a secret). */
  readonly secretMonth: number;
  /** Secrets Manager, USD per 10,000 API calls. */
  readonly secretsPer10kCalls: number;
}

const US_RATES: RegionRates = {
  natGatewayHourly: 0.045, albHourly: 0.0225, auroraStorageGibMonth: 0.1, auroraIoPerMillion: 0.2, backupAuroraGibMonth: 0.021,
  kmsKeyMonth: 1, kmsPer10kRequests: 0.03, secretMonth: 0.4, secretsPer10kCalls: 0.05,
};

/** Rates per region; a region missing here is priced at REFERENCE_REGION's rates and flagged estimated. */
export const REGION_RATES: Readonly<Record<string, RegionRates>> = { "us-east-1": US_RATES, "us-west-2": US_RATES };
export const REFERENCE_REGION = "us-east-1";

/** The region's rates, or the reference region's marked estimated (the report says so; never silently). */
export function ratesFor(region: string): { readonly rates: RegionRates; readonly estimated: boolean } {
  const own = REGION_RATES[region];
  return own ? { rates: own, estimated: false } : { rates: REGION_RATES[REFERENCE_REGION], estimated: true };
}

/** Hours in an average month, the convention AWS's pricing calculator uses. */
export const HOURS_PER_MONTH = 730;

/** EC2 on-demand, Linux, USD per instance-hour. */
export const EC2_HOURLY_USD: Readonly<Record<string, number>> = {
  "t3.micro": 0.0104,
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "m5.large": 0.096,
  "m6i.large": 0.096,
  "m7i.large": 0.1008,
  "m6g.large": 0.077,
  "m7g.large": 0.0816,
  "c6i.large": 0.085,
  "c7g.large": 0.0725,
};

/** Aurora (standard storage configuration) on-demand, USD per DB instance-hour. */
export const AURORA_HOURLY_USD: Readonly<Record<string, number>> = {
  "db.r5.large": 0.29,
  "db.r6g.large": 0.26,
};

/** EBS gp3 storage, USD per GiB-month (baseline IOPS and throughput included). */
export const GP3_USD_PER_GIB_MONTH = 0.08;
/**
 * Root volume size the launch template leaves to the AMI (the platform sets no size). 8 GiB is
 * Amazon Linux's default root volume; an assumption: use your AMI's size.
 */
export const ROOT_VOLUME_GIB = 8;

/**
 * The region switch (components/dns/regionSwitch.ts), per month. Route 53 prices a health check on
 * an AWS endpoint at $0.50 a month, and calculated, CLOUDWATCH_METRIC and RECOVERY_CONTROL checks
 * like one (no endpoint options); CloudWatch a standard-resolution alarm at $0.10 and a custom
 * metric at $0.30 a month; ARC bills each cluster by the hour, about $2.50 (the figure AWS's ARC
 * sample states; the routing-control docs say only "charged by the hour for each cluster":
 * https://docs.aws.amazon.com/r53recovery/latest/dg/routing-control.create.html). The pricing
 * pages below were not reachable from the build machines; the figures are the commonly quoted
 * list prices: check them there before relying on them.
 */
export const SWITCH_PRICE_SOURCES = {
  route53: "https://aws.amazon.com/route53/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  arc: "https://aws.amazon.com/application-recovery-controller/pricing/",
} as const;
export const ROUTE53_HEALTH_CHECK_USD_PER_MONTH = 0.5;
export const CLOUDWATCH_ALARM_USD_PER_MONTH = 0.1;
export const CLOUDWATCH_CUSTOM_METRIC_USD_PER_MONTH = 0.3;
export const ARC_CLUSTER_USD_PER_HOUR = 2.5;

/** The hourly price of an EC2 type, or undefined when the table does not list it (the report says so). */
export function ec2Hourly(instanceType: string): number | undefined {
  return EC2_HOURLY_USD[instanceType];
}

export function auroraHourly(instanceClass: string): number | undefined {
  return AURORA_HOURLY_USD[instanceClass];
}

/**
 * AWS Backup restore testing, USD per restore test (one restored resource), on top of the restored
 * resource's own charges while the validation window keeps it. Not confirmed offline: the pricing
 * page could not be read from these machines; check it before relying on the figure.
 */
export const RESTORE_TEST_USD = 1.5;
