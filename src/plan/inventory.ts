/**
 * Counting helpers shared by the report and the terminal summary: what a stack registers, per
 * region and per top-level component. Works on type tokens only, so new components count
 * without changes here.
 */
import type { PlanDocument, PlanResource } from "./document";

const ROOT_STACK = "pulumi:pulumi:Stack";

/** Resources AWS would create or read: everything but components, providers and the root stack. */
export function isCloudResource(r: PlanResource): boolean {
  return r.custom && !r.type.startsWith("pulumi:");
}

export function resourcesOfStack(doc: PlanDocument, stack: string): PlanResource[] {
  return doc.resources.filter((r) => r.stack === stack && r.type !== ROOT_STACK);
}

/** Cloud resources per region, regions sorted by name. */
export function countByRegion(resources: readonly PlanResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources.filter(isCloudResource)) counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export interface ComponentCount {
  readonly component: PlanResource;
  /** Cloud resources anywhere below the component. */
  readonly cloudResources: number;
  /** Components below it (not counting itself). */
  readonly components: number;
}

/** Top-level components (children of the root stack) with what they contain, in registration order. */
export function topLevelComponents(resources: readonly PlanResource[]): ComponentCount[] {
  const root = new Set(resources.filter((r) => r.type === ROOT_STACK).map((r) => r.urn));
  const children = new Map<string, PlanResource[]>();
  for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const descendants = (urn: string): PlanResource[] => (children.get(urn) ?? []).flatMap((c) => [c, ...descendants(c.urn)]);
  return resources
    .filter((r) => !r.custom && r.type !== ROOT_STACK && (!r.parent || root.has(r.parent) || !resources.some((p) => p.urn === r.parent)))
    .map((component) => {
      const below = descendants(component.urn);
      return { component, cloudResources: below.filter(isCloudResource).length, components: below.filter((r) => !r.custom).length };
    });
}
