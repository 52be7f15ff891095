/**
 * Static stability (DESIGN.md): what of a stack's evaluation reaches outside its home region.
 * A secondary must register nothing in, hold no provider for, and invoke nothing through another
 * region, so that `pulumi up` of it works while the primary's region answers nothing.
 */
import { Evaluation } from "../../src/engine/evaluate";

/**
 * AWS services whose control plane is global rather than the provider's region: IAM, and Route 53
 * (records, health checks, hosted zones). Route 53 Resolver (`aws:route53/resolver...`) is a
 * regional API and does not count. A secondary still manages these through its own region's
 * provider; the list says which resources would be tolerated if it did not.
 */
export const GLOBAL_SERVICE_TYPES = /^aws:(iam|route53)\/(?!resolver)/;

/** Every provider, resource and invoke of the evaluation that points to another region than `home`, one line each. */
export function foreignRegionUse(ev: Evaluation, home: string): string[] {
  const providers = ev.resources.filter((r) => r.type === "pulumi:providers:aws" && r.inputs.region !== home).map((p) => `provider ${p.name} for ${p.inputs.region}`);
  const resources = ev.resources
    .filter((r) => r.custom && r.type.startsWith("aws:") && !GLOBAL_SERVICE_TYPES.test(r.type))
    // A resource lives in its provider's region unless its own `region` input overrides it (aws v7).
    .filter((r) => r.region !== home || (r.inputs.region !== undefined && r.inputs.region !== home))
    .map((r) => `${r.type} ${r.name} in ${r.region}`);
  const invokes = ev.invokes.filter((i) => i.region !== home).map((i) => `invoke ${i.token} through ${i.region}`);
  return [...providers, ...resources, ...invokes];
}
