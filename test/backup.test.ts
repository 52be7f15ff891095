import { expect } from "chai";
import { BACKUP_ROLE_POLICY_ARNS, backupVaultName, laterSchedule, PRIMARY_PLAN_DELAY_MINUTES, primaryPlanTiming, primaryScheduleProblem, scheduleGapsSeconds, scheduleIntervalSeconds, vaultAccessPolicy, vaultPolicyAdmins } from "../components/data/backupRules";
import { backupJobAlarmsProblems } from "../components/observability/backupJobAlarms";
import { ConfigError, parseStackConfig } from "../stacks/configSchema";
import { BackupExports } from "../stacks/contract";
import { recoveryCopyPlan } from "../stacks/backup";
import { exampleDeployment } from "./harness/deployments";
import { RegionalProviders } from "../stacks/providers";
import { clusterIdentifier, providerTags } from "../stacks/region";
import { targetsFromOutputs } from "../src/deploy/preflight/targets";
import { estimateRecovery } from "../src/model/recovery";
import { evaluateStack, Evaluation } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { failureOf, givenStackFile, oneOf, PRIMARY_STACK_REF, resourcesOf, whenBothEvaluated, whenEvaluated } from "./harness/stack";
import { viewsOfRecorded } from "../policy/recorded";
import { runPolicies } from "../policy/run";
import { policyNamed } from "./harness/policyResources";
import type { StackView } from "../policy/model";

const HOUR = 3600;

describe("backup schedules: the longest gap between runs of an AWS Backup cron", () => {
  const table: Array<[string, number | undefined]> = [
    ["cron(0 5 ? * * *)", 24 * HOUR],
    ["cron(0 0/6 ? * * *)", 6 * HOUR],
    ["cron(30 */12 ? * * *)", 12 * HOUR],
    // 1 -> 7 -> 19 -> 1: the 12 h gap counts, not the average.
    ["cron(0 1,7,19 ? * * *)", 12 * HOUR],
    ["cron(0 * ? * * *)", HOUR],
    ["cron(0 5 ? * SUN *)", 7 * 24 * HOUR],
    ["rate(1 day)", undefined],
    ["cron(*/15 * ? * * *)", undefined],
    ["cron(0 5 1 * ? *)", undefined],
    ["cron(0 25 ? * * *)", undefined],
  ];
  for (const [expression, seconds] of table) {
    it(`${expression} -> ${seconds === undefined ? "unreadable" : `${seconds / HOUR} h`}`, () => {
      expect(scheduleIntervalSeconds(expression)).to.equal(seconds);
    });
  }
});

describe("the primary's own plan waits for the copy plan (AWS Backup runs one job per resource at a time)", () => {
  const later: Array<[string, string | undefined]> = [
    ["cron(0 5 ? * * *)", "cron(30 5 ? * * *)"],
    ["cron(45 23 ? * * *)", "cron(15 0 ? * * *)"],
    ["cron(40 */6 ? * * *)", "cron(10 1,7,13,19 ? * * *)"],
    ["cron(50 23 ? * SAT *)", "cron(20 0 ? * SUN *)"],
    ["cron(50 23 ? * 7 *)", "cron(20 0 ? * 1 *)"],
    ["rate(1 day)", undefined],
  ];
  for (const [expression, expected] of later)
    it(`${expression} + 30 min -> ${expected ?? "unreadable"}, every gap unchanged`, () => {
      expect(laterSchedule(expression, 30)).to.equal(expected);
      if (expected) expect(scheduleGapsSeconds(expected)).to.deep.equal(scheduleGapsSeconds(expression));
    });

  it("refuses what AWS's cron refuses: '*' in both day fields, '?' as the year (eb-cron-expressions.html)", () => {
    expect(scheduleIntervalSeconds("cron(0 5 * * * *)")).to.equal(undefined);
    expect(scheduleIntervalSeconds("cron(0 5 ? * * ?)")).to.equal(undefined);
    expect(scheduleIntervalSeconds("cron(0 5 * * ? *)")).to.equal(24 * HOUR);
  });

  it("gives the primary's job a start window that outlasts the copy job but ends an hour before the next copy run, sized by the shortest gap", () => {
    expect(primaryPlanTiming("cron(0 5 ? * * *)")).to.deep.equal({ schedule: "cron(30 5 ? * * *)", startWindowMinutes: 480, delayMinutes: 30 });
    expect(primaryPlanTiming("cron(0 */6 ? * * *)")!.startWindowMinutes).to.equal(6 * 60 - 30 - 60);
    // 01:00 and 07:00: the next copy run is 6 h away, not 18 h.
    expect(primaryPlanTiming("cron(0 1,7 ? * * *)")!.startWindowMinutes).to.equal(6 * 60 - 30 - 60);
    // API_BackupRuleInput.html: a start window is at least 60 minutes; runs 2 h apart leave no room for one.
    expect(primaryPlanTiming("cron(0 0/2 ? * * *)")).to.equal(undefined);
    expect(primaryPlanTiming("cron(0 0/3 ? * * *)")!.startWindowMinutes).to.equal(90);
  });

  it("refuses, in the primary only (the one stack with two plans on a resource), runs too close for both plans, naming the key, the gap and a schedule that works", () => {
    expect(primaryScheduleProblem("cron(0 * ? * * *)")).to.contain("60 minutes apart").and.contain("at least 150 minutes").and.contain("cron(0 0/3 ? * * *)");
    expect(primaryScheduleProblem("cron(0 0/3 ? * * *)")).to.equal(undefined);
    const hourly = { "dr:backup": { schedule: "cron(0 * ? * * *)" } };
    expect(() => parseStackConfig(givenStackFile("primary", hourly), "Pulumi.primary.yaml")).to.throw(/dr:backup\.schedule[\s\S]*60 minutes apart/);
    expect(parseStackConfig(givenStackFile("secondary", hourly), "Pulumi.secondary.yaml").backup.schedule).to.equal("cron(0 * ? * * *)");
  });

  it("on the example, no two plans selecting one resource start together, and the later one's job may wait out the other's", async function () {
    this.timeout(60_000);
    const { primary, links } = await exampleDeployment();
    const plans = [primary, links].flatMap((ev) => resourcesOf(ev, "aws:backup/plan:Plan").map((plan) => {
      const selection = resourcesOf(ev, "aws:backup/selection:Selection").find((sel) => sel.parent === plan.parent)!;
      const rule = (plan.inputs.rules as { schedule: string; startWindow: number }[])[0];
      return { region: plan.region, stack: ev.stack, schedule: rule.schedule, startWindow: rule.startWindow, resources: selection.inputs.resources as string[] };
    }));
    const own = plans.find((p) => p.stack === "primary")!;
    const copy = plans.find((p) => p.stack === "links")!;
    const configured = parseStackConfig(givenStackFile("primary"), "Pulumi.primary.yaml").backup.schedule;
    expect(copy.region).to.equal(own.region);
    expect(copy.resources.filter((arn) => own.resources.includes(arn))).to.not.be.empty;
    // The copies keep the configured time: their age is what a restore in the recovery region gets.
    expect(copy.schedule).to.equal(configured);
    expect(own.schedule).to.equal(laterSchedule(configured, PRIMARY_PLAN_DELAY_MINUTES));
    expect(copy.startWindow).to.equal(60);
    expect(own.startWindow).to.be.greaterThan(PRIMARY_PLAN_DELAY_MINUTES + copy.startWindow);
  });
});

describe("dr:backup and dr:database.sizeGiB in the config contract", () => {
  const primary = (overrides: Record<string, unknown> = {}) => givenStackFile("primary", overrides);
  const problem = (overrides: Record<string, unknown>, key: string): string => {
    try {
      parseStackConfig(primary(overrides), "test");
    } catch (err) {
      const found = (err as ConfigError).problems.find((p) => p.key === key);
      if (found) return found.message;
      throw new Error(`no problem for ${key} in: ${(err as Error).message}`);
    }
    throw new Error("expected a ConfigError, but the config parsed");
  };

  it("defaults to a daily backup kept 35 days, continuous, copies kept 35 days, governance lock 7-365 days, 100 GiB", () => {
    const c = parseStackConfig(primary(), "test");
    expect(c.backup).to.deep.equal({
      schedule: "cron(0 5 ? * * *)", retentionDays: 35, copyRetentionDays: 35, continuous: true, adoptVault: false,
      vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365 },
      // Restore testing follows dr:gameDays unless `enabled` is set: weekly, validated within 4 h.
      restoreTesting: { schedule: "cron(0 6 ? * SUN *)", validationWindowHours: 4, startWindowHours: 8 },
    });
    expect(c.database.sizeGiB).to.equal(100);
  });

  const rows: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["retention above the lock's maximum", { continuous: false, retentionDays: 400 }, "dr:backup.retentionDays", /outside the vault lock's retention range \(7-365 days\).*fail every backup job/],
    ["copy retention below the lock's minimum", { copyRetentionDays: 3 }, "dr:backup.copyRetentionDays", /outside the vault lock's retention range.*copy job/],
    ["continuous retention beyond 35 days", { retentionDays: 60 }, "dr:backup.retentionDays", /more than 35 days.*continuous to false/],
    ["compliance mode without a changeable period", { vaultLock: { mode: "compliance" } }, "dr:backup.vaultLock.changeableForDays", /required in compliance mode.*nobody, not even the account root/],
    ["compliance mode changeable for 2 days", { vaultLock: { mode: "compliance", changeableForDays: 2 } }, "dr:backup.vaultLock.changeableForDays", /at least 3 .*72-hour/],
    ["a changeable period in governance mode", { vaultLock: { changeableForDays: 10 } }, "dr:backup.vaultLock.changeableForDays", /governance.*compliance mode/],
    ["a lock minimum above its maximum", { retentionDays: 35, vaultLock: { minRetentionDays: 400, maxRetentionDays: 30 } }, "dr:backup.vaultLock", /minRetentionDays 400 above maxRetentionDays 30/],
    ["a lock maximum beyond 100 years", { continuous: false, vaultLock: { maxRetentionDays: 40000 } }, "dr:backup.vaultLock.maxRetentionDays", /at most 36500/],
    ["an unreadable schedule", { schedule: "rate(12 hours)" }, "dr:backup.schedule", /cron\(M 0\/N \? \* \* \*\)/],
    ["a weekly backup kept only a week", { schedule: "cron(0 5 ? * SUN *)", retentionDays: 7, copyRetentionDays: 7 }, "dr:backup.retentionDays", /no longer than the 168 h between backups/],
    ["an unknown lock mode", { vaultLock: { mode: "strict" } }, "dr:backup.vaultLock.mode", /governance, compliance/],
    // aws:PrincipalArn of an assumed role is the role's ARN, never a session's; a session ARN would match nobody.
    ["a session ARN as a vault policy admin", { policyAdminArns: ["arn:aws:sts::123456789012:assumed-role/deployer/ci-42"] }, "dr:backup.policyAdminArns", /assumed-role\/deployer\/ci-42.*name the role \(arn:aws:iam::<account>:role\/<role>\)/],
    ["an empty vault policy admin list", { policyAdminArns: [] }, "dr:backup.policyAdminArns", /nobody could change the vault access policy again/],
  ];
  for (const [what, backup, key, fix] of rows) {
    it(`rejects ${what}, naming ${key}`, () => {
      expect(problem({ "dr:backup": backup }, key)).to.match(fix);
    });
  }

  it("rejects a database size of 0 GiB", () => {
    expect(problem({ "dr:database": { sizeGiB: 0 } }, "dr:database.sizeGiB")).to.match(/positive number of GiB/);
  });

  it("accepts compliance mode with a changeable period and a retention inside the lock", () => {
    const c = parseStackConfig(primary({ "dr:backup": { vaultLock: { mode: "compliance", changeableForDays: 3, minRetentionDays: 30, maxRetentionDays: 90 } } }), "test");
    expect(c.backup.vaultLock).to.deep.equal({ mode: "compliance", changeableForDays: 3, minRetentionDays: 30, maxRetentionDays: 90 });
  });
});

describe("backup job alarm arguments", () => {
  const vault = { name: "v", resourceTypes: ["S3"] };
  const day = 86400;
  it("names a region that is not one, and a topic in another region than the alarms", () => {
    expect(backupJobAlarmsProblems({ region: "us-west", vault, alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t", freshnessWindowSeconds: day })).to.deep.equal([
      'region is "us-west", not an AWS region name; pass the region of the provider in opts, such as us-west-2',
    ]);
    // CloudWatch alarms notify topics of their own region only.
    expect(backupJobAlarmsProblems({ region: "us-west-2", vault, alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:t", freshnessWindowSeconds: day })[0])
      .to.contain("alarmTopicArn is in us-east-1").and.contain("pass one in us-west-2");
    expect(backupJobAlarmsProblems({ region: "us-west-2", vault: { ...vault, name: "" }, alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t", freshnessWindowSeconds: day })).to.deep.equal(["vault.name is empty; pass the name of the region's backup vault"]);
    expect(backupJobAlarmsProblems({ region: "us-west-2", vault, alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t", freshnessWindowSeconds: day })).to.deep.equal([]);
  });

  it("refuses a freshness window longer than the 7 days an alarm may look back (PutMetricAlarm: Period x EvaluationPeriods <= 604,800 s)", () => {
    const problems = backupJobAlarmsProblems({ region: "us-west-2", vault, alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t", freshnessWindowSeconds: 7 * day + 1 });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain("freshnessWindowSeconds is 604801").and.contain("dr:backup.schedule");
    expect(backupJobAlarmsProblems({ region: "us-west-2", vault, alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t", freshnessWindowSeconds: 7 * day })).to.deep.equal([]);
  });
});

describe("vault names and the vault access policy", () => {
  it("names vaults by app, environment and region, within AWS's 50 characters", () => {
    expect(backupVaultName("orders", "prod", "us-west-2")).to.equal("orders-prod-us-west-2");
    expect(() => backupVaultName("a".repeat(40), "prod", "us-east-1")).to.throw(/2,50/);
    expect(() => backupVaultName("orders.app", "prod", "us-east-1")).to.throw(/shorten dr:appName/);
  });

  it("denies deleting recovery points to everyone, and policy changes to all but the administrators", () => {
    const arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:v";
    const policy = JSON.parse(vaultAccessPolicy(arn, ["arn:aws:iam::123456789012:role/deployer"]));
    const [points, changes] = policy.Statement;
    expect(points).to.deep.include({ Effect: "Deny", Principal: "*", Resource: "*", Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"] });
    expect(points.Condition).to.equal(undefined);
    expect(changes).to.deep.include({ Effect: "Deny", Principal: "*", Resource: arn, Action: ["backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy"] });
    expect(changes.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::123456789012:role/deployer"] } });
    // No wildcard actions: vault access policies do not support them.
    expect([...points.Action, ...changes.Action].some((a: string) => a.includes("*"))).to.equal(false);
    expect(() => vaultAccessPolicy(arn, [])).to.throw(/could never be changed again/);
  });
});

describe("vault policy administrators: a fixed list, never the caller", () => {
  // aws:PrincipalArn of the root user is arn:<partition>:iam::<account>:root:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
  it("defaults to the root of the vault's own account and partition, read from the vault ARN", () => {
    expect(vaultPolicyAdmins("arn:aws:backup:us-east-1:111122223333:backup-vault:orders-prod-us-east-1", undefined)).to.deep.equal(["arn:aws:iam::111122223333:root"]);
    expect(vaultPolicyAdmins("arn:aws-us-gov:backup:us-gov-west-1:444455556666:backup-vault:v", [])).to.deep.equal(["arn:aws-us-gov:iam::444455556666:root"]);
    expect(() => vaultPolicyAdmins("orders-prod-us-east-1", undefined)).to.throw(/not a backup vault ARN/);
  });

  it("uses a configured list exactly (without repeats), whatever the vault", () => {
    const ci = "arn:aws:iam::111122223333:role/ci";
    expect(vaultPolicyAdmins("arn:aws:backup:us-east-1:111122223333:backup-vault:v", [ci, ci, "arn:aws:iam::111122223333:root"])).to.deep.equal([ci, "arn:aws:iam::111122223333:root"]);
  });
});

describe("backups in both stacks (dr:strategy backup-restore; compliance lock in the secondary)", () => {
  const strategy = { "dr:strategy": "backup-restore" };
  // The primary redeploys over the vault an earlier destroy kept (adoptVault); the secondary names its
  // vault policy's administrators; the primary leaves them to the default (the account root).
  const primaryConfig = givenStackFile("primary", { ...strategy, "dr:backup": { schedule: "cron(0 0/6 ? * * *)", adoptVault: true } });
  const ADMINS = [`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/ci-deployer`, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/oncall-breakglass`];
  const secondaryConfig = givenStackFile("secondary", {
    ...strategy,
    // Copies into the primary's vault kept 30 days (inside its 7-365 lock), apart from the 35 of everything else.
    "dr:backup": { schedule: "cron(0 0/6 ? * * *)", copyRetentionDays: 30, policyAdminArns: ADMINS, vaultLock: { mode: "compliance", changeableForDays: 3, minRetentionDays: 14, maxRetentionDays: 90 } },
  });
  let primary: Evaluation;
  let secondary: Evaluation;
  let copy: Evaluation;
  before(async () => {
    ({ primary, secondary } = await whenBothEvaluated(primaryConfig, secondaryConfig));
    const source = (primary.outputs.regional as { backup: BackupExports }).backup;
    const destination = (secondary.outputs.regional as { backup: BackupExports }).backup;
    copy = await evaluateStack({ stack: "links", config: { "dr:appName": "orders" }, program: async () => {
      recoveryCopyPlan("orders-prod-backup-copy", source, [{ ...destination, region: "us-west-2" }], new RegionalProviders(providerTags(parseStackConfig(primaryConfig, "p"))).for("us-east-1"), (primary.outputs.regional as { alarmTopicArn: string }).alarmTopicArn, "us-east-1");
    } });
  });

  const keyOf = (ev: Evaluation): string => (ev.outputs.regional as { kmsKeyArn: string }).kmsKeyArn;

  it("gives each stack one vault, encrypted with its own region's customer key and kept on destroy", () => {
    for (const [ev, region] of [[primary, "us-east-1"], [secondary, "us-west-2"]] as const) {
      const vault = oneOf(ev, "aws:backup/vault:Vault");
      expect(vault.region).to.equal(region);
      expect(vault.inputs.kmsKeyArn).to.equal(keyOf(ev)).and.match(new RegExp(`^arn:aws:kms:${region}:`));
      expect(vault.inputs).to.include({ name: `orders-prod-${region}`, forceDestroy: false });
      expect(vault.retainOnDelete).to.equal(true);
    }
    expect(keyOf(secondary)).to.equal((primary.outputs.replicaKeyArns as Record<string, string>)["us-west-2"]);
  });

  it("locks the primary's vault in governance mode and the secondary's in compliance mode, with the configured range", () => {
    const governance = oneOf(primary, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
    expect(governance.inputs).to.include({ backupVaultName: "orders-prod-us-east-1", minRetentionDays: 7, maxRetentionDays: 365 });
    expect(governance.inputs.changeableForDays).to.equal(undefined);
    const compliance = oneOf(secondary, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
    expect(compliance.inputs).to.include({ backupVaultName: "orders-prod-us-west-2", minRetentionDays: 14, maxRetentionDays: 90, changeableForDays: 3 });
    expect(compliance.retainOnDelete).to.equal(true);
  });

  // The policy denies PutBackupVaultAccessPolicy to all but its admins, so admins taken from the caller
  // would change the policy whenever another identity deploys, and that identity's update is denied.
  it("denies recovery-point deletion in both vaults; policy changes only to the configured admins, or the account root, never the caller", () => {
    const adminsOf = (ev: Evaluation): string[] => {
      const policy = JSON.parse(oneOf(ev, "aws:backup/vaultPolicy:VaultPolicy").inputs.policy as string);
      expect(policy.Statement[0].Action, ev.stack).to.include("backup:DeleteRecoveryPoint");
      return policy.Statement[1].Condition.ArnNotEquals["aws:PrincipalArn"];
    };
    expect(adminsOf(primary)).to.deep.equal([`arn:aws:iam::${MOCK_ACCOUNT_ID}:root`]);
    expect(adminsOf(secondary)).to.deep.equal(ADMINS);
    for (const ev of [primary, secondary]) {
      // The mock caller (getCallerIdentity answers user/mock) appears nowhere, and no session lookup is made.
      expect(oneOf(ev, "aws:backup/vaultPolicy:VaultPolicy").inputs.policy as string, ev.stack).to.not.contain(":user/mock");
      expect(ev.invokes.map((i) => i.token), ev.stack).to.not.include("aws:iam/getSessionContext:getSessionContext");
    }
  });

  // A kept vault's name stays taken (CreateBackupVault: AlreadyExistsException,
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html): adoptVault imports it.
  it("imports the kept vault, lock and policy by the vault name when dr:backup.adoptVault is set, and creates them otherwise", () => {
    for (const type of ["aws:backup/vault:Vault", "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "aws:backup/vaultPolicy:VaultPolicy"]) {
      expect(oneOf(primary, type).importId, type).to.equal("orders-prod-us-east-1");
      expect(oneOf(primary, type).retainOnDelete, type).to.equal(true);
      expect(oneOf(secondary, type).importId, type).to.equal(undefined);
    }
    // A new key forces a new vault, whose name is taken: every vault keeps the key it was created
    // with, adopted or not, and after adoption ends too (a redeployed stack has a new key).
    for (const ev of [primary, secondary]) expect(oneOf(ev, "aws:backup/vault:Vault").ignoreChanges).to.deep.equal(["kmsKeyArn"]);
    // The provider never reads changeableForDays back: always ignored, or every `up` would rewrite the
    // lock (a compliance lock past its grace time refuses). An adopted lock is taken as AWS holds it.
    expect(oneOf(secondary, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").ignoreChanges).to.deep.equal(["changeableForDays"]);
    expect(oneOf(primary, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").ignoreChanges).to.have.members(["changeableForDays", "minRetentionDays", "maxRetentionDays"]);
    // The kept policy may name other admins; the import takes it as is, the next `up` writes the configured one.
    expect(oneOf(primary, "aws:backup/vaultPolicy:VaultPolicy").ignoreChanges).to.deep.equal(["policy"]);
    expect(oneOf(secondary, "aws:backup/vaultPolicy:VaultPolicy").ignoreChanges).to.deep.equal([]);
  });

  it("tells the destroy preflight each regional stack's vault (regional.backup.vaultName), which a destroy keeps", () => {
    expect(targetsFromOutputs("primary", primary.outputs)?.backupVaultName).to.equal("orders-prod-us-east-1");
    expect(targetsFromOutputs("secondary", secondary.outputs)?.backupVaultName).to.equal("orders-prod-us-west-2");
  });

  // Under a continuous rule AWS Backup owns the cluster's automated-backup retention
  // (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html).
  it("lets AWS Backup manage the primary cluster's backup retention (continuous rule), keeping >= 7 days and deletion protection", () => {
    const cluster = oneOf(primary, "aws:rds/cluster:Cluster");
    expect(parseStackConfig(primaryConfig, "p").backup.continuous).to.equal(true);
    expect(cluster.ignoreChanges).to.include("backupRetentionPeriod");
    expect(cluster.inputs.backupRetentionPeriod as number).to.be.at.least(7);
    expect(cluster.inputs.deletionProtection).to.equal(true);
  });

  it("backs up the primary's Aurora cluster and data bucket, selected by ARN, after the bucket is versioned", () => {
    const cluster = oneOf(primary, "aws:rds/cluster:Cluster");
    const bucketName = (primary.outputs.regional as { dataBucketName: string }).dataBucketName;
    const selection = oneOf(primary, "aws:backup/selection:Selection");
    expect(selection.inputs.resources).to.have.members([
      `arn:aws:rds:us-east-1:${MOCK_ACCOUNT_ID}:cluster:${cluster.inputs.clusterIdentifier as string}`,
      `arn:aws:s3:::${bucketName}`,
    ]);
    expect(selection.dependsOn).to.include(oneOf(primary, "aws:s3/bucketVersioning:BucketVersioning", /orders-data-/).urn);
    const role = oneOf(primary, "aws:iam/role:Role", /backup-role/);
    expect(selection.inputs.iamRoleArn).to.match(new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${role.name}-`));
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "backup.amazonaws.com" });
    const attached = resourcesOf(primary, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", /backup-role/).map((a) => a.inputs.policyArn);
    expect(attached).to.have.members([...BACKUP_ROLE_POLICY_ARNS.backup]);
  });

  it("runs the primary's rule after the configured schedule into its own vault, continuous for 35 days, with no copy of its own", () => {
    const plan = oneOf(primary, "aws:backup/plan:Plan");
    const [rule] = plan.inputs.rules as Array<Record<string, unknown>>;
    // 30 minutes after dr:backup.schedule (cron(0 0/6 ? * * *)), waiting up to 6 h - 30 min - 1 h for the links stack's copy plan.
    expect(rule).to.include({ schedule: "cron(30 0/6 ? * * *)", startWindow: 270, targetVaultName: "orders-prod-us-east-1", enableContinuousBackup: true });
    expect(rule.lifecycle).to.deep.equal({ deleteAfter: 35 });
    expect(rule.copyActions ?? []).to.deep.equal([]);
  });

  it("builds no DB cluster and no running instances in a backup-restore secondary, but keeps groups and launch templates", () => {
    expect(resourcesOf(secondary, "aws:rds/cluster:Cluster")).to.deep.equal([]);
    expect(resourcesOf(secondary, "aws:rds/clusterInstance:ClusterInstance")).to.deep.equal([]);
    const groups = resourcesOf(secondary, "aws:autoscaling/group:Group");
    expect(groups).to.have.length(2);
    for (const g of groups) expect(g.inputs).to.include({ minSize: 0, desiredCapacity: 0 });
    expect(resourcesOf(secondary, "aws:ec2/launchTemplate:LaunchTemplate")).to.have.length(2);
    const restore = resourcesOf(secondary, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", /restore-role/).map((a) => a.inputs.policyArn);
    expect(restore).to.have.members([...BACKUP_ROLE_POLICY_ARNS.restore]);
    // The restore lands in the isolated subnets, in a group whose name is not the cluster identifier:
    // DataTier names its own subnet group after the cluster, and RDS refuses a second group of one name
    // per region (DBSubnetGroupAlreadyExists), which a switch to pilot-light or warm-standby would create.
    const subnets = oneOf(secondary, "aws:rds/subnetGroup:SubnetGroup");
    const clusterId = clusterIdentifier(parseStackConfig(secondaryConfig, "s"));
    expect(clusterId).to.equal("orders-prod-us-west-2");
    expect(subnets.inputs.name).to.equal("orders-prod-us-west-2-restore");
    expect(subnets.inputs.name).not.to.equal(clusterId);
    // The isolated tier, as the cluster it replaces (the database never sits in a routable subnet).
    const network = secondary.componentOutputs.get(oneOf(secondary, "dr:network:RegionalNetwork", /-network$/).urn) as { isolatedSubnetIds: string[]; privateSubnetIds: string[] };
    expect(network.isolatedSubnetIds).to.have.length(3);
    expect(subnets.inputs.subnetIds).to.deep.equal(network.isolatedSubnetIds);
    expect((secondary.outputs.regional as { backup: BackupExports }).backup.restoreDbSubnetGroupName).to.equal("orders-prod-us-west-2-restore");
  });

  it("reports an RPO equal to the backup interval (6 h) and a restore time from the data size", () => {
    const p = parseStackConfig(primaryConfig, "p");
    const s = parseStackConfig(secondaryConfig, "s");
    const aurora = estimateRecovery({ primary: p, secondary: s }).dataLoss.find((d) => d.store === "database")!;
    expect(aurora.seconds).to.equal(6 * HOUR);
    expect(aurora.source).to.contain("every 6 h");
    const small = estimateRecovery({ primary: { ...p, database: { ...p.database, sizeGiB: 10 } }, secondary: s });
    const large = estimateRecovery({ primary: { ...p, database: { ...p.database, sizeGiB: 1010 } }, secondary: s });
    // 1,000 GiB more at the model's 18 s/GiB (BACKUP_RESTORE_FIGURES).
    expect(large.terms.databaseFailover.seconds - small.terms.databaseFailover.seconds).to.equal(1000 * 18);
  });

  it("lets the links stack copy the primary's recovery points into the secondary's vault (recoveryCopyPlan, as stacks/links.ts calls it)", () => {
    const plan = oneOf(copy, "aws:backup/plan:Plan");
    expect(plan.region).to.equal("us-east-1");
    const [rule] = plan.inputs.rules as Array<Record<string, unknown>>;
    expect(rule).to.include({ targetVaultName: "orders-prod-us-east-1", enableContinuousBackup: false });
    expect(rule.copyActions).to.deep.equal([{ destinationVaultArn: `arn:aws:backup:us-west-2:${MOCK_ACCOUNT_ID}:backup-vault:orders-prod-us-west-2`, lifecycle: { deleteAfter: 35 } }]);
    const selection = oneOf(copy, "aws:backup/selection:Selection");
    expect(selection.inputs.resources).to.deep.equal((primary.outputs.regional as { backup: BackupExports }).backup.protectedArns);
  });

  it("refuses a copy retention outside the destination vault's lock range before registering the plan", async () => {
    const source = (primary.outputs.regional as { backup: BackupExports }).backup;
    const destination = { ...(secondary.outputs.regional as { backup: BackupExports }).backup, lockMinRetentionDays: 60 };
    const message = await failureOf(() => evaluateStack({ stack: "links", config: {}, program: async () => {
      // The check runs before any provider is used, so none is given.
      recoveryCopyPlan("copy", source, [{ ...destination, region: "us-west-2" }], undefined as never, "arn:aws:sns:us-east-1:123456789012:t", "us-east-1");
    } }));
    expect(message).to.match(/copyRetentionDays = 35 is outside the vault lock range of orders-prod-us-west-2 \(60-90 days\)/);
  });

  const regional = (ev: Evaluation) => ev.outputs.regional as { backup: BackupExports; dataBucketName: string; alarmTopicArn: string };

  it("gives the secondary its own plan in its own region: its data bucket, copied into the primary's vault for dr:backup.copyRetentionDays", () => {
    const plan = oneOf(secondary, "aws:backup/plan:Plan");
    expect(plan.region).to.equal("us-west-2");
    const [rule] = plan.inputs.rules as Array<Record<string, unknown>>;
    expect(rule).to.include({ targetVaultName: "orders-prod-us-west-2", schedule: "cron(0 0/6 ? * * *)", enableContinuousBackup: true });
    // The ARN the primary exported through the stack reference, and the secondary's own copy retention (30).
    expect(rule.copyActions).to.deep.equal([{ destinationVaultArn: regional(primary).backup.vaultArn, lifecycle: { deleteAfter: 30 } }]);
    expect(regional(primary).backup.vaultArn).to.equal(`arn:aws:backup:us-east-1:${MOCK_ACCOUNT_ID}:backup-vault:orders-prod-us-east-1`);
    const selection = oneOf(secondary, "aws:backup/selection:Selection");
    // backup-restore: no Aurora member here, so the bucket is the region's only data store.
    expect(selection.inputs.resources).to.deep.equal([`arn:aws:s3:::${regional(secondary).dataBucketName}`]);
    // ...and the cluster a restore creates, by the tag the restore drill puts on it (test/drills/restore.test.ts
    // pins the same tag), so it is backed up continuously and copied to the primary's vault by the rule above.
    expect(selection.inputs.selectionTags).to.deep.equal([{ type: "STRINGEQUALS", key: "dr:backup-selection", value: "restored-orders-prod-us-west-2" }]);
    // The primary selects its own cluster by ARN and needs no tag selection.
    expect(oneOf(primary, "aws:backup/selection:Selection").inputs.selectionTags).to.equal(undefined);
    expect(selection.dependsOn).to.include(oneOf(secondary, "aws:s3/bucketVersioning:BucketVersioning", /orders-data-/).urn);
    const attached = resourcesOf(secondary, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", /backup-role/).map((a) => a.inputs.policyArn);
    expect(attached).to.have.members([...BACKUP_ROLE_POLICY_ARNS.backup]);
    expect(regional(secondary).backup.planId).to.be.a("string").and.not.equal("");
    // Static stability: every backup resource of the secondary lives in its own region.
    for (const r of secondary.resources.filter((x) => x.type.startsWith("aws:backup/")))
      expect(r.region, `${r.type} ${r.name}`).to.equal("us-west-2");
  });

  it("alarms on failed, expired and aborted jobs and on freshness per resource type of each vault, in its region, to its topic", () => {
    const byName = (ev: Evaluation) => resourcesOf(ev, "aws:cloudwatch/metricAlarm:MetricAlarm", /-backup-alarms-/);
    for (const [ev, region] of [[primary, "us-east-1"], [secondary, "us-west-2"]] as const) {
      const alarms = byName(ev).filter((a) => (a.inputs.dimensions as Record<string, string>).BackupVaultName === `orders-prod-${region}`);
      const failures = alarms.filter((a) => a.inputs.comparisonOperator === "GreaterThanThreshold");
      expect(failures.map((a) => a.inputs.metricName)).to.have.members(["NumberOfBackupJobsFailed", "NumberOfBackupJobsExpired", "NumberOfBackupJobsAborted"]);
      for (const a of alarms) {
        expect(a.region).to.equal(region);
        expect(a.inputs.alarmActions).to.deep.equal([regional(ev).alarmTopicArn]);
        expect(regional(ev).alarmTopicArn).to.match(new RegExp(`^arn:aws:sns:${region}:`));
      }
      // AWS Backup reports a metric only while it is nonzero: silence is no failure, but no completed job.
      for (const a of failures) expect(a.inputs).to.include({ namespace: "AWS/Backup", statistic: "Sum", threshold: 0, treatMissingData: "notBreaching", period: 300 });
      const fresh = alarms.filter((a) => a.inputs.metricName === "NumberOfBackupJobsCompleted");
      // backup-restore: the secondary has no cluster, so only its bucket is protected there.
      const types = ev === primary ? ["S3", "Aurora"] : ["S3"];
      expect(fresh.map((a) => (a.inputs.dimensions as Record<string, string>).ResourceType)).to.have.members(types);
      // The 6-hourly schedule of this file, the start window and a grace hour: 8 hours without a completed job in the
      // secondary (60-minute window); 12 in the primary, whose own plan starts 30 minutes late and may wait 270 minutes.
      const hours = ev === primary ? 12 : 8;
      for (const a of fresh) expect(a.inputs).to.include({ comparisonOperator: "LessThanThreshold", threshold: 1, period: 3600, evaluationPeriods: hours, datapointsToAlarm: hours, treatMissingData: "breaching" });
    }
    // The secondary's copies into the primary's vault run in the secondary's region and are reported under the DESTINATION vault.
    const copies = byName(secondary).filter((a) => /copy/.test(a.name));
    expect(copies.map((a) => a.inputs.metricName)).to.have.members(["NumberOfCopyJobsFailed", "NumberOfCopyJobsCompleted"]);
    for (const a of copies) expect(a.inputs.dimensions).to.deep.equal({ BackupVaultName: "orders-prod-us-east-1" });
    // The primary's own plan copies nowhere: its copies are the links stack's plan, alarmed there.
    expect(byName(primary).filter((a) => /copy/.test(a.name))).to.deep.equal([]);
  });

  it("alarms on the links plan's copies into each secondary vault, in the primary's region, on the primary's topic", () => {
    const alarms = resourcesOf(copy, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.metricName)).to.have.members(["NumberOfCopyJobsFailed", "NumberOfCopyJobsCompleted"]);
    for (const a of alarms) {
      expect(a.region).to.equal("us-east-1");
      expect(a.inputs.dimensions).to.deep.equal({ BackupVaultName: "orders-prod-us-west-2" });
      expect(a.inputs.alarmActions).to.deep.equal([regional(primary).alarmTopicArn]);
    }
    // The copy plan runs on the 6-hourly schedule itself with a 60-minute start window: 6 + 1 + 1 grace hours.
    const fresh = alarms.find((a) => a.inputs.metricName === "NumberOfCopyJobsCompleted")!;
    expect(fresh.inputs).to.include({ evaluationPeriods: 8, datapointsToAlarm: 8 });
  });

  it("refuses a secondary whose copy retention the primary's vault lock would refuse, naming the key, before registering anything", async () => {
    const narrow = structuredClone(primary.outputs) as { regional: { backup: BackupExports } };
    Object.assign(narrow.regional.backup, { lockMinRetentionDays: 60, lockMaxRetentionDays: 90 });
    const message = await failureOf(() => whenEvaluated("secondary", secondaryConfig, { [PRIMARY_STACK_REF]: narrow }));
    expect(message).to.contain("dr:backup.copyRetentionDays = 30").and.contain("outside the vault lock range of orders-prod-us-east-1 (60-90 days)")
      .and.contain(`primary "${PRIMARY_STACK_REF}"`);
  });

  describe("policy backup-cross-region-copy on these stacks", () => {
    const view = (ev: Evaluation, stack: string, role: string, region: string): StackView => ({ stack, role, region, resources: viewsOfRecorded(ev.resources) });
    const set = (views: StackView[], peersKnown = true) => runPolicies(views.map((v) => ({ view: v })), [policyNamed("backup-cross-region-copy"), policyNamed("backup-cross-region-copy-awaiting-links")], peersKnown);
    const messagesOf = (outcome: ReturnType<typeof set>, policy: string) => outcome.find((o) => o.policy.name === policy)!.violations.map((v) => `${v.stack}: ${v.message}`);
    const views = () => ({ p: view(primary, "primary", "primary", "us-east-1"), s: view(secondary, "secondary", "secondary", "us-west-2"), l: view(copy, "links", "links", "us-east-1") });
    /** The stack with each backup plan's copy actions rewritten. */
    const withCopies = (v: StackView, edit: (copies: Array<Record<string, unknown>>) => Array<Record<string, unknown>>): StackView => ({
      ...v,
      resources: v.resources.map((r) => r.type !== "aws:backup/plan:Plan" ? r : {
        ...r, inputs: { ...r.inputs, rules: (r.inputs.rules as Array<Record<string, unknown>>).map((rule) => ({ ...rule, copyActions: edit((rule.copyActions as Array<Record<string, unknown>>) ?? []) })) },
      }),
    });
    const clusterArn = () => oneOf(primary, "aws:rds/cluster:Cluster").outputs.arn as string;
    const bucketArn = (ev: Evaluation) => `arn:aws:s3:::${regional(ev).dataBucketName}`;

    it("passes with the links stack's copy plan in the set: every data store of both stacks copies to the other region", () => {
      const { p, s, l } = views();
      const outcome = set([p, s, l]);
      expect(messagesOf(outcome, "backup-cross-region-copy")).to.deep.equal([]);
      expect(messagesOf(outcome, "backup-cross-region-copy-awaiting-links")).to.deep.equal([]);
    });

    it("without a links stack, reports the primary's cluster and bucket under the awaiting-links fallback (advisory), naming each ARN and the fix", () => {
      const { p, s } = views();
      const outcome = set([p, s]);
      expect(messagesOf(outcome, "backup-cross-region-copy")).to.deep.equal([]);
      const pending = messagesOf(outcome, "backup-cross-region-copy-awaiting-links");
      expect(pending).to.have.length(2);
      for (const arn of [clusterArn(), bucketArn(primary)])
        expect(pending.find((m) => m.includes(arn)), arn).to.contain("primary: ").and.contain("links stack's copy plan").and.contain(`must select ${arn}`);
      expect(outcome.find((o) => o.policy.name === "backup-cross-region-copy-awaiting-links")!.policy.enforcement).to.equal("advisory");
    });

    it("fails (mandatory) when a links stack is in the set but its plan copies within the primary's region", () => {
      const { p, s, l } = views();
      const local = withCopies(l, (copies) => copies.map((c) => ({ ...c, destinationVaultArn: `arn:aws:backup:us-east-1:${MOCK_ACCOUNT_ID}:backup-vault:other` })));
      const failing = messagesOf(set([p, s, local]), "backup-cross-region-copy");
      expect(failing).to.have.length(2);
      expect(failing.join("\n")).to.contain(`Cluster orders-db-cluster (${clusterArn()}, us-east-1): no backup plan in the stack set copies it to another region`)
        .and.contain(`Bucket orders-data-bucket (${bucketArn(primary)}, us-east-1)`);
    });

    it("fails (mandatory) when the secondary's plan loses its copy action, also where CrossGuard sees the secondary alone", () => {
      const { p, s, l } = views();
      const noCopy = withCopies(s, () => []);
      for (const peersKnown of [true, false]) {
        const failing = messagesOf(set([p, noCopy, l], peersKnown), "backup-cross-region-copy");
        expect(failing, `peers known: ${peersKnown}`).to.deep.equal([`secondary: Bucket orders-data-bucket (${bucketArn(secondary)}, us-west-2): its backup plan copies nowhere outside us-west-2; add a copyActions entry to the rule with destinationVaultArn the primary's vault (regional.backup.vaultArn) and a retention inside that vault's lock range.`]);
      }
      // CrossGuard cannot see the links stack, so the primary's copy is not judged there.
      expect(messagesOf(set([p], false), "backup-cross-region-copy")).to.deep.equal([]);
    });
  });
});
