/**
 * `dr preview` and `dr deploy` of the primary check first that the Auto Scaling service-linked role exists. Every
 * key policy names it, and KMS rejects a key policy whose principal does not exist; the role appears
 * only with an account's first Auto Scaling group, so a fresh account fails at the first key.
 * AWS: "By default, Amazon EC2 Auto Scaling uses a service-linked role named AWSServiceRoleForAutoScaling,
 * which it creates if it does not exist" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html);
 * the key policy a customer key needs for it: https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
 */
import { DrConfig, isLinksConfig } from "../../../stacks/configSchema";
import { PreflightAws } from "./awsPort";

export const AUTO_SCALING_SERVICE_LINKED_ROLE = "AWSServiceRoleForAutoScaling";
export const CREATE_AUTO_SCALING_ROLE_COMMAND = "aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com";
/** The config switch with which a stack creates the role itself (creating one that exists fails, hence a switch). */
export const CREATE_ROLE_CONFIG_KEY = "dr:createAutoScalingServiceLinkedRole";

/** Whether a stack's config creates the role (only the primary may). */
export function createsAutoScalingRole(config: DrConfig): boolean {
  return !isLinksConfig(config) && config.createAutoScalingServiceLinkedRole;
}

/** The message when the role is missing and no stack creates it; undefined when deploy can go on. */
export function serviceLinkedRoleProblem(roleExists: boolean, anyStackCreatesIt: boolean): string | undefined {
  if (roleExists || anyStackCreatesIt) return undefined;
  return `The IAM service-linked role ${AUTO_SCALING_SERVICE_LINKED_ROLE} does not exist in this account. Every key policy of this ` +
    `platform names it, and KMS rejects a key policy whose principal does not exist. Create it once per account:\n` +
    `  ${CREATE_AUTO_SCALING_ROLE_COMMAND}\n` +
    `or set ${CREATE_ROLE_CONFIG_KEY}: true on the primary stack so it creates the role before its keys.`;
}

/**
 * Whether deploying these stacks creates a key policy naming the role: only the primary's
 * multi-region key (and the replica keys it creates for every secondary) names it. A secondary or
 * links deploy creates no such policy, so its deploy must not ask IAM: GetRole is served by IAM's
 * control plane, which is in us-east-1 for every commercial region
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/disaster-recovery-resiliency.html), and a
 * secondary must deploy while us-east-1, or the primary's region, answers nothing (static stability).
 */
export function needsServiceLinkedRoleCheck(configs: readonly DrConfig[]): boolean {
  return configs.some((c) => c.role === "primary") && !configs.some(createsAutoScalingRole);
}

/** Asks IAM only when the primary deploys and no stack creates the role; returns the problem to print, if any. */
export async function checkServiceLinkedRole(aws: PreflightAws, configs: readonly DrConfig[]): Promise<string | undefined> {
  if (!needsServiceLinkedRoleCheck(configs)) return undefined;
  return serviceLinkedRoleProblem(await aws.roleExists(AUTO_SCALING_SERVICE_LINKED_ROLE), false);
}
