/**
 * The shape of plan.json, the offline plan as data: its stacks, resources and cross-region links.
 * Types only, so that building, deriving and rendering the plan all read one definition.
 */
import type { DrStrategy, StackRole } from "../../stacks/configSchema";

export const PLAN_FORMAT_VERSION = 1;

export interface PlanStack {
  readonly stack: string;
  /** primary, secondary or links. */
  readonly role: StackRole;
  /** The stack's region; "multi-region" for the links stack, which has none of its own. */
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
  /** Input name -> URNs of the resources its value came from (what the policy pack matches companions by, at preview too). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The cloud's id of a custom resource as the mock answered it; null for components. */
  readonly id: string | null;
  /** Outputs as the mock cloud answered them (ids, ARNs, names): the state a stack policy sees after an update. */
  readonly outputs: Record<string, unknown>;
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

export type LinkKind = "global-database" | "s3-replication" | "secret-replica" | "ami-copy" | "kms-replica" | "backup-copy" | "dns-failover" | "region-switch";

/** One end of a link: a region, and the resource there when the plan holds it. */
export interface LinkEnd {
  readonly region: string;
  /** What sits at this end: a resource's logical name, an AWS identifier, or a DNS name. */
  readonly label: string;
  /** URN of the planned resource at this end, when there is one. */
  readonly urn?: string;
  readonly stack?: string;
}

export interface CrossRegionLink {
  readonly kind: LinkKind;
  /** The stack that owns (creates) the link. */
  readonly stack: string;
  /** URN of the resource that makes the link. */
  readonly urn: string;
  /** Where data or traffic flows from, and to. */
  readonly from: LinkEnd;
  readonly to: LinkEnd;
  /** One line for the report: role, direction and the settings that matter in an outage. */
  readonly detail: string;
}
