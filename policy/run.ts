/**
 * Runs policies over a set of stacks without CrossGuard: what `plan` and the tests use. Resource
 * policies see each resource with its stack; stack policies see the stack and its peers.
 */
import { DrPolicy, Enforcement, PILLARS, Pillar, PolicyContext, ResourceView, StackView } from "./model";
import { allPolicies } from "./registry";

export interface Violation {
  readonly policy: string;
  readonly pillar: Pillar;
  readonly enforcement: Enforcement;
  readonly stack: string;
  /** The resource in violation, when the policy named one. */
  readonly urn?: string;
  readonly message: string;
}

export interface PolicyOutcome {
  readonly policy: DrPolicy;
  readonly violations: readonly Violation[];
}

export interface StackUnderPolicy {
  readonly view: StackView;
  /** dr:allowedRegions of the stack. */
  readonly allowedRegions?: readonly string[];
}

/** Whether a resource policy applies to a resource (an empty type list means every resource). */
export const appliesTo = (policy: { types: readonly string[] }, r: ResourceView): boolean => policy.types.length === 0 || policy.types.includes(r.type);

/**
 * Runs every policy on every stack; each stack's peers are the other stacks given. With
 * `peersKnown` false the stacks are checked as CrossGuard sees them: each alone, the rest unknown.
 */
export function runPolicies(stacks: readonly StackUnderPolicy[], policies: readonly DrPolicy[] = allPolicies(), peersKnown = true): PolicyOutcome[] {
  return policies.map((policy) => {
    const violations: Violation[] = [];
    for (const { view, allowedRegions } of stacks) {
      const context: PolicyContext = { allowedRegions, allowedRegionsFromStack: allowedRegions, peers: peersKnown ? stacks.filter((s) => s.view !== view).map((s) => s.view) : undefined, stack: view };
      const record = (message: string, urn?: string, advisory?: boolean) =>
        violations.push({ policy: policy.name, pillar: policy.pillar, enforcement: advisory ? "advisory" : policy.enforcement, stack: view.stack, urn, message });
      if (policy.kind === "stack") policy.validate(view, context, record);
      else for (const r of view.resources.filter((x) => appliesTo(policy, x))) policy.validate(r, context, (message, _urn, advisory) => record(message, r.urn, advisory));
    }
    return { policy, violations };
  });
}

export interface PillarCount {
  readonly pillar: Pillar;
  readonly passed: number;
  readonly violated: number;
}

/** Policies passed and violated per Well-Architected pillar, in the framework's order. */
export function countByPillar(outcomes: readonly PolicyOutcome[]): PillarCount[] {
  return PILLARS.map((pillar) => {
    const of = outcomes.filter((o) => o.policy.pillar === pillar);
    return { pillar, passed: of.filter((o) => !o.violations.length).length, violated: of.filter((o) => o.violations.length).length };
  });
}

export const mandatoryViolations = (outcomes: readonly PolicyOutcome[]): Violation[] =>
  outcomes.flatMap((o) => o.violations).filter((v) => v.enforcement === "mandatory");
