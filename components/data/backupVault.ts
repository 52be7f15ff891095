import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VaultLockSettings, vaultAccessPolicy, vaultPolicyAdmins } from "./backupRules";
import { requireAwsProvider } from "../providers";

export interface BackupVaultArgs {
  /** Vault name, unique in the region (see backupVaultName). Required. */
  readonly vaultName: string;
  /** This region's customer key (the multi-region key or its replica here); encrypts every recovery point AWS Backup re-encrypts, cross-region copies included. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Vault Lock mode and retention range. Required. */
  readonly lock: VaultLockSettings;
  /** Principals that may still change or remove the access policy; a fixed list, never the caller. Default: the vault account's root. */
  readonly policyAdminArns?: readonly string[];
  /**
   * Adopt the vault, lock and policy a destroy kept under `vaultName` (the `import` option) instead
   * of creating them, which AWS refuses for a name already taken. Default false.
   */
  readonly adopt?: boolean;
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
    // A kept vault still holds its name: vault names are unique per account and region, and
    // CreateBackupVault fails with AlreadyExistsException
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html). Adopting
    // imports the vault, lock and policy by the vault name (their import ids in @pulumi/aws); the
    // engine then updates what differs from the inputs below
    // (https://www.pulumi.com/docs/iac/concepts/resources/options/import/), so what AWS cannot
    // change on a kept, locked vault is ignored.
    const adopt = (extra: pulumi.CustomResourceOptions = {}) => (args.adopt ? { ...keep, ...extra, import: args.vaultName } : keep);

    const vault = new aws.backup.Vault(`${name}-vault`, {
      name: args.vaultName,
      kmsKeyArn: args.kmsKeyArn,
      forceDestroy: false,
    }, {
      ...adopt(),
      // A vault's key is fixed at creation (a new key forces a new vault, whose name is taken), and a
      // redeployed stack has a new key: an adopted vault keeps its own key, on every later `up` too,
      // not only while adopting. The engine honours ignoreChanges on import: https://github.com/pulumi/pulumi/issues/5878
      ignoreChanges: ["kmsKeyArn"],
    });

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
    }, {
      ...adopt(),
      // The provider never reads changeableForDays back, so it would always differ and force a new
      // lock; rewriting a compliance lock after its grace time fails. An adopted (kept) lock is taken
      // as AWS holds it: its retention range cannot be loosened once it is immutable anyway.
      ignoreChanges: args.adopt ? ["changeableForDays", "minRetentionDays", "maxRetentionDays"] : ["changeableForDays"],
    });

    new aws.backup.VaultPolicy(`${name}-policy`, {
      backupVaultName: vault.name,
      policy: vault.arn.apply((arn) => vaultAccessPolicy(arn, vaultPolicyAdmins(arn, args.policyAdminArns))),
    }, adopt({
      // The kept policy may name other administrators (an older program took them from the caller):
      // the import takes it as it is, and the first `pulumi up` after adoption ends writes this one,
      // which only an administrator of the kept policy may do.
      ignoreChanges: ["policy"],
    }));

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
  }
}
