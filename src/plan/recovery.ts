/**
 * The RTO/RPO section of the plan: the one place the plan calls the recovery model
 * (src/model/recovery.ts). Each secondary is a failover target of the primary, so each gets its
 * own estimate; the plan meets its objectives only when every one of them passes.
 */
import { estimateRecovery, formatRecovery, RecoveryEstimate } from "../model/recovery";
import { isRegionStack, PlannedStack } from "./stackSet";

export interface RecoverySection {
  /** Markdown for report.md (a "## Recovery objectives" section). */
  readonly markdown: string;
  /** Lines for the terminal summary: one verdict per failover target. */
  readonly summary: readonly string[];
  /** Whether every failover target meets its RTO and RPO targets. */
  readonly objectivesMet: boolean;
  readonly estimates: readonly { readonly stack: string; readonly estimate: RecoveryEstimate }[];
}

export function recoverySection(planned: readonly PlannedStack[]): RecoverySection {
  // Only region stacks fail over; the links stack joins them.
  const stacks = planned.filter(isRegionStack);
  const primary = stacks.find((s) => s.config.role === "primary");
  const estimates = primary
    ? stacks.filter((s) => s !== primary).map((s) => ({ stack: s.stack, estimate: estimateRecovery({ primary: primary.config, secondary: s.config }) }))
    : [];
  const verdict = (e: RecoveryEstimate) =>
    `RTO ${e.rto.seconds} s / target ${e.rto.targetSeconds} s ${e.rto.pass ? "PASS" : "FAIL"} (dominant: ${e.rto.dominant}); ` +
    `RPO ${e.rpo.seconds} s / target ${e.rpo.targetSeconds} s ${e.rpo.pass ? "PASS" : "FAIL"} (dominant: ${e.rpo.dominant})`;
  const markdown = ["## Recovery objectives (RTO/RPO)", ""];
  for (const { stack, estimate } of estimates) {
    markdown.push(`### Failover from ${primary!.stack} (${primary!.config.region}) to ${stack} (${stacks.find((s) => s.stack === stack)!.config.region})`, "",
      `**${verdict(estimate)}**`, "", "```text", formatRecovery(estimate), "```", "");
  }
  if (!estimates.length) markdown.push("No secondary stack: nothing to fail over to, so no recovery estimate.", "");
  return {
    markdown: markdown.join("\n"),
    summary: estimates.map(({ stack, estimate }) => `RTO/RPO to ${stack}: ${verdict(estimate)}`),
    objectivesMet: estimates.length > 0 && estimates.every(({ estimate }) => estimate.rto.pass && estimate.rpo.pass),
    estimates,
  };
}
