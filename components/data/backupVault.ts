import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VaultLockSettings, vaultAccessPolicy } from "./backupRules";
import { requireAwsProvider } from "../providers";

export interface BackupVaultArgs {
  /** Vault name, unique in the region (see backupVaultName). Required. */
  readonly vaultName: string;
  /** This region's customer key (the multi-region key or its replica here); encrypts every recovery point AWS Backup re-encrypts, cross-region copies included. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Vault Lock mode and retention range. Required. */
  readonly lock: VaultLockSettings;
  /** Principals that may still change or remove the access policy (the deployer). Required, at least one. */
  readonly policyAdminArns: pulumi.Input<string[]>;
}

/**
 * A region's backup vault: encrypted with the region's customer key, locked (governance by default,
 * compliance on request) and with an access policy that denies deleting recovery points or
 * shortening their lifecycle to everyone. The vault, its lock and its policy are kept when the stack
 * is destroyed: the recovery points are what survives a bad deploy or a destroy, and AWS refuses to
 * delete a vault that still holds them anyway. Pass the provider of the vault's region in `opts.provider`.
 */
export class BackupVault extends pulumi.ComponentResource {
  readonly vaultName: pulumi.Output<string>;
  readonly vaultArn: pulumi.Output<string>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:data:BackupVault", name, {}, opts);
    requireAwsProvider(this, `BackupVault ${name}`);
    // Retained on destroy: a destroy must never take the last copies of the data with it.
    const keep = { parent: this, retainOnDelete: true };

    const vault = new aws.backup.Vault(`${name}-vault`, {
      name: args.vaultName,
      kmsKeyArn: args.kmsKeyArn,
      forceDestroy: false,
    }, keep);

    // Without changeableForDays AWS creates a governance-mode lock: principals allowed
    // backup:DeleteBackupVaultLockConfiguration can still remove it. With it, the lock is in
    // compliance mode and becomes immutable once those days pass: after that nobody, not even the
    // account root or AWS, can change or delete the lock, and recovery points cannot be deleted
    // before their retention ends. https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
    new aws.backup.VaultLockConfiguration(`${name}-lock`, {
      backupVaultName: vault.name,
      minRetentionDays: args.lock.minRetentionDays,
      maxRetentionDays: args.lock.maxRetentionDays,
      changeableForDays: args.lock.mode === "compliance" ? args.lock.changeableForDays : undefined,
    }, keep);

    new aws.backup.VaultPolicy(`${name}-policy`, {
      backupVaultName: vault.name,
      policy: pulumi.all([vault.arn, args.policyAdminArns]).apply(([arn, admins]) => vaultAccessPolicy(arn, admins)),
    }, keep);

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
  }
}
