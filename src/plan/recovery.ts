/**
 * The RTO/RPO section of the plan: the one place the plan calls the recovery model
 * (src/model/recovery.ts). Each secondary is a failover target of the primary, so each gets its
 * own estimate; the plan meets its objectives only when every one of them passes.
 */
import { estimateRecovery, formatRecovery, RecoveryEstimate, rtoByStartMode } from "../model/recovery";
import { formatReadiness, readinessByStrategy, regionSwitchCosts } from "../model/readiness";
import type { StackConfig } from "../../stacks/configSchema";
import { isRegionStack, PlannedStack } from "./stackSet";
import { failoverRoleOf } from "../../stacks/dnsRoles";

export interface RecoverySection {
  /** Markdown for report.md (a "## Recovery objectives" section). */
  readonly markdown: string;
  /** Lines for the terminal summary: one verdict per failover target. */
  readonly summary: readonly string[];
  /** Whether every failover target meets its RTO and RPO targets. */
  readonly objectivesMet: boolean;
  /** Why the objectives are not met, one line per failing verdict (empty when met). */
  readonly failures: readonly string[];
  readonly estimates: readonly { readonly stack: string; readonly estimate: RecoveryEstimate }[];
}

export function recoverySection(planned: readonly PlannedStack[]): RecoverySection {
  // Only region stacks fail over; the links stack joins them.
  const stacks = planned.filter(isRegionStack);
  const primary = stacks.find((s) => s.config.role === "primary");
  const estimates = primary
    ? stacks.filter((s) => s !== primary).map((s) => ({ stack: s.stack, estimate: estimateRecovery({ primary: primary.config, secondary: s.config, start: primary.config.recovery.mode }) }))
    : [];
  const verdict = (e: RecoveryEstimate) =>
    `RTO ${e.rto.seconds} s / target ${e.rto.targetSeconds} s ${e.rto.pass ? "PASS" : "FAIL"} (dominant: ${e.rto.dominant}); ` +
    `RPO ${e.rpo.seconds} s / target ${e.rpo.targetSeconds} s ${e.rpo.pass ? "PASS" : "FAIL"} (dominant: ${e.rpo.dominant})`;
  const markdown = ["## Recovery objectives (RTO/RPO)", ""];
  for (const { stack, estimate } of estimates) {
    const secondary = stacks.find((s) => s.stack === stack)!.config;
    markdown.push(`### Failover from ${primary!.stack} (${primary!.config.region}) to ${stack} (${secondary.region})`, "",
      `**${verdict(estimate)}** (recovery started by: ${estimate.startMode}, dr:recovery.mode)`, "",
      ...recordChangeNote(primary!, { stack, config: secondary }, stacks),
      ...startModeTable(primary!.config, secondary), "",
      "```text", formatRecovery(estimate), "```", "",
      ...sensitivity(primary!.config, secondary, estimate), "",
      "#### Cost of readiness by strategy", "", formatReadiness(readinessByStrategy(primary!.config, secondary), secondary.strategy, { costs: regionSwitchCosts(primary!.config), configured: primary!.config.regionSwitch.mechanism }), "");
  }
  if (!estimates.length) markdown.push("No secondary stack: nothing to fail over to, so no recovery estimate.", "");
  return {
    markdown: markdown.join("\n"),
    // The terminal says it too: a region outside the failover pair reaches these figures only after a record change.
    summary: estimates.map(({ stack, estimate }) => `RTO/RPO to ${stack}: ${verdict(estimate)}` +
      (recordChangeNote(primary!, { stack, config: stacks.find((s) => s.stack === stack)!.config as StackConfig }, stacks).length ? " (needs a record change first: report.md)" : "")),
    objectivesMet: estimates.length > 0 && estimates.every(({ estimate }) => estimate.rto.pass && estimate.rpo.pass),
    failures: estimates.flatMap(({ stack, estimate }) => [
      ...(estimate.rto.pass ? [] : [`${stack}: RTO ${estimate.rto.seconds} s exceeds the ${estimate.rto.targetSeconds} s target (dominant: ${estimate.rto.dominant})`]),
      ...estimate.stores.filter((v) => !v.pass).map((v) => `${stack}: ${v.message}`),
    ]),
    estimates,
  };
}

/**
 * A secondary outside the failover record set (three or more regions) takes traffic only once it
 * holds the SECONDARY record: a Route 53 record change (us-east-1's control plane), that is a deploy
 * made while every region answers, before these figures apply. The drills refuse it (--to).
 */
function recordChangeNote(primary: PlannedStack, secondary: { stack: string; config: StackConfig }, stacks: readonly PlannedStack[]): string[] {
  const p = primary.config as StackConfig;
  const first = p.replicaRegions?.[0];
  if (failoverRoleOf(secondary.config, first) !== undefined || secondary.config.strategy === "active-active") return [];
  const holder = stacks.find((s) => s !== primary && (s.config as StackConfig).region === first)?.stack ?? first;
  const order = [secondary.config.region, ...(p.replicaRegions ?? []).filter((r) => r !== secondary.config.region)];
  return [
    `**Needs a record change first:** ${secondary.config.region} holds no failover record (${holder} holds the SECONDARY). These figures apply once it does: ` +
      `set dr:replicaRegions of ${primary.stack} to [${order.join(", ")}] and deploy ${primary.stack}, ${holder}, ${secondary.stack}, then links, while every region answers ` +
      "(a Route 53 change through us-east-1's control plane, so not during an outage of us-east-1; the drills refuse --to this region until then).", "",
  ];
}

/** The RTO for each way recovery can start, side by side: the configured one is what the verdict and `--strict` judge. */
function startModeTable(primary: StackConfig, secondary: StackConfig): string[] {
  const label: Record<string, string> = {
    person: "person (paged, then starts recovery)",
    alarm: "alarm (trigger in the recovery region starts the Region switch plan)",
    drill: "drill (run by hand at detection; what drills compare with)",
  };
  return [
    "#### RTO by who starts recovery", "",
    "| start | decision s | RTO s | target s | verdict | dominant | how the decision term is made |",
    "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ...rtoByStartMode({ primary, secondary }).map((r) =>
      `| ${r.configured ? `**${label[r.mode]}** (configured)` : label[r.mode]} | ${r.decision.seconds} | ${r.rto.seconds} | ${r.rto.targetSeconds} | ${r.rto.pass ? "PASS" : "FAIL"} | ${r.rto.dominant} | ${r.decision.source} |`),
  ];
}

/**
 * The figure the model's assumptions hide, so no reader takes the headline for a bound: the RTO
 * when the database failover takes twice AWS's "less than a minute".
 */
function sensitivity(primary: StackConfig, secondary: StackConfig, e: RecoveryEstimate): string[] {
  const slowDb = estimateRecovery({ primary, secondary, start: e.startMode, assumptions: { ...e.assumptions, databaseFailoverSeconds: 2 * e.assumptions.databaseFailoverSeconds } });
  return [
    "Sensitivity (same configuration, other assumptions):", "",
    `- database failover taking ${slowDb.assumptions.databaseFailoverSeconds} s instead of ${e.assumptions.databaseFailoverSeconds} s: RTO ${slowDb.rto.seconds} s`,
  ];
}
