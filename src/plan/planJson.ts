/**
 * plan.json: the offline plan as data. A contract (documented in the README): tools and later
 * issues (policy, drills) read it, so fields are only ever added, and `formatVersion` changes
 * when a field changes meaning.
 */
import { PROJECT_NAME } from "../engine/evaluate";
import { DrStrategy, Role } from "../../stacks/configSchema";
import { EvaluatedStack } from "./evaluatePlan";
import { CrossRegionLink, deriveLinks } from "./links";

export const PLAN_FORMAT_VERSION = 1;

export interface PlanStack {
  readonly stack: string;
  readonly role: Role;
  readonly region: string;
  readonly strategy: DrStrategy;
  readonly outputs: Record<string, unknown>;
  /** Outputs of other stacks this stack read by stack reference, by the reference's name. */
  readonly stackReferences: Readonly<Record<string, Record<string, unknown>>>;
}

export interface PlanResource {
  readonly stack: string;
  /** Region of the resource; components: the region of their descendants ("multi-region" when mixed, "global" when none). */
  readonly region: string;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent: string | null;
  /** The provider that would create the resource (explicit or, for remote components, from `providers`), with its region. */
  readonly provider: { readonly name: string; readonly urn: string; readonly region: string } | null;
  /** Inputs as the provider would receive them; secrets read "[secret]", unknown values "[unknown]". */
  readonly inputs: Record<string, unknown>;
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly protect: boolean;
  /** False for component resources (groupings that AWS never sees). */
  readonly custom: boolean;
}

export interface PlanDocument {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly project: string;
  readonly stacks: readonly PlanStack[];
  readonly resources: readonly PlanResource[];
  readonly links: readonly CrossRegionLink[];
}

export function buildPlanDocument(evaluated: readonly EvaluatedStack[]): PlanDocument {
  const stacks = evaluated.map(({ planned, evaluation, stackReferences }): PlanStack => ({
    stack: planned.stack,
    role: planned.config.role,
    region: planned.config.region,
    strategy: planned.config.strategy,
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
      ignoreChanges: r.ignoreChanges,
      protect: r.protect,
      custom: r.custom,
    }));
  });
  return { formatVersion: PLAN_FORMAT_VERSION, project: PROJECT_NAME, stacks, resources, links: deriveLinks(resources, stacks) };
}
