/**
 * Subnet planning for a regional VPC. Pure arithmetic, no Pulumi: tested with tables and properties.
 *
 * The VPC range is cut into eight equal slots. Slots 0..5 hold one private (app) subnet per AZ, so
 * the tier that scales gets the most addresses. Slot 6 is cut into eight public subnets and slot 7
 * into eight isolated (database) subnets. Every AZ therefore gets the same three subnets, up to six
 * AZs, whatever the VPC size.
 */

/** Smallest subnet AWS allows (a /28 keeps 11 usable addresses after AWS's five reserved ones). */
export const SMALLEST_SUBNET_PREFIX = 28;
/** A VPC must be between /16 and /28. */
export const LARGEST_VPC_PREFIX = 16;
/** Public and isolated subnets are VPC prefix + 6; they must still be at least a /28. */
export const SMALLEST_PLANNABLE_VPC_PREFIX = SMALLEST_SUBNET_PREFIX - 6;
/** Six private slots of eight: the plan's ceiling on AZs. */
export const MAX_PLANNED_AZS = 6;

export type SubnetTier = "public" | "private" | "isolated";
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "isolated"];

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

export interface AzSubnets {
  readonly az: string;
  readonly public: string;
  readonly private: string;
  readonly isolated: string;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; returns undefined for anything that is not a canonical IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((base & hostMask(prefix)) !== 0) return undefined;
  return { base, prefix };
}

/** Why a string is not a usable CIDR ("host bits set", "not a CIDR"), or undefined when it is. */
export function cidrSyntaxProblem(text: string): string | undefined {
  const match = CIDR_PATTERN.exec(text.trim());
  if (!match) return "is not an IPv4 CIDR such as 10.0.0.0/16";
  if (match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) return "has an octet above 255 or a prefix above /32";
  if (!parseCidr(text)) return "has host bits set after the prefix; use the network address";
  return undefined;
}

export function formatCidr(cidr: Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

/** Number of addresses in a CIDR. */
export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + size(a);
  const bEnd = b.base + size(b);
  return a.base < bEnd && b.base < aEnd;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** The index-th block of the given prefix inside a range. */
export function subdivide(range: Cidr, newPrefix: number, index: number): Cidr {
  if (newPrefix < range.prefix) throw new Error(`cannot cut /${range.prefix} into larger /${newPrefix} blocks`);
  const count = 2 ** (newPrefix - range.prefix);
  if (index < 0 || index >= count) throw new Error(`block ${index} is outside the ${count} /${newPrefix} blocks of ${formatCidr(range)}`);
  return { base: range.base + index * 2 ** (32 - newPrefix), prefix: newPrefix };
}

/** Problems with a VPC CIDR for this plan, phrased as "<what is wrong>; <fix>". */
export function vpcCidrProblem(text: string): string | undefined {
  const syntax = cidrSyntaxProblem(text);
  if (syntax) return syntax;
  const cidr = parseCidr(text)!;
  if (cidr.prefix < LARGEST_VPC_PREFIX) return `is larger than AWS allows for a VPC; use a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_PLANNABLE_VPC_PREFIX}`;
  if (cidr.prefix > SMALLEST_PLANNABLE_VPC_PREFIX)
    return `is too small for the subnet plan (public and database subnets would be smaller than /${SMALLEST_SUBNET_PREFIX}); use a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_PLANNABLE_VPC_PREFIX}`;
  return undefined;
}

/** Three subnets per AZ, keyed by AZ name. Throws on a CIDR or AZ list the plan cannot hold. */
export function planSubnets(vpcCidr: string, azs: readonly string[]): AzSubnets[] {
  const problem = vpcCidrProblem(vpcCidr);
  if (problem) throw new Error(`VPC CIDR "${vpcCidr}" ${problem}`);
  if (azs.length < 1 || azs.length > MAX_PLANNED_AZS) throw new Error(`the subnet plan holds 1 to ${MAX_PLANNED_AZS} AZs, not ${azs.length}`);
  if (new Set(azs).size !== azs.length) throw new Error(`AZ names must be distinct: ${azs.join(", ")}`);
  const vpc = parseCidr(vpcCidr)!;
  const slot = (i: number) => subdivide(vpc, vpc.prefix + 3, i);
  return azs.map((az, i) => ({
    az,
    private: formatCidr(slot(i)),
    public: formatCidr(subdivide(slot(6), vpc.prefix + 6, i)),
    isolated: formatCidr(subdivide(slot(7), vpc.prefix + 6, i)),
  }));
}
