/**
 * Commercial AWS regions and how many Availability Zones a new account can place subnets in.
 * Pure data: config validation needs it before any provider call is allowed to happen.
 * Counts follow AWS's published AZ lists (us-west-1 exposes only two AZs to new accounts).
 */
export const REGION_AZ_COUNTS: Readonly<Record<string, number>> = {
  "us-east-1": 6,
  "us-east-2": 3,
  "us-west-1": 2,
  "us-west-2": 4,
  "ca-central-1": 3,
  "ca-west-1": 3,
  "mx-central-1": 3,
  "sa-east-1": 3,
  "eu-west-1": 3,
  "eu-west-2": 3,
  "eu-west-3": 3,
  "eu-central-1": 3,
  "eu-central-2": 3,
  "eu-north-1": 3,
  "eu-south-1": 3,
  "eu-south-2": 3,
  "il-central-1": 3,
  "me-south-1": 3,
  "me-central-1": 3,
  "af-south-1": 3,
  "ap-east-1": 3,
  "ap-south-1": 3,
  "ap-south-2": 3,
  "ap-northeast-1": 3,
  "ap-northeast-2": 4,
  "ap-northeast-3": 3,
  "ap-southeast-1": 3,
  "ap-southeast-2": 3,
  "ap-southeast-3": 3,
  "ap-southeast-4": 3,
  "ap-southeast-5": 3,
  "ap-southeast-7": 3,
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_AZ_COUNTS);

export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(REGION_AZ_COUNTS, region);
}

/** The shape of every AWS region code: area, direction (one or more words), number (us-west-2, ap-southeast-4, us-gov-west-1). */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** True for a string shaped like a region code, listed in KNOWN_REGIONS or not (a region newer than the list). */
export function isRegionName(region: string): boolean {
  return REGION_NAME.test(region);
}

/** The AZ names a region offers, in the order AWS lists them ("us-east-1a", "us-east-1b", ...). */
export function availabilityZoneNames(region: string): string[] {
  const count = REGION_AZ_COUNTS[region];
  if (count === undefined) throw new Error(`unknown region "${region}"`);
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** The regions Route 53 health checkers run from (at least three must be chosen when any are). */
export const HEALTH_CHECKER_REGIONS: readonly string[] = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
];
