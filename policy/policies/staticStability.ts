/**
 * Static stability of a recovery region (README, "Who owns each cross-region link"): a
 * secondary stack registers nothing in, and holds no provider for, any region but its own (global
 * services aside), so `pulumi up` of the secondary works while the primary's region answers
 * nothing. What would otherwise sit in another region belongs to the links stack (or the primary).
 * A policy sees no invokes; the tests check those (test/staticStability.test.ts).
 */
import type { DrPolicy } from "../model";
import { foreignRegionResources } from "../regionalScope";

// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
// https://aws.amazon.com/builders-library/static-stability-using-availability-zones/
const staticStability: DrPolicy = {
  name: "static-stability",
  description: "In a secondary stack every AWS resource and provider lives in the stack's own region (IAM, Route 53 and other global services aside), so the recovery region deploys while the primary's region is down.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    if (stack.role !== "secondary" || !stack.region) return;
    for (const use of foreignRegionResources(stack.resources, stack.region)) {
      report(`${use.line}: secondary stack ${stack.stack} must stand on its own in ${stack.region}, but this needs ${use.region}'s APIs, which may be the region that is down; `
        + `move it to the links stack (cross-region links) or the primary stack, or create it through the ${stack.region} provider.`, use.urn);
    }
  },
};

export const policies: readonly DrPolicy[] = [staticStability];
