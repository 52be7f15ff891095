/**
 * report.md: what a reviewer reads before a deploy. Per stack, resources per region and per
 * component; then the cross-region links, the game days, the DR strategy, the RTO/RPO model and the guardrails.
 */
import { countByRegion, resourcesOfStack, topLevelComponents } from "./inventory";
import type { CrossRegionLink, LinkKind, PlanDocument } from "./document";
import type { PolicySection } from "./policies";
import type { RecoverySection } from "./recovery";
import { gameDaySection } from "./gameDays";
import { plannedAlarms, renderAlarms } from "./alarms";
import { regionSwitchSection } from "./regionSwitch";

const LINK_TITLES: Readonly<Record<LinkKind, string>> = {
  "global-database": "Global database membership",
  "s3-replication": "S3 replication pairs",
  "secret-replica": "Secret replicas",
  "ami-copy": "AMI copies",
  "kms-replica": "KMS replica keys",
  "backup-copy": "Backup copies",
  "dns-failover": "Failover and latency records",
  "region-switch": "Region switches (each held outside the region it switches off)",
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");

export function renderReport(doc: PlanDocument, recovery: RecoverySection, policies?: Pick<PolicySection, "markdown">): string {
  const primary = doc.stacks.find((s) => s.role === "primary");
  // The active region (dr:activeRegion, resolved) is what the primary exported; it defaults to the primary's region.
  const exported = (primary?.outputs.shared as { activeRegion?: unknown } | undefined)?.activeRegion;
  const active = typeof exported === "string" ? exported : primary?.region;
  const standby = doc.stacks.filter((s) => s.role !== "links" && s.region !== active).map((s) => s.region);
  const out: string[] = [
    `# DR plan: ${doc.project}`,
    "",
    `Offline plan under the Pulumi mock engine: no AWS calls were made. Stacks in deploy order: ${doc.stacks.map((s) => `${s.stack} (${s.role}, ${s.region})`).join(", ")}; destroy in the reverse order.`,
    "",
    "## DR strategy",
    "",
    `Strategy **${primary?.strategy ?? doc.stacks[0]?.strategy}**: ${active ? `${active} serves traffic` : "no primary"}; ` +
      `${standby.join(", ") || "no region"} stand${standby.length > 1 ? "" : "s"} by.`,
    "",
  ];
  for (const s of doc.stacks) out.push(...stackSection(doc, s.stack));
  out.push(...linksSection(doc.links), renderAlarms(plannedAlarms(doc)), ...regionSwitchSection(doc), ...gameDaySection(doc), recovery.markdown);
  if (policies) out.push(policies.markdown);
  return out.join("\n");
}

function stackSection(doc: PlanDocument, stack: string): string[] {
  const s = doc.stacks.find((x) => x.stack === stack)!;
  const resources = resourcesOfStack(doc, stack);
  const components = topLevelComponents(resources);
  const refs = Object.keys(s.stackReferences);
  return [
    `## Stack ${stack} (${s.role}, ${s.region})`,
    "",
    ...(refs.length ? [`Reads by stack reference: ${refs.join(", ")} (outputs ${refs.flatMap((r) => Object.keys(s.stackReferences[r])).join(", ")}).`, ""] : []),
    "Cloud resources per region (components and providers not counted):",
    "",
    table(["region", "resources"], countByRegion(resources).map(([region, n]) => [region, String(n)])),
    "",
    "Top-level components:",
    "",
    components.length
      ? table(["component", "type", "region", "resources below", "components below"],
        components.map((c) => [c.component.name, c.component.type, c.component.region, String(c.cloudResources), String(c.components)]))
      : "(none)",
    "",
    `Outputs: ${Object.keys(s.outputs).join(", ") || "(none)"}.`,
    "",
  ];
}

function linksSection(links: readonly CrossRegionLink[]): string[] {
  const out = ["## Cross-region links", ""];
  if (!links.length) return [...out, "None: the stacks register no global database member, replication, secret replica, AMI copy, KMS replica key or failover record.", ""];
  for (const kind of Object.keys(LINK_TITLES) as LinkKind[]) {
    const ofKind = links.filter((l) => l.kind === kind);
    if (!ofKind.length) continue;
    out.push(`### ${LINK_TITLES[kind]}`, "", table(["from", "to", "owner", "detail"],
      ofKind.map((l) => [`${l.from.label} (${l.from.region})`, `${l.to.label} (${l.to.region})`, l.stack, l.detail])), "");
  }
  return out;
}
