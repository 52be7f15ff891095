/**
 * The guardrails part of `plan`: runs the policy pack (policy/) on every evaluated stack, with the
 * other stacks as peers and each stack's dr:allowedRegions, and renders the outcome for report.md
 * and the terminal. Its --strict verdict is separate from the RTO/RPO one (recovery.ts).
 */
import { RecordedLike, viewsOfRecorded } from "../../policy/recorded";
import { countByPillar, mandatoryViolations, PolicyOutcome, runPolicies, Violation } from "../../policy/run";
import type { DrPolicy } from "../../policy/model";
import { isLinksConfig, StackConfig } from "../../stacks/configSchema";
import type { PlanDocument } from "./document";
import type { EvaluatedStack } from "./evaluatePlan";
import { stackRegion } from "./stackSet";

export interface PolicySection {
  readonly outcomes: readonly PolicyOutcome[];
  /** Markdown for report.md (a "## Guardrails" section). */
  readonly markdown: string;
  /** Lines for the terminal summary. */
  readonly summary: readonly string[];
}

/** Runs the pack (or the given policies) on the evaluated stacks. */
export function policySection(evaluated: readonly EvaluatedStack[], policies?: readonly DrPolicy[]): PolicySection {
  // Every region stack lists the same regions (validateStackSet); the links stack, which keeps no
  // data of its own but writes the replication that puts data there, is held to that list.
  const setAllowed = evaluated.map(({ planned }) => planned.config).find((c): c is StackConfig => !isLinksConfig(c))?.allowedRegions;
  const stacks = evaluated.map(({ planned, evaluation }) => ({
    view: { stack: planned.stack, role: planned.config.role, region: stackRegion(planned.config), resources: viewsOfRecorded(evaluation.resources) },
    allowedRegions: isLinksConfig(planned.config) ? setAllowed : planned.config.allowedRegions,
  }));
  const outcomes = runPolicies(stacks, policies);
  return { outcomes, markdown: renderPolicies(outcomes), summary: summarizePolicies(outcomes) };
}

/**
 * One stack's resources read back from plan.json, in the shape the pack's adapters take: what a
 * tool holding only plan.json needs to run the policies as `plan` (and the analyzer) does.
 */
export function recordedOfPlanDocument(doc: PlanDocument, stack: string): RecordedLike[] {
  return doc.resources.filter((r) => r.stack === stack).map((r) => ({
    type: r.type, name: r.name, urn: r.urn, parent: r.parent ?? undefined, inputs: r.inputs, outputs: r.outputs, id: r.id ?? undefined,
    region: r.region, provider: r.provider ? `${r.provider.urn}::${r.provider.name}` : undefined, propertyDependencies: r.propertyDependencies,
    dependsOn: r.dependsOn, custom: r.custom,
  }));
}

/** Why --strict fails on policy grounds: one line per mandatory violation (empty when there is none). */
export function policyStrictFailures(section: Pick<PolicySection, "outcomes">): string[] {
  const violations = mandatoryViolations(section.outcomes);
  return violations.length ? [`${violations.length} mandatory policy violation(s):\n${violations.map((v) => `  - ${line(v)}`).join("\n")}`] : [];
}

const line = (v: Violation) => `[${v.policy}] ${v.stack}: ${v.message}`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function renderPolicies(outcomes: readonly PolicyOutcome[]): string {
  const out = ["## Guardrails (policy pack, by Well-Architected pillar)", "",
    "The policies of `policy/` (the CrossGuard pack), run on every stack's recorded resources. Mandatory violations fail `plan --strict` and `pulumi preview --policy-pack policy`.", "",
    "| pillar | policies | passed | violated |", "| --- | --- | --- | --- |",
    ...countByPillar(outcomes).map((c) => `| ${c.pillar} | ${c.passed + c.violated} | ${c.passed} | ${c.violated} |`), ""];
  for (const { pillar } of countByPillar(outcomes)) {
    const of = outcomes.filter((o) => o.policy.pillar === pillar);
    if (!of.length) continue;
    out.push(`### ${pillar}`, "", "| policy | enforcement | result | what it requires |", "| --- | --- | --- | --- |",
      ...of.map((o) => `| ${o.policy.name} | ${o.policy.enforcement} | ${o.violations.length ? `**${o.violations.length} violation(s)**` : "passed"} | ${cell(o.policy.description)} |`), "");
    const violations = of.flatMap((o) => o.violations);
    if (violations.length) out.push(...violations.map((v) => `- ${v.enforcement === "mandatory" ? "**mandatory**" : "advisory"} ${cell(line(v))}`), "");
  }
  return out.join("\n");
}

function summarizePolicies(outcomes: readonly PolicyOutcome[]): string[] {
  const violated = outcomes.filter((o) => o.violations.length);
  const mandatory = mandatoryViolations(outcomes);
  const perPillar = countByPillar(outcomes).filter((c) => c.passed + c.violated).map((c) => `${c.pillar} ${c.passed}/${c.passed + c.violated}`).join(", ");
  return [
    `policies: ${outcomes.length - violated.length} of ${outcomes.length} passed (${perPillar}); ${mandatory.length} mandatory and ${outcomes.flatMap((o) => o.violations).length - mandatory.length} advisory violation(s)`,
    ...mandatory.map((v) => `  MANDATORY ${line(v)}`),
  ];
}
