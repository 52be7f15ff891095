/**
 * The configuration contract of a stack: what `Pulumi.<stack>.yaml` may say, its defaults, and the
 * checks that run before anything is registered. Pure (no Pulumi imports) so that `plan`, the
 * deploy command and tests validate config files directly.
 */
import { DEFAULT_SWITCH_MECHANISM, SWITCH_MECHANISMS } from "../components/dns/regionSwitch";
import { DEFAULT_RECOVERY_START, RECOVERY_START_MODES } from "../components/recovery/recoveryStart";
import { z } from "zod";
import { MAX_PLANNED_AZS, vpcCidrProblem } from "../components/network/cidrPlan";
import { DEFAULT_AZ_COUNT, DR_STRATEGIES, DrStrategy, REGION_ROLES } from "../components/strategy";
import { HEALTH_CHECKER_REGIONS, KNOWN_REGIONS, REGION_AZ_COUNTS, isKnownRegion, isRegionName } from "../components/regions";
import {
  backupProblems, primaryScheduleProblem, scheduleIntervalSeconds, DEFAULT_BACKUP_RETENTION_DAYS, DEFAULT_BACKUP_SCHEDULE, DEFAULT_CONTINUOUS_BACKUP, DEFAULT_COPY_RETENTION_DAYS,
  DEFAULT_LOCK_MAX_RETENTION_DAYS, DEFAULT_LOCK_MIN_RETENTION_DAYS, VAULT_LOCK_MODES,
} from "../components/data/backupRules";
import { writeForwardingProblem } from "../components/data/writeForwarding";
import { MAX_TARGET_HEALTH_INTERVAL_SECONDS, MAX_TARGET_HEALTH_THRESHOLD, MIN_TARGET_HEALTH_INTERVAL_SECONDS, MIN_TARGET_HEALTH_THRESHOLD, DEFAULT_TARGET_HEALTH } from "../components/compute/targetHealth";
import { WARM_POOL_STATES, WARM_POOL_STRATEGIES } from "../components/compute/warmPool";
import { gameDaysProblem, GameDaysSetting } from "../components/resilience/gameDayPlan";
import { DEFAULT_RESTORE_TESTING, MAX_WINDOW_HOURS, MIN_WINDOW_HOURS } from "../components/resilience/restoreTestingRules";
import { ALERT_EMAIL, ALERT_HTTPS_URL } from "../components/observability/alertDestinations";
import { FRESHNESS_PERIOD_SECONDS, freshnessWindowSeconds, MAX_ALARM_WINDOW_SECONDS } from "../components/observability/backupJobAlarms";
import { BACKUP_START_WINDOW_MINUTES } from "../components/data/backupPlan";

export { DR_STRATEGIES, DrStrategy, Role } from "../components/strategy";
export const ROLES = REGION_ROLES;
/** The role of the stack that owns the cross-region links living outside their owner's region. */
export const LINKS_ROLE = "links";
export const STACK_ROLES = [...REGION_ROLES, LINKS_ROLE] as const;
export type StackRole = (typeof STACK_ROLES)[number];
export const DB_ENGINES = ["aurora-postgresql", "aurora-mysql"] as const;
export type DbEngine = (typeof DB_ENGINES)[number];
/** Strategies whose standby may share one NAT gateway: they do not serve traffic until failover. */
export const SINGLE_NAT_STRATEGIES: readonly DrStrategy[] = ["backup-restore", "pilot-light", "warm-standby"];

export const DEFAULT_DNS_TTL_SECONDS = 60;
/**
 * Route 53's fast interval (10 s) with three failures: a lost region is detected in about 34 s,
 * while one or two dropped checks (a blip) do not fail the region over. Threshold 1 detects in
 * 14 s but fails over on a single lost check; 30 s intervals are cheaper and take 94 s.
 */
export const DEFAULT_HEALTH_CHECK = { intervalSeconds: 10, failureThreshold: 3, path: "/healthz" } as const;
/** The data stores an RPO target is set for, one target each (dr:objectives.rpoSeconds). */
export const DATA_STORES = ["database", "objects", "secrets"] as const;
export type DataStore = (typeof DATA_STORES)[number];
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<DbEngine, string>> = {
  "aurora-postgresql": "16.6",
  "aurora-mysql": "8.0.mysql_aurora.3.08.0",
};
export const DEFAULT_DB_INSTANCE_CLASS = "db.r6g.large";
export const DEFAULT_DB_INSTANCES = 2;
/** Data size the restore estimate assumes when dr:database.sizeGiB is not set; set it to your cluster's VolumeBytesUsed. */
export const DEFAULT_DB_SIZE_GIB = 100;
export const DEFAULT_VAULT_LOCK = { mode: "governance", minRetentionDays: DEFAULT_LOCK_MIN_RETENTION_DAYS, maxRetentionDays: DEFAULT_LOCK_MAX_RETENTION_DAYS } as const;
export const DEFAULT_BACKUP = {
  schedule: DEFAULT_BACKUP_SCHEDULE,
  retentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
  copyRetentionDays: DEFAULT_COPY_RETENTION_DAYS,
  continuous: DEFAULT_CONTINUOUS_BACKUP,
  // Off: a first deploy creates the vault; set it to redeploy over the vault an earlier destroy kept.
  adoptVault: false,
  restoreTesting: { ...DEFAULT_RESTORE_TESTING },
} as const;
export const DEFAULT_TIER_CAPACITY = { instanceType: "t3.medium", min: 3, desired: 3, max: 9 } as const;

/** The keys a stack file may set, besides `aws:region`. */
export const CONFIG_NAMESPACE = "dr";

const APP_NAME = /^[a-z][a-z0-9-]{1,14}[a-z0-9]$/;
const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** Global databases need memory-optimized classes (r5 and newer, x2); burstable db.t* are rejected. */
const GLOBAL_DB_CLASS = /^db\.(r[5-9][a-z]*|x2[a-z]*)\.(large|\d*xlarge)$/;
const ENGINE_VERSION: Readonly<Record<DbEngine, RegExp>> = {
  "aurora-postgresql": /^\d{2}\.\d{1,2}$/,
  "aurora-mysql": /^\d\.\d\.mysql_aurora\.\d+\.\d+\.\d+$/,
};
const STACK_NAME = /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

/** Pulumi passes structured values as JSON text; YAML files read without a schema give strings. */
const structured = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, schema);

/**
 * zod's error function form for a value of the wrong type: a missing value gets `required` (which
 * may say what to set), any other value `wrongType`. A plain `{ error: "is required" }` would call
 * a number where text belongs, or a word where a number belongs, "required".
 */
const missingOr = (required: string, wrongType: string) => (issue: { readonly input?: unknown }) => (issue.input === undefined ? required : wrongType);

/** A text setting: `required` when it is missing, `wrongType` (the setting's format, with an example) when it is not text. */
const text = (required: string, wrongType: string) => z.string({ error: missingOr(required, wrongType) });
/** Text in the format `pattern` checks; a value of another type is told the same format. */
const matching = (pattern: RegExp, format: string, required = "is required") => text(required, format).regex(pattern, { error: format });

/** Typical values per unit, within every range below: the fix a "60s" or "ten" is shown. */
const EXAMPLE_AMOUNTS = { seconds: 60, instances: 3, AZs: 3, checks: 3, days: 35, hours: 4, GiB: 100 } as const;

/**
 * A whole number of `unit`. Numbers arrive as text (Pulumi's top-level values), hence the coercion;
 * a value that is no number ("ten", "60s") or not whole is told the unit and an example.
 * (A missing one coerces to NaN like "ten"; parseWith tells them apart by the value found.)
 */
const wholeNumber = (unit: keyof typeof EXAMPLE_AMOUNTS) => {
  const message = `must be a whole number of ${unit}, written as digits only, such as ${EXAMPLE_AMOUNTS[unit]}`;
  return z.coerce.number({ error: message }).int({ error: message });
};

/** A well-formed name (us-west-2, ap-southeast-4) that is not in the list, or a name of another shape, such as "uswest2". */
function regionProblem(region: string): string | undefined {
  if (isKnownRegion(region)) return undefined;
  if (isRegionName(region)) return `is not a known AWS region; use one of ${KNOWN_REGIONS.join(", ")}`;
  const squashed = region.toLowerCase().replace(/[^a-z0-9]/g, "");
  const meant = KNOWN_REGIONS.find((r) => r.replace(/-/g, "") === squashed);
  return meant ? `is not an AWS region name; write it as ${meant}` : "is not an AWS region name such as us-west-2; use the region's code (lower case, with hyphens), not its display name";
}

const windowHours = wholeNumber("hours").min(MIN_WINDOW_HOURS, { error: `must be from ${MIN_WINDOW_HOURS} to ${MAX_WINDOW_HOURS} hours (AWS Backup's range)` }).max(MAX_WINDOW_HOURS, { error: `must be from ${MIN_WINDOW_HOURS} to ${MAX_WINDOW_HOURS} hours (AWS Backup's range)` });

const tierCapacity = structured(
  z
    .object({
      instanceType: matching(INSTANCE_TYPE, "is not an EC2 instance type; use a type such as t3.medium or m7g.large").default(DEFAULT_TIER_CAPACITY.instanceType),
      min: wholeNumber("instances").min(0, { error: "must be 0 or more" }).default(DEFAULT_TIER_CAPACITY.min),
      desired: wholeNumber("instances").min(0, { error: "must be 0 or more" }).default(DEFAULT_TIER_CAPACITY.desired),
      max: wholeNumber("instances").min(1, { error: "must be at least 1" }).default(DEFAULT_TIER_CAPACITY.max),
    })
    .strict(),
).default({ ...DEFAULT_TIER_CAPACITY });

const REGION_FORMAT = "must be a region name such as us-west-2";
/** A region of KNOWN_REGIONS; `required` is the message when it is missing. */
const knownRegion = (required: string) => text(required, REGION_FORMAT).superRefine((region, ctx) => {
  const problem = regionProblem(region);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const STACK_NAME_FORMAT = "is not a stack name; use <stack>, <project>/<stack> or <org>/<project>/<stack>";
const stackName = (required: string) => matching(STACK_NAME, STACK_NAME_FORMAT, required);
const APP_NAME_FORMAT = "must be 3-16 characters of lower-case letters, digits and hyphens, starting with a letter (it prefixes load balancer names, which AWS caps at 32)";
/** Settings every stack has, whatever its role: names, tags, and which region serves traffic. */
const commonFields = {
  appName: matching(APP_NAME, APP_NAME_FORMAT),
  environment: matching(/^[a-z][a-z0-9-]{0,15}$/, "must be a short lower-case word such as prod or staging").default("prod"),
  tags: structured(z.record(z.string(), z.string({ error: 'must be text; quote a number in the stack file, such as cost-center: "4711" (or pass --type string to pulumi config set)' }))).default({}),
  /**
   * The region that serves traffic (README: a fact the platform keeps true). Default: the
   * primary's region. The drills read it (which region the next drill starts from) and the alarms
   * use it (a health-check alarm pages only for a region that serves); it never changes a Route 53
   * record, whose failover role follows the stack's role (stacks/dnsRoles.ts). After a cut-over the
   * drill prints `pulumi config set dr:activeRegion <region>` for every stack file.
   */
  activeRegion: knownRegion("must be a region name").optional(),
  /**
   * Where every alarm topic of the stack delivers, each subscribed in the topic's own region (paging
   * works while another region is dark): email addresses (each must confirm the mail SNS sends) and
   * HTTPS endpoints of an incident tool (PagerDuty, Opsgenie: they confirm by themselves). Default:
   * none, which `plan --strict` refuses for a stack with alarms (policy alarm-destinations).
   */
  alerts: structured(
    z.object({
      email: z.array(matching(ALERT_EMAIL, "is not an email address; use an address such as oncall@example.com"), { error: "must be a list of email addresses" }).default([]),
      https: z.array(matching(ALERT_HTTPS_URL, "is not an https:// URL; use the HTTPS endpoint of your incident tool's SNS integration (plain http is refused: alarm texts leave AWS)"), { error: "must be a list of https:// URLs" }).default([]),
    }).strict(),
  ).default({ email: [], https: [] }),
};

const DOMAIN_FORMAT = "is not a fully qualified domain name; use a name such as app.example.com";
const HOSTED_ZONE_FORMAT = "is not a Route 53 hosted zone id; copy it from the Route 53 console (it starts with Z)";
const HEALTH_CHECK_INTERVAL = "must be a number of seconds, 10 or 30 (the only intervals Route 53 offers)";
/** A list of regions, each of KNOWN_REGIONS. */
const regionList = z.array(knownRegion(REGION_FORMAT));

export const stackConfigSchema = z
  .object({
    role: z.enum(ROLES, { error: `must be one of ${[...ROLES, LINKS_ROLE].join(", ")}` }),
    ...commonFields,
    region: knownRegion("is required"),
    vpcCidr: text("is required", "must be an IPv4 CIDR block such as 10.10.0.0/16").superRefine((cidr, ctx) => {
      const problem = vpcCidrProblem(cidr);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    azCount: wholeNumber("AZs").default(DEFAULT_AZ_COUNT),
    natStrategy: z.enum(["per-az", "single"], { error: "must be per-az or single" }).default("per-az"),
    strategy: z.enum(DR_STRATEGIES, { error: `must be one of ${DR_STRATEGIES.join(", ")}` }),
    domain: text("is required: the name clients resolve, such as app.example.com", DOMAIN_FORMAT).transform((d) => d.toLowerCase().replace(/\.$/, "")).refine((d) => FQDN.test(d), { error: DOMAIN_FORMAT }),
    hostedZoneId: matching(HOSTED_ZONE_ID, HOSTED_ZONE_FORMAT, "is required: the Route 53 public hosted zone that holds the domain"),
    healthCheck: structured(
      z
        .object({
          intervalSeconds: z.coerce.number({ error: HEALTH_CHECK_INTERVAL }).refine((n) => n === 10 || n === 30, { error: HEALTH_CHECK_INTERVAL }).default(DEFAULT_HEALTH_CHECK.intervalSeconds),
          failureThreshold: wholeNumber("checks").min(1, { error: "must be from 1 to 10 (Route 53's range)" }).max(10, { error: "must be from 1 to 10 (Route 53's range)" }).default(DEFAULT_HEALTH_CHECK.failureThreshold),
          // Route 53 takes at most 255 characters of resource path (API_HealthCheckConfig ResourcePath).
          path: matching(/^\/[\x21-\x7e]*$/, "must be a URL path starting with /")
            .refine((p) => p.length <= 255, { error: "must be at most 255 characters (Route 53's limit for a health-check path)" })
            .default(DEFAULT_HEALTH_CHECK.path),
          checkerRegions: z
            .array(z.string().refine((r) => HEALTH_CHECKER_REGIONS.includes(r), { error: `is not a Route 53 health-checker region; use ${HEALTH_CHECKER_REGIONS.join(", ")}` }))
            .refine((list) => list.length === 0 || list.length >= 3, { error: "must name at least 3 checker regions (Route 53's minimum), or none for all" })
            .default([]),
        })
        .strict(),
    ).default({ ...DEFAULT_HEALTH_CHECK, checkerRegions: [] }),
    // Which mechanism holds each region's switch (components/dns/regionSwitch.ts); every stack of a set names the same.
    regionSwitch: structured(
      z.object({
        mechanism: z.enum(SWITCH_MECHANISMS, { error: `must be one of ${SWITCH_MECHANISMS.join(", ")}` }).default(DEFAULT_SWITCH_MECHANISM),
      }).strict(),
    ).default({ mechanism: DEFAULT_SWITCH_MECHANISM }),
    // Who starts a recovery (components/recovery/recoveryStart.ts): the RTO's decision term and the in-cloud plan's trigger.
    recovery: structured(
      z.object({
        mode: z.enum(RECOVERY_START_MODES, { error: `must be one of ${RECOVERY_START_MODES.join(", ")}` }).default(DEFAULT_RECOVERY_START.mode),
        approval: z.boolean({ error: "must be true or false" }).default(DEFAULT_RECOVERY_START.approval),
        personReactionSeconds: wholeNumber("seconds").min(0, { error: "must be 0 or more seconds" }).default(DEFAULT_RECOVERY_START.personReactionSeconds),
        approvalSeconds: wholeNumber("seconds").min(0, { error: "must be 0 or more seconds" }).default(DEFAULT_RECOVERY_START.approvalSeconds),
      }).strict(),
    ).default({ ...DEFAULT_RECOVERY_START }),
    dnsTtl: wholeNumber("seconds").min(0, { error: "must be from 0 to 172800 seconds" }).max(172800, { error: "must be from 0 to 172800 seconds" }).default(DEFAULT_DNS_TTL_SECONDS),
    database: structured(
      z
        .object({
          engine: z.enum(DB_ENGINES, { error: `must be one of ${DB_ENGINES.join(", ")}` }).default("aurora-postgresql"),
          engineVersion: z.string({ error: 'must be text; quote it in the stack file, such as engineVersion: "16.6" (unquoted, YAML reads it as a number)' }).optional(),
          instanceClass: z.string().default(DEFAULT_DB_INSTANCE_CLASS),
          instances: wholeNumber("instances").min(1, { error: "must be at least 1 (set 2 or more for a reader in another AZ)" }).max(15, { error: "must be at most 15 (Aurora's limit per cluster)" }).default(DEFAULT_DB_INSTANCES),
          databaseName: matching(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "must start with a letter and hold only letters, digits and underscores").default("app"),
          sizeGiB: wholeNumber("GiB").positive({ error: "must be a positive number of GiB (the cluster's VolumeBytesUsed)" }).default(DEFAULT_DB_SIZE_GIB),
        })
        .strict(),
    ).default({ engine: "aurora-postgresql", instanceClass: DEFAULT_DB_INSTANCE_CLASS, instances: DEFAULT_DB_INSTANCES, databaseName: "app", sizeGiB: DEFAULT_DB_SIZE_GIB }),
    backup: structured(
      z
        .object({
          schedule: z.string().default(DEFAULT_BACKUP.schedule),
          retentionDays: wholeNumber("days").positive({ error: "must be a positive number of days" }).default(DEFAULT_BACKUP.retentionDays),
          copyRetentionDays: wholeNumber("days").positive({ error: "must be a positive number of days" }).default(DEFAULT_BACKUP.copyRetentionDays),
          continuous: z.boolean({ error: "must be true or false" }).default(DEFAULT_BACKUP.continuous),
          // Unset: the account root only (vaultPolicyAdmins); backupProblems checks each ARN.
          policyAdminArns: z.array(z.string({ error: "must be a list of IAM ARNs" }), { error: "must be a list of IAM role, user or root ARNs" }).optional(),
          adoptVault: z.boolean({ error: "must be true or false" }).default(DEFAULT_BACKUP.adoptVault),
          // Scheduled restores of the newest recovery points, validated and deleted by AWS Backup.
          // `enabled` unset: on exactly when dr:gameDays is set (stacks/gameDays.ts restoreTestingEnabled).
          restoreTesting: structured(
            z
              .object({
                enabled: z.boolean({ error: "must be true or false" }).optional(),
                schedule: matching(/^(cron|rate)\(.+\)$/, "must be a cron(...) or rate(...) expression, such as cron(0 6 ? * SUN *)").default(DEFAULT_RESTORE_TESTING.schedule),
                validationWindowHours: windowHours.default(DEFAULT_RESTORE_TESTING.validationWindowHours),
                startWindowHours: windowHours.default(DEFAULT_RESTORE_TESTING.startWindowHours),
              })
              .strict(),
          ).default({ ...DEFAULT_RESTORE_TESTING }),
          vaultLock: structured(
            z
              .object({
                mode: z.enum(VAULT_LOCK_MODES, { error: `must be one of ${VAULT_LOCK_MODES.join(", ")}` }).default(DEFAULT_VAULT_LOCK.mode),
                minRetentionDays: wholeNumber("days").default(DEFAULT_VAULT_LOCK.minRetentionDays),
                maxRetentionDays: wholeNumber("days").default(DEFAULT_VAULT_LOCK.maxRetentionDays),
                changeableForDays: wholeNumber("days").optional(),
              })
              .strict(),
          ).default({ ...DEFAULT_VAULT_LOCK }),
        })
        .strict(),
    ).default({ ...DEFAULT_BACKUP, vaultLock: { ...DEFAULT_VAULT_LOCK } }),
    // AWS FIS game-day templates (components/resilience/gameDayPlan.ts): true for every scenario, a map for some.
    gameDays: structured(z.unknown().superRefine((v, ctx) => {
      const problem = gameDaysProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }).transform((v) => v as GameDaysSetting)).optional(),
    capacity: structured(z.object({ web: tierCapacity, app: tierCapacity }).strict()).default({ web: { ...DEFAULT_TIER_CAPACITY }, app: { ...DEFAULT_TIER_CAPACITY } }),
    objectives: structured(
      z
        .object({
          rtoSeconds: wholeNumber("seconds").positive({ error: "must be a positive number of seconds" }),
          rpoSeconds: structured(z.object({
            database: wholeNumber("seconds").positive({ error: "must be a positive number of seconds" }),
            objects: wholeNumber("seconds").positive({ error: "must be a positive number of seconds" }),
            secrets: wholeNumber("seconds").positive({ error: "must be a positive number of seconds" }),
          }).strict()),
        })
        .strict(),
    ),
    targetHealth: structured(
      z
        .object({
          intervalSeconds: wholeNumber("seconds").min(MIN_TARGET_HEALTH_INTERVAL_SECONDS, { error: `must be from ${MIN_TARGET_HEALTH_INTERVAL_SECONDS} to ${MAX_TARGET_HEALTH_INTERVAL_SECONDS} seconds (the ALB's range)` }).max(MAX_TARGET_HEALTH_INTERVAL_SECONDS, { error: `must be from ${MIN_TARGET_HEALTH_INTERVAL_SECONDS} to ${MAX_TARGET_HEALTH_INTERVAL_SECONDS} seconds (the ALB's range)` }).default(DEFAULT_TARGET_HEALTH.intervalSeconds),
          healthyThreshold: wholeNumber("checks").min(MIN_TARGET_HEALTH_THRESHOLD, { error: `must be from ${MIN_TARGET_HEALTH_THRESHOLD} to ${MAX_TARGET_HEALTH_THRESHOLD} (the ALB's range)` }).max(MAX_TARGET_HEALTH_THRESHOLD, { error: `must be from ${MIN_TARGET_HEALTH_THRESHOLD} to ${MAX_TARGET_HEALTH_THRESHOLD} (the ALB's range)` }).default(DEFAULT_TARGET_HEALTH.healthyThreshold),
          unhealthyThreshold: wholeNumber("checks").min(MIN_TARGET_HEALTH_THRESHOLD, { error: `must be from ${MIN_TARGET_HEALTH_THRESHOLD} to ${MAX_TARGET_HEALTH_THRESHOLD} (the ALB's range)` }).max(MAX_TARGET_HEALTH_THRESHOLD, { error: `must be from ${MIN_TARGET_HEALTH_THRESHOLD} to ${MAX_TARGET_HEALTH_THRESHOLD} (the ALB's range)` }).default(DEFAULT_TARGET_HEALTH.unhealthyThreshold),
        })
        .strict(),
    ).default({ ...DEFAULT_TARGET_HEALTH }),
    warmPool: structured(
      z
        .object({
          enabled: z.boolean({ error: "must be true or false" }).optional(),
          poolState: z.enum(WARM_POOL_STATES, { error: `must be one of ${WARM_POOL_STATES.join(", ")}` }).optional(),
          minSize: wholeNumber("instances").min(0, { error: "must be 0 or more" }).optional(),
          reuseOnScaleIn: z.boolean({ error: "must be true or false" }).optional(),
        })
        .strict(),
    ).default({}),
    replicaRegions: structured(regionList).optional(),
    allowedRegions: structured(
      regionList
        .min(1, { error: "must name at least one region, or be removed (no residency limit)" }),
    ).optional(),
    amiId: matching(AMI_ID, "is not an AMI id; use the id of your golden image, such as ami-0123456789abcdef0").optional(),
    // AWSServiceRoleForAutoScaling appears with an account's first Auto Scaling group, and KMS rejects
    // a key policy naming a principal that does not exist yet; creating the role when it exists fails.
    createAutoScalingServiceLinkedRole: structured(z.boolean({ error: "must be true or false" })).default(false),
    primaryStack: stackName("must be a stack name").optional(),
  })
  .superRefine((c, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const regionAzs = REGION_AZ_COUNTS[c.region];
    const maxAzs = Math.min(regionAzs ?? MAX_PLANNED_AZS, MAX_PLANNED_AZS);
    if (c.azCount < 2) fail(["azCount"], "must be at least 2: one AZ cannot survive the loss of a data center");
    else if (regionAzs !== undefined && c.azCount > maxAzs) fail(["azCount"], `is more than ${c.region} offers; use 2 to ${maxAzs}`);
    if (c.role === "secondary" && !c.primaryStack) fail(["primaryStack"], "is required on a secondary stack: name the primary stack, such as myorg/dr-platform/primary");
    if (c.role === "primary" && c.primaryStack) fail(["primaryStack"], "is set on a primary stack; remove it (only secondaries reference the primary)");
    if (c.role === "primary" && !c.replicaRegions?.length) fail(["replicaRegions"], "is required on the primary stack: list the secondary regions, such as [us-west-2] (the primary replicates its key and secret there)");
    if (c.role === "primary" && c.activeRegion && c.activeRegion !== c.region && !c.replicaRegions?.includes(c.activeRegion))
      fail(["activeRegion"], `is neither ${c.region} nor one of dr:replicaRegions (${(c.replicaRegions ?? []).join(", ") || "none"}); name the region of a stack of this deployment`);
    if (c.role === "primary" && c.replicaRegions?.includes(c.region)) fail(["replicaRegions"], `includes ${c.region}, the primary's own region; list only secondary regions`);
    if (c.replicaRegions && new Set(c.replicaRegions).size !== c.replicaRegions.length) fail(["replicaRegions"], "lists a region twice; list each secondary region once");
    if (c.role === "secondary" && c.replicaRegions) fail(["replicaRegions"], "is set on a secondary stack; remove it (the primary lists the replica regions)");
    if (c.role === "primary" && !c.amiId) fail(["amiId"], "is required on the primary stack: the golden AMI the fleet runs (secondaries use its copy)");
    for (const p of residencyProblems(c)) fail(p.path, p.message);
    if (c.natStrategy === "single" && (c.role === "primary" || !SINGLE_NAT_STRATEGIES.includes(c.strategy)))
      fail(["natStrategy"], `single is allowed only on a standby secondary (${SINGLE_NAT_STRATEGIES.join(", ")}); a region that serves traffic needs per-az`);
    const db = c.database;
    if (!GLOBAL_DB_CLASS.test(db.instanceClass))
      fail(["database", "instanceClass"], /^db\.t/.test(db.instanceClass)
        ? "is burstable; Aurora global databases need memory-optimized classes, such as db.r6g.large"
        : "is not an Aurora global-database instance class; use db.r5 or newer, such as db.r6g.large or db.r7g.xlarge");
    if (db.engineVersion !== undefined && !ENGINE_VERSION[db.engine].test(db.engineVersion))
      fail(["database", "engineVersion"], `is not an ${db.engine} version; use one such as ${DEFAULT_ENGINE_VERSIONS[db.engine]}`);
    else if (c.strategy === "active-active") {
      const forwarding = writeForwardingProblem(db.engine, db.engineVersion ?? DEFAULT_ENGINE_VERSIONS[db.engine]);
      if (forwarding) fail(["database", "engineVersion"], `${forwarding}, which active-active needs for writes routed to the secondary; upgrade the engine version or choose another dr:strategy`);
    }
    if (c.createAutoScalingServiceLinkedRole && c.role !== "primary")
      fail(["createAutoScalingServiceLinkedRole"], "is true on a secondary stack; the role is account-wide and must exist before the primary's KMS keys, so only the primary stack may create it: set it there and remove it here");
    for (const tier of ["web", "app"] as const) {
      const t = c.capacity[tier];
      if (t.min > t.desired || t.desired > t.max) fail(["capacity", tier], `must satisfy min <= desired <= max (got ${t.min} <= ${t.desired} <= ${t.max})`);
      if (c.role === "primary" && t.desired < c.azCount) fail(["capacity", tier, "desired"], `is ${t.desired}, fewer than the ${c.azCount} AZs; raise it to at least ${c.azCount} so every AZ serves`);
    }
    for (const p of backupProblems(c.backup)) fail(["backup", ...p.field.split(".")], p.message);
    const turn = c.role === "primary" ? primaryScheduleProblem(c.backup.schedule) : undefined;
    if (turn) fail(["backup", "schedule"], turn);
    // The freshness alarm must see a whole interval: CloudWatch alarms look back at most 7 days.
    const window = freshnessWindowSeconds(scheduleIntervalSeconds(c.backup.schedule), BACKUP_START_WINDOW_MINUTES);
    if (window !== undefined && Math.ceil(window / FRESHNESS_PERIOD_SECONDS) * FRESHNESS_PERIOD_SECONDS > MAX_ALARM_WINDOW_SECONDS)
      fail(["backup", "schedule"], `runs less often than weekly, and the recovery-point freshness alarm (interval + ${BACKUP_START_WINDOW_MINUTES} min start window + 1 h) can look back at most 7 days; back up at least every 6 days`);
    for (const store of DATA_STORES) {
      if (c.objectives && c.objectives.rpoSeconds[store] > c.objectives.rtoSeconds * 10 && c.objectives.rpoSeconds[store] > 3600)
        fail(["objectives", "rpoSeconds", store], "is more than an hour and ten times the RTO target; check the units (both are seconds)");
    }
    if (c.warmPool.enabled && !WARM_POOL_STRATEGIES.includes(c.strategy))
      fail(["warmPool", "enabled"], `is true with strategy ${c.strategy}, which keeps no group below full size; remove it (warm pools serve ${WARM_POOL_STRATEGIES.join(" and ")})`);
  });

/**
 * Data residency (dr:allowedRegions): every region this stack puts data in must be listed. A
 * stack keeps its cluster, buckets, keys, secret (replicas) and AMI (copy) in its own region; the
 * primary also places its KMS replica keys and DB secret replicas in each dr:replicaRegions entry.
 */
export function residencyProblems(c: { role: string; region: string; allowedRegions?: readonly string[]; replicaRegions?: readonly string[] }): { path: (string | number)[]; message: string }[] {
  const allowed = c.allowedRegions;
  // A region that is no AWS region is reported as such; adding it to the list would not help.
  if (!allowed?.length || !allowed.every(isKnownRegion)) return [];
  const list = allowed.join(", ");
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (isKnownRegion(c.region) && !allowed.includes(c.region)) {
    const stores = c.role === "primary" ? "the Aurora cluster, data bucket, KMS key and DB secret" : "the Aurora member, data bucket (replication destination), AMI copy, KMS replica key and DB secret replica";
    problems.push({ path: ["region"], message: `is outside dr:allowedRegions (${list}): ${stores} of this ${c.role} would store data in ${c.region}; choose an allowed region or add ${c.region} to dr:allowedRegions in every stack file` });
  }
  for (const [i, region] of (c.replicaRegions ?? []).entries())
    if (isKnownRegion(region) && !allowed.includes(region))
      problems.push({ path: ["replicaRegions", i], message: `is outside dr:allowedRegions (${list}): the KMS replica key and the DB secret replica would store data in ${region}; remove ${region} (and its stack) or add it to dr:allowedRegions in every stack file` });
  return problems;
}

/**
 * A links stack: the cross-region pieces that would otherwise sit in a region other than their
 * owner's (the README's ownership table). It needs the stacks it joins and names for what it
 * creates; every region comes from what those stacks export.
 */
export const linksConfigSchema = z
  .object({
    role: z.literal(LINKS_ROLE),
    ...commonFields,
    primaryStack: stackName("is required on a links stack: name the primary stack, such as myorg/dr-platform/primary"),
    secondaryStacks: structured(z.array(stackName("must be a stack name"), { error: "must be a list of stack names" })
      .min(1, { error: "must name at least one secondary stack, such as [myorg/dr-platform/secondary]: the links stack joins the primary to its secondaries" })
      .refine((list) => new Set(list).size === list.length, { error: "names a stack twice; name each secondary stack once" })),
  })
  .superRefine((c, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (c.secondaryStacks.includes(c.primaryStack)) fail(["secondaryStacks"], `includes the primary stack ${c.primaryStack}; name only secondary stacks`);
  });

export type LinksConfig = z.output<typeof linksConfigSchema>;

export type StackConfigInput = z.input<typeof stackConfigSchema>;
type Parsed = z.output<typeof stackConfigSchema>;
export interface StackConfig extends Omit<Parsed, "database"> {
  readonly database: Parsed["database"] & { readonly engineVersion: string };
}
export type TierCapacity = StackConfig["capacity"]["web"];
/** The config of any stack of the project: a region stack (primary, secondary) or the links stack. */
export type DrConfig = StackConfig | LinksConfig;

export function isLinksConfig(c: DrConfig): c is LinksConfig {
  return c.role === LINKS_ROLE;
}

/** One problem in a stack's config: its key, the value found, and what to do. */
export interface ConfigProblem {
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly source: string, readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(source, problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key} = ${p.value === undefined ? "(not set)" : JSON.stringify(p.value)}: ${p.message}`);
  return `Invalid configuration in ${source} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n` +
    // Quoted as Pulumi's docs quote 'names[0]': an unquoted [0] is a shell pattern (zsh refuses it).
    `Fix each with: pulumi config set --path '<key>' <value> (or edit the stack file), then run again.`;
}

/**
 * Field path in the schema -> config key in the stack file, in the syntax of `pulumi config set
 * --path`: fields joined by dots, list elements as [0], a map key holding a dot or bracket as ["a.b"].
 */
export function configKey(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  const ns = head === "region" ? "aws" : CONFIG_NAMESPACE;
  return `${ns}:${String(head)}` + rest.map((step) => typeof step === "number" ? `[${step}]` : /[.[\]"]/.test(String(step)) ? `[${JSON.stringify(String(step))}]` : `.${String(step)}`).join("");
}

function valueAt(raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const [i, step] of path.entries()) {
    if (value === null || value === undefined) return undefined;
    if (i > 0 && typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        return undefined;
      }
    }
    value = (value as Record<string, unknown>)[String(step)];
  }
  return value;
}

/**
 * Turns a region stack's raw config (keys such as "dr:vpcCidr" and "aws:region") into a typed
 * config, or throws one ConfigError naming every problem. `source` names where the values came from.
 */
export function parseStackConfig(raw: Record<string, unknown>, source: string): StackConfig {
  return withResolvedDefaults(parseWith(stackConfigSchema, raw, source, true));
}

/** Any stack's raw config, parsed by the contract of the role it names (region stacks or links). */
export function parseDrConfig(raw: Record<string, unknown>, source: string): DrConfig {
  return raw[`${CONFIG_NAMESPACE}:role`] === LINKS_ROLE ? parseLinksConfig(raw, source) : parseStackConfig(raw, source);
}

/** A links stack's raw config into a typed config, or one ConfigError naming every problem. */
export function parseLinksConfig(raw: Record<string, unknown>, source: string): LinksConfig {
  return parseWith(linksConfigSchema, raw, source, false);
}

function parseWith<S extends z.ZodType & { shape: Record<string, unknown> }>(schema: S, raw: Record<string, unknown>, source: string, hasRegion: boolean): z.output<S> {
  const fields: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const [ns, name] = key.split(":", 2);
    if (key === "aws:region") {
      if (hasRegion) fields.region = value;
      else problems.push({ key, value, message: "is set on a links stack; remove it (a links stack has no home region: each link is created in the region the primary and secondaries export)" });
    } else if (ns === CONFIG_NAMESPACE && name !== undefined) {
      if (name in schema.shape) fields[name] = value;
      else problems.push({ key, value, message: `is not a setting of this platform${hasRegion ? "" : " for a links stack"}; remove it or use one of ${Object.keys(schema.shape).filter((k) => k !== "region").map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}` });
    }
  }
  const legacy = hasRegion ? legacyRpoProblem(fields) : undefined;
  if (legacy) problems.push(legacy);
  const result = schema.safeParse(fields, { error: typeMessage });
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.success ? [] : result.error.issues) {
    const key = configKey(issue.path);
    // The migration message already explains the old single-value RPO; the schema's "must be a map" would only repeat it.
    if (legacy && key.startsWith(legacy.key)) continue;
    const value = valueAt(fields, issue.path);
    problems.push({ key, value, message: issueMessage(issue, value) });
  }
  throw new ConfigError(source, problems);
}

/**
 * Configs written before RPO targets were per data store set `rpoSeconds` to one number. They are
 * refused, not reinterpreted: one number for every store would either promise S3 more than RTC
 * keeps or let the database lose far more than it needs to. The message gives the replacement.
 */
export function legacyRpoProblem(fields: Record<string, unknown>): ConfigProblem | undefined {
  const raw = fields.objectives;
  let objectives: unknown = raw;
  if (typeof raw === "string") {
    try {
      objectives = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (!objectives || typeof objectives !== "object") return undefined;
  const rpo = (objectives as Record<string, unknown>).rpoSeconds;
  if (rpo === undefined || (typeof rpo === "object" && rpo !== null) || (typeof rpo === "string" && rpo.trim().startsWith("{"))) return undefined;
  return {
    key: `${CONFIG_NAMESPACE}:objectives.rpoSeconds`,
    value: rpo,
    message: "is a single number, the format before RPO targets were per data store; replace it with one target per store, " +
      "such as rpoSeconds: { database: 1, objects: 900, secrets: 60 } (what the platform can keep: Aurora lag alarm, S3 RTC's 15 minutes, secret replication); see README, Configuration",
  };
}

/** The message of a schema that declares none (zod's own would read "Invalid input: expected string, received number"). */
function typeMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "unrecognized_keys") return `has unknown field(s) ${issue.keys.join(", ")}; remove them (check the spelling against the README)`;
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return "is required";
  return `must be ${{ object: "a map of fields", array: "a list", string: "text", boolean: "true or false" }[issue.expected as string] ?? `a ${issue.expected}`}`;
}

/** `value` is the one found at the issue's path: a coerced number sees NaN both for "ten" and for a missing value. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  // A required field's own message says what to set; the generic one does not.
  if (issue.code === "invalid_type" && value === undefined) return issue.message.startsWith("is required") ? issue.message : "is required";
  return issue.message;
}

function withResolvedDefaults(c: Parsed): StackConfig {
  return { ...c, database: { ...c.database, engineVersion: c.database.engineVersion ?? DEFAULT_ENGINE_VERSIONS[c.database.engine] } };
}
