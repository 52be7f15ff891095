/**
 * plan.json: the offline plan as data. A contract (documented in the README): tools and later
 * issues (policy, drills) read it, so fields are only ever added, and `formatVersion` changes
 * when a field changes meaning.
 */
import { PROJECT_NAME } from "../engine/evaluate";
import { EvaluatedStack } from "./evaluatePlan";
import { PLAN_FORMAT_VERSION, PlanDocument, PlanResource, PlanStack } from "./document";
import { deriveLinks } from "./links";
import { isRegionStack, stackRegion } from "./stackSet";

export function buildPlanDocument(evaluated: readonly EvaluatedStack[]): PlanDocument {
  const regionStacks = evaluated.map((e) => e.planned).filter(isRegionStack);
  // A links stack has no strategy of its own: it serves the deployment's.
  const strategy = (regionStacks.find((s) => s.config.role === "primary") ?? regionStacks[0])?.config.strategy;
  const stacks = evaluated.map(({ planned, evaluation, stackReferences }): PlanStack => ({
    stack: planned.stack,
    role: planned.config.role,
    region: stackRegion(planned.config),
    strategy: isRegionStack(planned) ? planned.config.strategy : strategy ?? "warm-standby",
    outputs: evaluation.outputs,
    stackReferences,
  }));
  const resources = evaluated.flatMap(({ planned, evaluation }) => {
    const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
    const providerOf = (ref: string | undefined): PlanResource["provider"] => {
      const urn = ref?.split("::").slice(0, -1).join("::");
      const p = urn ? byUrn.get(urn) : undefined;
      return p ? { name: p.name, urn: p.urn, region: p.region } : null;
    };
    return evaluation.resources.map((r): PlanResource => ({
      stack: planned.stack,
      region: r.region,
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent ?? null,
      provider: providerOf(r.provider ?? r.providers.aws),
      inputs: r.inputs,
      dependsOn: r.dependsOn,
      propertyDependencies: r.propertyDependencies,
      id: r.id ?? null,
      outputs: r.outputs,
      ignoreChanges: r.ignoreChanges,
      protect: r.protect,
      custom: r.custom,
    }));
  });
  return { formatVersion: PLAN_FORMAT_VERSION, project: PROJECT_NAME, stacks, resources, links: deriveLinks(resources, stacks) };
}
