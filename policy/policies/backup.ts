/**
 * Backups that survive the loss of a region: every data store is selected by an AWS Backup plan
 * whose rule copies its recovery points into a vault of another region. The plan may live in any
 * stack of the set: a secondary's own plan copies to the primary's vault, while the primary's copy
 * belongs to the links stack (the README's ownership table), so the stack set is read when the
 * caller has it (`plan`); CrossGuard sees one stack, and there only copies it can see are checked.
 */
import type { DrPolicy, PolicyContext, ResourceView, StackView } from "../model";
import { arnRegions, describe, isApplicationDataBucket, list, ofType, refersTo, str, T } from "../resources";

const BACKUP = {
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  vault: "aws:backup/vault:Vault",
} as const;

/** The role of the stack that owns the primary's cross-region backup copy. */
export const COPY_OWNER_OF_PRIMARY = "links";

/**
 * The data stores AWS Backup protects on this platform: Aurora clusters and the buckets that hold
 * application data (ALB access logs and game-day reports excepted). Keys and secrets are replicated, AMIs copied; they
 * have their own partner checks (recovery.ts).
 */
export function backupDataStores(stack: StackView): ResourceView[] {
  return [...ofType(stack.resources, T.cluster), ...ofType(stack.resources, T.bucket).filter(isApplicationDataBucket)];
}

/** Regions other than the store's own that a plan selecting the store copies its recovery points into. */
export function crossRegionCopies(store: ResourceView, everything: readonly ResourceView[]): string[] {
  const plans = ofType(everything, BACKUP.plan);
  const regions = ofType(everything, BACKUP.selection)
    .filter((s) => refersTo(s, "resources", store))
    .flatMap((s) => plans.filter((p) => refersTo(s, "planId", p)))
    .flatMap((p) => list(p.inputs.rules).flatMap((rule) => list(rule.copyActions)).flatMap((c) => arnRegions(c.destinationVaultArn, p, "rules", everything, [BACKUP.vault])))
    .filter((r) => r !== store.region);
  return [...new Set(regions)].sort();
}

/** A data store no plan copies to another region, and whose plan should: its stack's, or the links stack's. */
interface MissingCopy {
  readonly store: ResourceView;
  readonly message: string;
}

/** Copies the caller cannot judge yet are left out: a primary's before a links stack is in the set, or unseen under CrossGuard. */
function missingCopies(stack: StackView, ctx: PolicyContext): { missing: MissingCopy[]; awaitingLinks: MissingCopy[] } {
  // The description's scope: the region stacks' data (the links stack holds plan reports, not application data).
  if (stack.role !== "primary" && stack.role !== "secondary") return { missing: [], awaitingLinks: [] };
  const everything = [...stack.resources, ...(ctx.peers ?? []).flatMap((p) => p.resources)];
  const copyOwnedByLinks = stack.role === "primary";
  const linksInSet = (ctx.peers ?? []).some((p) => p.role === COPY_OWNER_OF_PRIMARY);
  const missing: MissingCopy[] = [];
  const awaitingLinks: MissingCopy[] = [];
  for (const store of backupDataStores(stack)) {
    if (crossRegionCopies(store, everything).length) continue;
    const arn = str(store.outputs.arn) ?? "its ARN";
    const locallyBackedUp = ofType(stack.resources, BACKUP.selection).some((s) => refersTo(s, "resources", store));
    const what = `${describe(store)} (${arn}, ${store.region ?? "unknown region"})`;
    if (!copyOwnedByLinks) {
      missing.push({ store, message: locallyBackedUp
        ? `${what}: its backup plan copies nowhere outside ${store.region ?? "its region"}; add a copyActions entry to the rule with destinationVaultArn the primary's vault (regional.backup.vaultArn) and a retention inside that vault's lock range.`
        : `${what}: no backup plan selects it; add its ARN to the stack's backup selection, with a rule that copies to the primary's vault.` });
      continue;
    }
    // CrossGuard sees one stack: the links stack's plan is out of its sight.
    if (!ctx.peers) continue;
    const fix = `the ${COPY_OWNER_OF_PRIMARY} stack's copy plan (stacks/backup.ts recoveryCopyPlan, in ${store.region ?? "the primary's region"}) must select ${arn} and copy to every secondary vault`;
    if (linksInSet) missing.push({ store, message: `${what}: no backup plan in the stack set copies it to another region; ${fix}.` });
    else awaitingLinks.push({ store, message: `${what}: no cross-region backup copy, and the stack set has no ${COPY_OWNER_OF_PRIMARY} stack to own it; ${fix}. Until a ${COPY_OWNER_OF_PRIMARY} stack is in the set, only the primary's own region holds its recovery points.` });
  }
  return { missing, awaitingLinks };
}

// Backups kept only where the data lives are lost with the region:
// https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html ;
// https://docs.aws.amazon.com/config/latest/developerguide/aurora-resources-protected-by-backup-plan.html (crossRegionList).
const crossRegionCopy: DrPolicy = {
  name: "backup-cross-region-copy",
  description: "Every Aurora cluster and data bucket in the primary and secondary stacks is selected by an AWS Backup plan (its own stack's, or the links stack's) whose rule copies to a vault in another region.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, ctx, report) => {
    for (const m of missingCopies(stack, ctx).missing) report(m.message, m.store.urn);
  },
};

/**
 * The fallback while the stack set has no links stack: the primary's missing copy is reported here,
 * named as what it is, instead of failing every `plan --strict` of a set that cannot yet contain
 * its owner. As soon as a links stack is in the set, backup-cross-region-copy judges the primary too.
 */
const awaitingLinks: DrPolicy = {
  name: "backup-cross-region-copy-awaiting-links",
  description: "While the stack set has no links stack, reports each primary data store that no backup plan copies to another region (the links stack's copy plan must).",
  pillar: "Reliability",
  enforcement: "advisory",
  kind: "stack",
  validate: (stack, ctx, report) => {
    for (const m of missingCopies(stack, ctx).awaitingLinks) report(m.message, m.store.urn);
  },
};

export const policies: readonly DrPolicy[] = [crossRegionCopy, awaitingLinks];
