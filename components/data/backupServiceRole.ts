import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_ROLE_POLICY_ARNS, BackupRolePurpose } from "./backupRules";
import { requireAwsProvider } from "../providers";

export interface BackupServiceRoleArgs {
  /** What AWS Backup does with the role: take and copy backups, or restore them. Required. */
  readonly purpose: BackupRolePurpose;
}

/**
 * The IAM role AWS Backup assumes: trusted by backup.amazonaws.com only, with the AWS managed
 * policies for its purpose (BACKUP_ROLE_POLICY_ARNS) and nothing else. Backups and restores get
 * separate roles, so the role that reads the data cannot create or overwrite resources.
 */
export class BackupServiceRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: BackupServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:data:BackupServiceRole", name, {}, opts);
    // IAM is global, but the provider carries the account's credentials and default tags.
    requireAwsProvider(this, `BackupServiceRole ${name}`);
    const role = new aws.iam.Role(`${name}-role`, {
      description: `AWS Backup ${args.purpose} role`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }, { parent: this });
    for (const policyArn of BACKUP_ROLE_POLICY_ARNS[args.purpose]) {
      new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: role.name, policyArn }, { parent: this });
    }
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
