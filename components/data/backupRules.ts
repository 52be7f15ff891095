/**
 * AWS Backup rules for the backup vaults and plans: schedule arithmetic, retention and vault-lock
 * limits, vault names and ARNs, the vault access policy and the backup roles' managed policies.
 * Pure (no Pulumi imports): config validation, the recovery model, the components and policies
 * use the same functions.
 *
 * Why backups live under `data/`: AWS Backup protects data stores (the Aurora cluster and the data
 * bucket alike) and its recovery points are copies of data, not storage the application uses; the
 * `storage/` concern holds the buckets the application reads and writes.
 */

/** Daily at 05:00 UTC: after the Aurora backup window (03:00-04:00) of the data tier, off-peak for US regions. */
export const DEFAULT_BACKUP_SCHEDULE = "cron(0 5 ? * * *)";
/** Five weeks: the longest continuous-backup retention AWS allows, so point-in-time restore reaches as far back as it can. */
export const DEFAULT_BACKUP_RETENTION_DAYS = 35;
/** Copies in the recovery region are kept as long as the source recovery points. */
export const DEFAULT_COPY_RETENTION_DAYS = 35;
/** Continuous backup (point-in-time restore) on by default where AWS supports it (Aurora, S3). */
export const DEFAULT_CONTINUOUS_BACKUP = true;
/**
 * Continuous backups restore to any second within at most 35 days:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
 * (and https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html: 1 to 35 days).
 */
export const CONTINUOUS_BACKUP_MAX_RETENTION_DAYS = 35;
export const PITR_GRANULARITY_SECONDS = 1;
/** Snapshot backups "can be taken as frequently as every hour" and kept "up to a maximum of 100 years" (same page). */
export const MAX_RETENTION_DAYS = 36500;
/**
 * Vault Lock: "AWS Backup enforces a 72-hour cooling-off period ... you must set ChangeableForDays to
 * 3 or greater"; without ChangeableForDays the lock is in governance mode and can be removed by a
 * principal allowed backup:DeleteBackupVaultLockConfiguration.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
 */
export const VAULT_LOCK_MIN_CHANGEABLE_DAYS = 3;
/** "The shortest minimum retention period you can specify is 1 day" (same API page). */
export const VAULT_LOCK_SHORTEST_MIN_RETENTION_DAYS = 1;
/** A week: shorter-lived recovery points are rarely noticed missing before they expire. */
export const DEFAULT_LOCK_MIN_RETENTION_DAYS = 7;
/** A year: caps what a mistaken (or hostile) lifecycle can pin in a locked vault, where nobody may delete it early. */
export const DEFAULT_LOCK_MAX_RETENTION_DAYS = 365;
/** Vault names: ^[a-zA-Z0-9\-\_]{2,50}$ (PutBackupVaultLockConfiguration, same page). */
const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;

export const VAULT_LOCK_MODES = ["governance", "compliance"] as const;
export type VaultLockMode = (typeof VAULT_LOCK_MODES)[number];

export interface VaultLockSettings {
  readonly mode: VaultLockMode;
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Compliance mode only: days before the lock becomes immutable (3 or more). */
  readonly changeableForDays?: number;
}

/** The `dr:backup` settings (a `StackConfig["backup"]` satisfies it). */
export interface BackupSettings {
  /** AWS Backup cron expression, UTC. */
  readonly schedule: string;
  readonly retentionDays: number;
  readonly copyRetentionDays: number;
  readonly continuous: boolean;
  readonly vaultLock: VaultLockSettings;
  /** Principals that may change the vault access policy. Default: the account root only (see vaultPolicyAdmins). */
  readonly policyAdminArns?: readonly string[];
  /** Adopt the vault a destroy kept (same name) instead of creating it. Default false. */
  readonly adoptVault?: boolean;
}

/** One problem: the field under `dr:backup` (dotted) and what to do. */
export interface BackupProblem {
  readonly field: string;
  readonly message: string;
}

const DAY_SECONDS = 86400;
const DAYS_OF_WEEK = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * The longest gap between two runs of an AWS Backup cron expression
 * (`cron(minutes hours day-of-month month day-of-week year)`), in seconds: the data-loss window of
 * backups taken on that schedule. Reads the forms a backup schedule uses (a fixed minute; hours as a
 * number, list, `*`, `*` or `A` with `/N`; every day, or one day of the week); undefined for anything
 * else, so the caller can ask for a simpler expression instead of guessing.
 */
export function scheduleIntervalSeconds(expression: string): number | undefined {
  return scheduleGapsSeconds(expression)?.longest;
}

/** The shortest and longest gaps between two runs of a schedule scheduleIntervalSeconds reads. */
export function scheduleGapsSeconds(expression: string): { readonly shortest: number; readonly longest: number } | undefined {
  const fields = cronFields(expression);
  if (!fields) return undefined;
  const hours = hoursOf(fields.hour)!;
  if (isOneDayOfWeek(fields.dayOfWeek)) return hours.length === 1 ? { shortest: 7 * DAY_SECONDS, longest: 7 * DAY_SECONDS } : undefined;
  const gaps = hours.map((h, i) => (i + 1 < hours.length ? hours[i + 1] - h : 24 - h + hours[0]) * 3600);
  return { shortest: Math.min(...gaps), longest: Math.max(...gaps) };
}

/**
 * The fields of a cron expression in a form the platform reads, or undefined. AWS refuses `*` in both
 * day fields (one must be `?`) and `?` in the year
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html, whose cron AWS Backup uses).
 */
function cronFields(expression: string): { minute: string; hour: string; dayOfMonth: string; month: string; dayOfWeek: string; year: string } | undefined {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) return undefined;
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = parts;
  if (!/^\d{1,2}$/.test(minute) || Number(minute) > 59) return undefined;
  if (month !== "*" || year !== "*") return undefined;
  if (!hoursOf(hour)) return undefined;
  const everyDay = (dayOfMonth === "?" && dayOfWeek === "*") || (dayOfMonth === "*" && dayOfWeek === "?");
  const weekly = dayOfMonth === "?" && isOneDayOfWeek(dayOfWeek);
  if (!everyDay && !weekly) return undefined;
  return { minute, hour, dayOfMonth, month, dayOfWeek, year };
}

/**
 * The same schedule `minutes` (1-59) later, for a form scheduleIntervalSeconds reads: the minute
 * moves, and the hours (and a weekly schedule's day) move on when it passes the hour. Undefined for
 * any other form.
 */
export function laterSchedule(expression: string, minutes: number): string | undefined {
  const f = cronFields(expression);
  if (!f || !Number.isInteger(minutes) || minutes < 1 || minutes > 59) return undefined;
  const total = Number(f.minute) + minutes;
  if (total < 60) return `cron(${total} ${f.hour} ${f.dayOfMonth} ${f.month} ${f.dayOfWeek} ${f.year})`;
  const hours = hoursOf(f.hour)!.map((h) => h + 1);
  const pastMidnight = hours.includes(24);
  const newHours = [...new Set(hours.map((h) => h % 24))].sort((x, y) => x - y).join(",");
  // A weekly schedule has one hour: past midnight it runs on the next day of the week.
  const day = pastMidnight && isOneDayOfWeek(f.dayOfWeek) ? nextDayOfWeek(f.dayOfWeek) : f.dayOfWeek;
  return `cron(${total - 60} ${newHours} ${f.dayOfMonth} ${f.month} ${day} ${f.year})`;
}

function nextDayOfWeek(field: string): string {
  if (/^[1-7]$/.test(field)) return String((Number(field) % 7) + 1);
  return DAYS_OF_WEEK[(DAYS_OF_WEEK.indexOf(field.toUpperCase()) + 1) % 7];
}

function hoursOf(field: string): number[] | undefined {
  const all = Array.from({ length: 24 }, (_u, h) => h);
  if (field === "*") return all;
  const step = /^(\*|\d{1,2})\/(\d{1,2})$/.exec(field);
  if (step) {
    const start = step[1] === "*" ? 0 : Number(step[1]);
    const every = Number(step[2]);
    if (start > 23 || every < 1) return undefined;
    return all.filter((h) => h >= start && (h - start) % every === 0);
  }
  if (!/^\d{1,2}(,\d{1,2})*$/.test(field)) return undefined;
  const list = [...new Set(field.split(",").map(Number))].sort((a, b) => a - b);
  return list.every((h) => h <= 23) ? list : undefined;
}

function isOneDayOfWeek(field: string): boolean {
  return /^[1-7]$/.test(field) || DAYS_OF_WEEK.includes(field.toUpperCase());
}

/**
 * How long after dr:backup.schedule the primary's own plan starts. The links stack's copy plan
 * selects the same cluster and bucket on the schedule itself (the copies' age is what a restore in
 * the recovery region gets, so it keeps the configured time). AWS Backup runs one job per resource at
 * a time and expires a queued job at the end of its start window
 * (https://docs.aws.amazon.com/timestream/latest/developerguide/backups-limits.html quotes AWS
 * Backup's limit): started together, either job could expire behind the other and page every day.
 * Started later, with a start window long enough to wait out the copy plan's job, the primary's own
 * job is always the one that waits.
 */
export const PRIMARY_PLAN_DELAY_MINUTES = 30;
/** AWS's default start window, the longest the primary's own job waits behind the copy plan's. */
const PRIMARY_PLAN_MAX_START_WINDOW_MINUTES = 8 * 60;
/** The shortest start window AWS Backup accepts (API_BackupRuleInput.html). */
const MIN_START_WINDOW_MINUTES = 60;
/** The shortest gap between runs that leaves the delayed job a full start window before the next copy plan run. */
export const MIN_SCHEDULE_GAP_MINUTES = PRIMARY_PLAN_DELAY_MINUTES + MIN_START_WINDOW_MINUTES + 60;

/**
 * When the primary's own plan runs and how long its job may wait: PRIMARY_PLAN_DELAY_MINUTES after
 * the schedule, with a start window that ends an hour before the next run of the copy plan (the
 * shortest gap decides), at most 8 hours. Undefined for a schedule backupProblems refuses.
 */
export function primaryPlanTiming(schedule: string): { readonly schedule: string; readonly startWindowMinutes: number; readonly delayMinutes: number } | undefined {
  const gaps = scheduleGapsSeconds(schedule);
  const later = laterSchedule(schedule, PRIMARY_PLAN_DELAY_MINUTES);
  if (!gaps || !later || gaps.shortest / 60 < MIN_SCHEDULE_GAP_MINUTES) return undefined;
  const startWindowMinutes = Math.min(PRIMARY_PLAN_MAX_START_WINDOW_MINUTES, gaps.shortest / 60 - PRIMARY_PLAN_DELAY_MINUTES - 60);
  return { schedule: later, startWindowMinutes, delayMinutes: PRIMARY_PLAN_DELAY_MINUTES };
}

/**
 * Why a primary's schedule leaves its own plan no turn beside the links stack's copy plan (runs too
 * close together), or undefined. Only the primary has two plans on one resource: a secondary's
 * schedule needs only to be readable (backupProblems).
 */
export function primaryScheduleProblem(schedule: string): string | undefined {
  const gaps = scheduleGapsSeconds(schedule);
  if (!gaps || primaryPlanTiming(schedule)) return undefined;
  return `runs backups ${Math.round(gaps.shortest / 60)} minutes apart at the closest; keep at least ${MIN_SCHEDULE_GAP_MINUTES} minutes between runs in the primary, such as cron(0 0/3 ? * * *): its own plan starts ${PRIMARY_PLAN_DELAY_MINUTES} minutes after the links stack's copy plan and waits for its job (AWS Backup runs one job per resource at a time); continuous backup (dr:backup.continuous) already restores to any second in the primary's region`;
}

/** Every problem with a set of backup settings; empty when AWS would accept them and every job would succeed. */
export function backupProblems(b: BackupSettings): BackupProblem[] {
  const problems: BackupProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  const lock = b.vaultLock;
  const interval = scheduleIntervalSeconds(b.schedule);
  // The forms read here run at most hourly, AWS Backup's shortest interval for snapshot backups.
  if (interval === undefined)
    fail("schedule", "is not an AWS Backup cron expression this platform can read (a fixed minute, at most hourly); use cron(M H ? * * *) for daily, cron(M 0/N ? * * *) for every N hours, or cron(M H ? * SUN *) for weekly (UTC)");

  if (lock.minRetentionDays < VAULT_LOCK_SHORTEST_MIN_RETENTION_DAYS)
    fail("vaultLock.minRetentionDays", `must be at least ${VAULT_LOCK_SHORTEST_MIN_RETENTION_DAYS} day (AWS Backup's shortest minimum retention)`);
  if (lock.maxRetentionDays > MAX_RETENTION_DAYS)
    fail("vaultLock.maxRetentionDays", `must be at most ${MAX_RETENTION_DAYS} days (100 years, AWS Backup's longest retention)`);
  if (lock.minRetentionDays > lock.maxRetentionDays)
    fail("vaultLock", `has minRetentionDays ${lock.minRetentionDays} above maxRetentionDays ${lock.maxRetentionDays}; the lock would refuse every job, so lower the minimum or raise the maximum`);
  if (lock.mode === "compliance" && lock.changeableForDays === undefined)
    fail("vaultLock.changeableForDays", `is required in compliance mode: the days (${VAULT_LOCK_MIN_CHANGEABLE_DAYS} or more) during which the lock can still be changed; after them nobody, not even the account root, can change or delete it`);
  if (lock.mode === "compliance" && lock.changeableForDays !== undefined && lock.changeableForDays < VAULT_LOCK_MIN_CHANGEABLE_DAYS)
    fail("vaultLock.changeableForDays", `must be at least ${VAULT_LOCK_MIN_CHANGEABLE_DAYS} (AWS Backup's 72-hour cooling-off period)`);
  if (lock.mode === "governance" && lock.changeableForDays !== undefined)
    fail("vaultLock.changeableForDays", "is set but vaultLock.mode is governance; AWS turns any lock with a changeable period into compliance mode, so remove it or set vaultLock.mode to compliance");

  const range = `${lock.minRetentionDays}-${lock.maxRetentionDays}`;
  for (const field of ["retentionDays", "copyRetentionDays"] as const) {
    const days = b[field];
    if (days < lock.minRetentionDays || days > lock.maxRetentionDays)
      fail(field, `is outside the vault lock's retention range (${range} days); the vault would fail every ${field === "retentionDays" ? "backup" : "copy"} job, so choose a value in the range or widen vaultLock`);
  }
  if (b.continuous && b.retentionDays > CONTINUOUS_BACKUP_MAX_RETENTION_DAYS)
    fail("retentionDays", `is more than ${CONTINUOUS_BACKUP_MAX_RETENTION_DAYS} days, the longest continuous backups keep; lower it or set continuous to false`);
  if (interval !== undefined && b.retentionDays * DAY_SECONDS <= interval)
    fail("retentionDays", `keeps recovery points no longer than the ${interval / 3600} h between backups; raise it so a recovery point always exists`);
  const admins = b.policyAdminArns;
  if (admins !== undefined && admins.length === 0)
    fail("policyAdminArns", "is empty; nobody could change the vault access policy again. Leave it unset for the account root, or list the IAM roles that deploy the stacks");
  for (const arn of admins ?? []) {
    if (!POLICY_ADMIN_ARN.test(arn))
      fail("policyAdminArns", `has "${arn}", which is not an IAM role, user or account root ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root)${/:sts::.*assumed-role\//.test(arn) ? "; aws:PrincipalArn of a session is its role's ARN, so name the role (arn:aws:iam::<account>:role/<role>) instead of one session" : ""}`);
  }
  return problems;
}

/**
 * What aws:PrincipalArn holds, and so what the vault policy's admin list can match: the ARN of the
 * IAM role (not of the session) for an assumed role, of the user, or `arn:aws:iam::<account>:root`:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
const POLICY_ADMIN_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/;
const VAULT_ARN = /^arn:(aws[a-z-]*):backup:[a-z0-9-]+:(\d{12}):backup-vault:/;

/**
 * The principals allowed to change a vault's access policy: the configured list exactly, or else
 * the root of the vault's own account. Never the identity running `pulumi up`: the policy would
 * change with whoever deploys, and a change is a PutBackupVaultAccessPolicy the policy itself denies
 * to anyone but the previous deployer, so an on-call or new CI role would fail every update of both
 * stacks. The root is stable for the account's life; read from the vault's ARN, it needs no API call.
 */
export function vaultPolicyAdmins(vaultArn: string, configured: readonly string[] | undefined): string[] {
  if (configured && configured.length > 0) return [...new Set(configured)];
  const m = VAULT_ARN.exec(vaultArn);
  if (!m) throw new Error(`vaultPolicyAdmins: "${vaultArn}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>); pass the vault's ARN`);
  return [`arn:${m[1]}:iam::${m[2]}:root`];
}

/** Vault names are regional; the region in the name tells operators which copy they look at. */
export function backupVaultName(appName: string, environment: string, region: string): string {
  const name = `${appName}-${environment}-${region}`;
  if (!VAULT_NAME.test(name)) throw new Error(`backup vault name "${name}" breaks AWS's pattern ^[a-zA-Z0-9-_]{2,50}$; shorten dr:appName or dr:environment`);
  return name;
}

/** A vault's ARN is predictable from its name, region and account (what a copy action needs). */
export function backupVaultArn(region: string, accountId: string, vaultName: string, partition = "aws"): string {
  return `arn:${partition}:backup:${region}:${accountId}:backup-vault:${vaultName}`;
}

/**
 * Actions denied on every recovery point to every principal. With them denied, a recovery point ends
 * only by its lifecycle, which AWS Backup itself applies. AWS Config's
 * backup-recovery-point-manual-deletion-disabled rule checks for these in a Deny with Principal and
 * Resource "*": https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html
 * Vault access policies take no wildcard actions:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html
 */
export const DENIED_RECOVERY_POINT_ACTIONS = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"] as const;
/** Actions that would lift the deny above; only the named administrators (see vaultPolicyAdmins) keep them. */
export const DENIED_POLICY_ACTIONS = ["backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy"] as const;

/**
 * The vault access policy. Recovery-point deletion is denied to everyone without exception: a
 * stolen administrator credential must not shorten what the backups protect against. Changing or
 * removing the policy is denied to all but `adminArns` (vaultPolicyAdmins: a fixed list from
 * config, by default the account root); the vault lock stops
 * deletion even if such a principal is misused.
 */
export function vaultAccessPolicy(vaultArn: string, adminArns: readonly string[]): string {
  if (adminArns.length === 0) throw new Error("vaultAccessPolicy: name at least one administrator ARN, or the policy could never be changed again");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "DenyRecoveryPointDeletion", Effect: "Deny", Principal: "*", Action: [...DENIED_RECOVERY_POINT_ACTIONS], Resource: "*" },
      {
        Sid: "DenyPolicyChangesButByAdministrators",
        Effect: "Deny",
        Principal: "*",
        Action: [...DENIED_POLICY_ACTIONS],
        Resource: vaultArn,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [...adminArns] } },
      },
    ],
  });
}

/**
 * The AWS managed policies each backup role needs, and nothing more: the documented minimum for
 * backups of Aurora (service-role path) and S3 (no path), or for restores.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html ("Add the
 * AWSBackupServiceRolePolicyForS3Backup and AWSBackupServiceRolePolicyForS3Restore"),
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForRestores.html
 */
export const BACKUP_ROLE_POLICY_ARNS = {
  backup: [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
  ],
  restore: [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
  ],
} as const;
export type BackupRolePurpose = keyof typeof BACKUP_ROLE_POLICY_ARNS;

/**
 * The tag a restore puts on the cluster it creates, which the backup-restore secondary's plan
 * selects by (AWS Backup selects resources by tag: https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html),
 * so the restored cluster is backed up and copied out of its region like the cluster it replaces.
 * No Pulumi stack manages that cluster, so its ARN cannot be listed in advance.
 */
export function restoredClusterTag(clusterIdentifier: string): { readonly key: string; readonly value: string } {
  return { key: "dr:backup-selection", value: `restored-${clusterIdentifier}` };
}

/**
 * The restore DB subnet group of a backup-restore secondary: `<cluster id>-restore`, never the
 * cluster identifier itself, which DataTier gives its own subnet group. DB subnet group names are
 * unique per account and region (CreateDBSubnetGroup fails with DBSubnetGroupAlreadyExists:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html), and a
 * strategy switch (backup-restore -> pilot-light or warm-standby) creates DataTier's group before it
 * deletes this one; a group a restored cluster uses cannot be deleted at all
 * (InvalidDBSubnetGroupStateFault: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html).
 */
export function restoreSubnetGroupName(clusterIdentifier: string): string {
  return `${clusterIdentifier}-restore`;
}
