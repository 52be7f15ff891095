/**
 * Static stability (README): what of a stack's evaluation reaches outside its home region.
 * A secondary must register nothing in, hold no provider for, and invoke nothing through another
 * region, so that `pulumi up` of it works while the primary's region answers nothing.
 * Providers and resources are judged by the same function the `static-stability` policy uses;
 * invokes are seen only here (a policy sees no invokes).
 */
import { foreignRegionResources } from "../../policy/regionalScope";
import { Evaluation } from "../../src/engine/evaluate";

export { GLOBAL_SERVICE_TYPES } from "../../policy/regionalScope";

/** Every provider, resource and invoke of the evaluation that points to another region than `home`, one line each. */
export function foreignRegionUse(ev: Evaluation, home: string): string[] {
  const registered = foreignRegionResources(ev.resources, home).map((u) => u.line);
  const invokes = ev.invokes.filter((i) => i.region !== home).map((i) => `invoke ${i.token} through ${i.region}`);
  return [...registered, ...invokes];
}
