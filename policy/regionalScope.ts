/**
 * Static stability (README): what of a stack reaches outside its home region. One definition,
 * used by the `static-stability` policy and by the tests' check of every strategy
 * (test/harness/staticStability.ts), so the two cannot drift apart. Structural types only.
 */

import { UNKNOWN } from "./resources";

/**
 * Pulumi AWS modules of global services: their resources are not region-specific, and the control
 * plane sits in one region whichever provider registers them ("global services ... their control
 * plane is hosted in a single AWS Region, while their data plane is globally distributed":
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html).
 * That page names IAM and Organizations (partitional), Route 53, CloudFront and Global Accelerator
 * (edge network), and Route 53 ARC's control plane (us-west-2). Route 53 Resolver
 * (`aws:route53/resolver...`) is a regional API and does not count; nor do services that are global
 * only in one configuration (WAF with CLOUDFRONT scope, ACM certificates for CloudFront): their type
 * alone does not say, so they are judged by region like everything else.
 */
export const GLOBAL_SERVICE_MODULES: readonly string[] = [
  "iam", "organizations", "route53", "route53recoverycontrolconfig", "route53recoveryreadiness", "cloudfront", "globalaccelerator",
];

/** The type tokens of GLOBAL_SERVICE_MODULES (aws:<module>/...), Route 53 Resolver excepted. */
export const GLOBAL_SERVICE_TYPES = new RegExp(`^aws:(${GLOBAL_SERVICE_MODULES.join("|")})\\/(?!resolver)`);

/** Whether a resource type belongs to a global service, so its recorded region does not matter. */
export const isGlobalServiceType = (type: string): boolean => GLOBAL_SERVICE_TYPES.test(type);

/** What the check needs of a resource (a recorded resource and a policy's ResourceView both fit). */
export interface RegionScopedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly region?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly custom: boolean;
}

/** One thing outside the home region: the resource (or provider) and a line naming it and its region. */
export interface ForeignUse {
  readonly urn: string;
  readonly line: string;
  readonly region: string;
}

/**
 * Every AWS provider for another region than `home`, and every AWS resource (global services
 * aside) registered in another region: through a provider of that region, or by its own `region`
 * input (aws v7 takes a per-resource region that overrides the provider's).
 */
export function foreignRegionResources(resources: readonly RegionScopedResource[], home: string): ForeignUse[] {
  const out: ForeignUse[] = [];
  for (const r of resources) {
    if (r.type === "pulumi:providers:aws") {
      const region = r.inputs.region;
      if (typeof region === "string" && region !== UNKNOWN && region !== home) out.push({ urn: r.urn, region, line: `provider ${r.name} for ${region}` });
      continue;
    }
    if (!r.custom || !r.type.startsWith("aws:") || isGlobalServiceType(r.type)) continue;
    // Foreign through its provider, or through its own region input; an unknown region is not judged.
    const own = typeof r.inputs.region === "string" && r.inputs.region !== UNKNOWN ? r.inputs.region : undefined;
    const region = own !== undefined && own !== home ? own : r.region;
    if (region !== undefined && region !== home) out.push({ urn: r.urn, region, line: `${r.type} ${r.name} in ${region}` });
  }
  return out;
}
