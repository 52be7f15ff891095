/**
 * Which AZs can run the fleet. Not every AZ offers every instance type (older AZs lack newer
 * families), and an Auto Scaling group cannot launch a type in an AZ that does not offer it, so the
 * subnets of such an AZ would hold no instances. EC2 reports offerings per AZ with
 * DescribeInstanceTypeOfferings --location-type availability-zone.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
 * https://www.pulumi.com/registry/packages/aws/api-docs/ec2/getinstancetypeofferings
 * Pure: no Pulumi imports.
 */

/** One instance type offered in one AZ. */
export interface InstanceTypeOffering {
  readonly instanceType: string;
  readonly availabilityZone: string;
}

/** The offerings out of getInstanceTypeOfferings' parallel lists (locationType "availability-zone"). */
export function offeringsOf(result: { readonly instanceTypes: readonly string[]; readonly locations: readonly string[] }): InstanceTypeOffering[] {
  return result.instanceTypes.map((instanceType, i) => ({ instanceType, availabilityZone: result.locations[i] }));
}

/** For each candidate AZ, the instance types it lacks (empty when it offers them all). */
export function missingTypesByZone(candidates: readonly string[], instanceTypes: readonly string[], offerings: readonly InstanceTypeOffering[]): Map<string, string[]> {
  const offered = new Set(offerings.map((o) => `${o.availabilityZone}/${o.instanceType}`));
  return new Map(candidates.map((az) => [az, instanceTypes.filter((t) => !offered.has(`${az}/${t}`))]));
}

export interface FleetZoneRequest {
  readonly region: string;
  /** AZ names in the order the region reports them. */
  readonly candidates: readonly string[];
  /** The instance types of every tier that builds. */
  readonly instanceTypes: readonly string[];
  /** How many AZs the stack spans (dr:azCount). */
  readonly count: number;
  readonly offerings: readonly InstanceTypeOffering[];
}

/**
 * The first `count` candidate AZs that offer every instance type. Throws one error naming each AZ
 * left out and the type it lacks, and the two fixes, when fewer qualify.
 */
export function chooseFleetZones(req: FleetZoneRequest): string[] {
  const missing = missingTypesByZone(req.candidates, req.instanceTypes, req.offerings);
  const qualifying = req.candidates.filter((az) => missing.get(az)!.length === 0);
  if (qualifying.length >= req.count) return qualifying.slice(0, req.count);
  const gaps = [...missing].filter(([, types]) => types.length > 0).map(([az, types]) => `${az} does not offer ${types.join(", ")}`);
  // Two AZs are the least a region may span (dr:azCount's floor), so fewer leave only the type fix.
  const lowerCount = qualifying.length >= 2 ? `, or set dr:azCount to ${qualifying.length}` : "";
  throw new Error(
    `dr:azCount is ${req.count} but only ${qualifying.length} AZ(s) of ${req.region} (${qualifying.join(", ") || "none"}) offer every instance type in dr:capacity (${req.instanceTypes.join(", ")}): ${gaps.join("; ")}. ` +
    `Choose instance types offered in at least ${req.count} AZs (aws ec2 describe-instance-type-offerings --location-type availability-zone --region ${req.region})${lowerCount}.`,
  );
}
