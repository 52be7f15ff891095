/**
 * The shape of a guardrail, independent of who runs it. A policy is written once against these
 * views; `crossGuard.ts` adapts it to Pulumi CrossGuard (`pulumi preview --policy-pack policy`)
 * and `run.ts` runs it on the resources `plan` recorded under the mock engine.
 * No imports of @pulumi/policy here: constructing a PolicyPack starts the analyzer server.
 */

/** The six pillars of the AWS Well-Architected Framework (https://docs.aws.amazon.com/wellarchitected/latest/framework/the-pillars-of-the-framework.html). */
export const PILLARS = [
  "Operational Excellence",
  "Security",
  "Reliability",
  "Performance Efficiency",
  "Cost Optimization",
  "Sustainability",
] as const;
export type Pillar = (typeof PILLARS)[number];

/** mandatory blocks a deploy (and `plan --strict`); advisory only reports. */
export type Enforcement = "mandatory" | "advisory";

/** One resource as a policy sees it, whether CrossGuard or `plan` supplied it. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  /** Inputs as AWS would receive them. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Outputs when known (ids, ARNs); CrossGuard's stack validation and the mock engine give them, a preview of a new resource mostly not. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** AWS region the resource lives in, when known. */
  readonly region?: string;
  /** Inputs of the provider that creates it (region, defaultTags), when known. */
  readonly providerInputs?: Readonly<Record<string, unknown>>;
  /** Input name -> URNs of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** False for component resources. */
  readonly custom: boolean;
}

/** One stack: its resources, and what is known of its place in the stack set. */
export interface StackView {
  readonly stack: string;
  /** dr:role of the stack (primary, secondary, links), when known. */
  readonly role?: string;
  /** The stack's home region, when known. */
  readonly region?: string;
  readonly resources: readonly ResourceView[];
}

/** What a policy may know beyond the resource or stack it checks. */
export interface PolicyContext {
  /** Where data may live (a policy-config file's list, else dr:allowedRegions); undefined means anywhere. */
  readonly allowedRegions?: readonly string[];
  /** dr:allowedRegions as the stack config says, when the caller knows it (CrossGuard: PULUMI_CONFIG). */
  readonly allowedRegionsFromStack?: readonly string[];
  /**
   * The other stacks of the set, when the caller knows them (`plan` does). CrossGuard sees one
   * stack at a time, so checks that need another stack are skipped there.
   */
  readonly peers?: readonly StackView[];
  /** The stack the checked resource belongs to (CrossGuard's resource validation does not know it). */
  readonly stack?: StackView;
}

/** Reports a violation at the policy's enforcement level, or (advisory true) as advice only. */
export type Report = (message: string, urn?: string, advisory?: boolean) => void;

interface PolicyBase {
  /** Unique, kebab-case; the name CrossGuard shows. */
  readonly name: string;
  /** What the policy requires, one sentence. */
  readonly description: string;
  readonly pillar: Pillar;
  readonly enforcement: Enforcement;
}

/** Checks one resource at a time; `types` limits it to those type tokens. */
export interface ResourcePolicy extends PolicyBase {
  readonly kind: "resource";
  readonly types: readonly string[];
  readonly validate: (resource: ResourceView, context: PolicyContext, report: Report) => void;
}

/** Checks a whole stack (resources that only make sense together: a bucket and its versioning). */
export interface StackPolicy extends PolicyBase {
  readonly kind: "stack";
  readonly validate: (stack: StackView, context: PolicyContext, report: Report) => void;
}

export type DrPolicy = ResourcePolicy | StackPolicy;
