/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy` (from the project folder).
 * Constructing the PolicyPack starts the analyzer server, so nothing else imports this file;
 * the policies live in ./policies and run without CrossGuard through ./run.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { toCrossGuard } from "./crossGuard";
import { allPolicies } from "./registry";

new PolicyPack("dr-guardrails", {
  description: "DR platform guardrails, one Well-Architected pillar per policy, with a data-residency guard (dr:allowedRegions).",
  policies: allPolicies().map(toCrossGuard),
});
