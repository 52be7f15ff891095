/**
 * The restore drill: through the simulator (the example stack files simulated as a backup-restore
 * pair), its two fault cases, its dry-run calls pinned by hand from runbooks/restore.md and the
 * backup-restore fixture outputs, and the AWS Backup requests of the adapter. Expected timings come
 * from the model's cited/assumed constants and the stack files, never from the drill's output.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { BackupClient, DescribeRestoreJobCommand, ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { AddTagsToResourceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand, RDSClient } from "@aws-sdk/client-rds";
import { AwsCloud } from "../../src/drills/aws";
import { newestRecoveryPoint } from "../../src/drills/scenarios/restore";
import { runDrill } from "../../src/drills/drill";
import { undoDrill } from "../../src/drills/undo";
import { readProjectStacks } from "../../src/drills/load";
import { SIM_START } from "../../src/drills/simState";
import { SIM_RESTORE_FAILURE } from "../../src/drills/simBackup";
import { AURORA_INSTANCE_CREATE_SECONDS, ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS, INSTANCE_LAUNCH_SECONDS, restoreSecondsFor } from "../../src/model/timings";
import { callsOf, EXAMPLE_DIR, FIXTURES, printed, projectWith, Ran, simulate } from "./harness";

const primary = readProjectStacks(EXAMPLE_DIR).primary.config;

describe("drill restore", function () {
  this.timeout(10_000);
  const runs = new Map<string, Ran>();
  before(async () => {
    for (const [key, faults, force] of [
      ["ok", [], []], ["stale", ["no-recent-recovery-point"], []], ["stale-forced", ["no-recent-recovery-point"], ["recovery-point-age"]], ["fails", ["restore-job-fails"], []], ["switched-off", ["secondary-switched-off"], []],
    ] as const) runs.set(key, await simulate("restore", { faults: [...faults], force: [...force] }));
  });

  it("--simulate on the example files simulates a backup-restore pair, completes and prints measured RTO and RPO", () => {
    const r = runs.get("ok")!;
    expect(r.result.exitCode).to.equal(0);
    expect(r.lines[0]).to.match(/^# the stack files use dr:strategy warm-standby; simulating them as a backup-restore pair .*database RPO target 86400 s/);
    // Restore (assumed 1800 s + 18 s/GiB of dr:database.sizeGiB), the writer instance, a fresh launch, then Route 53 detection and the alias TTL.
    const hc = primary.healthCheck;
    const floor = restoreSecondsFor(primary.database.sizeGiB) + AURORA_INSTANCE_CREATE_SECONDS + INSTANCE_LAUNCH_SECONDS
      + hc.intervalSeconds * hc.failureThreshold + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS + ELB_ALIAS_TTL_SECONDS;
    expect(floor).to.equal(1800 + 18 * 100 + 600 + 120 + 34 + 60);
    const rto = printed(r.lines, "measured RTO");
    expect(rto).to.be.within(floor, floor + 180); // polling granularity (wait-restore polls up to every 60 s) and target-group checks
    // RPO is the chosen recovery point's age at the start: the newest COMPLETED Aurora copy, not the newer S3 one.
    const aurora = r.sim.backup!.points.filter((p) => p.resourceType === "Aurora" && p.status === "COMPLETED").sort((a, b) => b.createdAt - a.createdAt)[0];
    expect(r.sim.backup!.points.some((p) => p.resourceType === "S3" && p.createdAt > aurora.createdAt)).to.equal(true);
    expect(printed(r.lines, "measured RPO")).to.equal((SIM_START - aurora.createdAt) / 1000);
    expect(r.lines.some((l) => l.startsWith(`RPO database ${(SIM_START - aurora.createdAt) / 1000} s, target 86400 s: met (recovery point ${aurora.arn}`))).to.equal(true);
    expect(r.lines).to.include(`RTO target ${primary.objectives.rtoSeconds} s: MISSED`);
  });

  it("restores with the restore role into the secondary's subnet group, creates the writer, repoints the secret, scales up; DNS moves by health checks alone", () => {
    const r = runs.get("ok")!;
    const [start] = callsOf(r, "StartRestoreJob");
    expect(callsOf(r, "StartRestoreJob")).to.have.length(1);
    expect(start.region).to.equal("us-west-2");
    expect(start.params).to.include({ IamRoleArn: "arn:aws:iam::111122223333:role/orders-restore-role-sim", ResourceType: "Aurora" });
    expect(start.params.Metadata).to.include({ DBClusterIdentifier: "orders-prod-us-west-2", DBSubnetGroupName: "orders-prod-us-west-2-restore", VpcSecurityGroupIds: '["sg-0sim-database"]', Engine: "aurora-postgresql" });
    // RDS restores to the snapshot's own engine version; a configured (possibly older) one is never sent.
    expect(start.params.Metadata).to.not.have.property("EngineVersion");
    // AWS answers a repeated token with the earlier job and starts nothing: the token carries this
    // drill's start, so a new drill after a FAILED restore really restores again.
    expect(start.params.IdempotencyToken).to.match(new RegExp(`-${Date.parse(r.journal[0].at)}$`));
    expect(callsOf(r, "CreateDBInstance").map((c) => c.params.DBClusterIdentifier)).to.deep.equal(["orders-prod-us-west-2"]);
    // The restored cluster keeps the stacks' 14 days of backups (Aurora would give it 1) and carries
    // the tag the secondary's backup plan selects, before the writer exists and anything serves.
    const [restored] = r.sim.backup!.clusters;
    expect(restored.backupRetentionDays).to.equal(14);
    expect(restored.tags).to.include({ "dr:backup-selection": "restored-orders-prod-us-west-2", app: "orders", "managed-by": "dr-drill" });
    const order = r.sim.calls.map((c) => c.operation);
    expect(order.indexOf("ModifyDBCluster")).to.be.greaterThan(-1).and.lessThan(order.indexOf("CreateDBInstance"));
    expect(callsOf(r, "ModifyDBCluster").map((c) => [c.region, c.params.BackupRetentionPeriod, c.params.ApplyImmediately])).to.deep.equal([["us-west-2", 14, true]]);
    const secret = r.sim.regions["us-west-2"].secret;
    expect(secret.primaryRegion).to.equal(undefined); // promoted before the write: a replica is read-only
    expect(JSON.parse(secret.value)).to.deep.equal({
      username: "dbadmin", password: "password-1", host: "orders-prod-us-west-2.cluster-sim.us-west-2.rds.amazonaws.com", port: 5432, engine: "aurora-postgresql", dbClusterIdentifier: "orders-prod-us-west-2",
    });
    expect(r.sim.regions["us-west-2"].groups.map((g) => g.desired)).to.deep.equal([primary.capacity.web.desired, primary.capacity.app.desired]);
    expect(r.sim.calls.filter((c) => c.service === "Route53")).to.deep.equal([]);
    // Only the recovery region is called (it holds the old primary's switch too), and global data planes,
    // but for the best-effort switch-on of the recovery region, whose own switch lives in us-east-1.
    expect(r.sim.calls.filter((c) => c.region === "us-east-1").map((c) => `${c.service}.${c.operation}`)).to.deep.equal(["CloudWatch.PutMetricData"]);
    expect(r.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false]);
    expect(fs.readFileSync(r.journalFile, "utf8")).not.to.include("password-1");
  });

  it("secondary-switched-off: the restore switches the recovery region on, so DNS leaves the old primary once the restored region serves", () => {
    const r = runs.get("switched-off")!;
    expect(r.result.exitCode).to.equal(0);
    expect(r.sim.regions["us-west-2"].switch.map((w) => w.on)).to.deep.equal([false, true]);
    expect(r.journal.filter((e) => e.step === "switch-on-secondary").map((e) => [e.event, e.region])).to.deep.equal([["start", "us-east-1"], ["done", "us-east-1"]]);
  });

  it("no-recent-recovery-point: refuses at find-recovery-point, naming the gate and its --force, before any restore", () => {
    const r = runs.get("stale")!;
    expect(r.result.exitCode).to.equal(2);
    expect(r.result.outcome).to.include({ kind: "refused", step: "find-recovery-point", gate: "recovery-point-age" });
    const rpo = 86400;
    expect(r.lines.join("\n")).to.match(new RegExp(`gate recovery-point-age refuses: the newest recovery point \\S+ was created \\S+, ${2 * rpo} s ago, more than the ${rpo} s database RPO target.*--force recovery-point-age`));
    expect(callsOf(r, "StartRestoreJob")).to.deep.equal([]);
  });

  it("--force recovery-point-age restores the stale point and reports its age as the data lost, over the target", () => {
    const r = runs.get("stale-forced")!;
    expect(r.result.exitCode).to.equal(0);
    expect(printed(r.lines, "measured RPO")).to.equal(2 * 86400);
    expect(r.lines.some((l) => l.startsWith(`RPO database ${2 * 86400} s, target 86400 s: MISSED`))).to.equal(true);
    expect(r.lines.at(r.lines.findIndex((l) => l.startsWith("RPO targets: ")))).to.match(/^RPO targets: MISSED by database/);
  });

  it("restore-job-fails: stops at wait-restore with the job's message, before anything serves, and offers the undo", () => {
    const r = runs.get("fails")!;
    expect(r.result.exitCode).to.equal(1);
    const o = r.result.outcome!;
    if (o.kind !== "failed") throw new Error(`expected failed, got ${o.kind}`);
    expect(o.step).to.equal("wait-restore");
    expect(o.reason).to.include("is FAILED").and.to.include(SIM_RESTORE_FAILURE);
    // Nothing serves from the restore yet: switching the old primary back on is automated.
    expect(o.undo.map((u) => [u.step, u.automated])).to.deep.equal([["restore-cluster", false], ["switch-off-primary", true]]);
    expect(o.undo[0].description).to.include("delete-db-cluster --region us-west-2 --db-cluster-identifier orders-prod-us-west-2");
    for (const op of ["CreateDBInstance", "StopReplicationToReplica", "PutSecretValue", "SetDesiredCapacity", "CreateRule"]) expect(callsOf(r, op), op).to.deep.equal([]);
    expect(r.lines.some((l) => l.startsWith("measured RTO"))).to.equal(false);
    // One next step, not two: a resume would wait on the same FAILED job, so it is a new run.
    const next = r.lines.filter((l) => /run the drill again|continue with/.test(l));
    expect(next).to.deep.equal(["after fixing the cause, run the drill again (a new run; a resume would wait on the same failed job): npm run dr -- drill restore --simulate"]);
    expect(r.lines.join("\n")).to.not.contain("drill resume");
    // Nothing was recovered, so no objective was met, whatever the recovery point's age.
    const rpo = r.lines.find((l) => l.startsWith("RPO database "))!;
    expect(rpo).to.match(/^RPO database \d+ s, target 86400 s: not reached, within the target \(the drill stopped before recovering; recovery point /);
    expect(r.lines.find((l) => l.startsWith("RPO targets: "))).to.equal("RPO targets: not reached (the drill stopped before recovering)");
  });

  it("undo writes the secret's previous contents back and scales the groups back; deleting the restored cluster is printed, not automated", async () => {
    const r = await simulate("restore");
    const lines: string[] = [];
    const result = await undoDrill(r.journalFile, { mode: "simulate", log: (l) => lines.push(l) });
    expect(result.exitCode).to.equal(0);
    const sim = JSON.parse(fs.readFileSync(`${r.journalFile}.sim.json`, "utf8")) as Ran["sim"];
    expect(JSON.parse(sim.regions["us-west-2"].secret.value)).to.deep.equal({ username: "dbadmin", password: "password-1" });
    expect(sim.regions["us-west-2"].groups.map((g) => g.desired)).to.deep.equal([0, 0]); // backup-restore keeps no running instances
    expect(lines.join("\n")).to.match(/by hand \(not automated\):[\s\S]*restore-cluster: delete what the restore created/);
  });

  it("runs only calls its steps declare (dry-run cannot drift from execution)", async () => {
    const lines: string[] = [];
    await runDrill({ scenario: "restore", mode: "dry-run", cwd: EXAMPLE_DIR, log: (l) => lines.push(l) });
    // The credentials pre-check, printed as a comment before the steps, is declared too.
    const declared = new Set(lines.filter((l) => !l.startsWith("#") && !l.startsWith("model")).map((l) => l.split(" ").slice(0, 2).join(" ")).concat("us-west-2 STS.GetCallerIdentity"));
    for (const r of runs.values()) {
      const undeclared = r.sim.calls.map((c) => `${c.region} ${c.service}.${c.operation}`).filter((c) => !declared.has(c));
      expect(undeclared).to.deep.equal([]);
    }
  });

  it("--outputs of a warm-standby pair: one error naming the secondary's strategy and the fix", async () => {
    const outputs = { primary: path.join(FIXTURES, "primary.json"), secondary: path.join(FIXTURES, "secondary.json") };
    const err = await runDrill({ scenario: "restore", mode: "dry-run", cwd: EXAMPLE_DIR, outputs, log: () => undefined }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/stack "secondary" is a warm-standby secondary with a standing cluster orders-prod-us-west-2; the restore drill restores into a backup-restore region.*Use the failover drill/);
  });
});

/** Written by hand from runbooks/restore.md and test/fixtures/drills/restore-*.json. */
const W = "us-west-2";
const SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:orders-prod-db-AbCdEf";
const GROUPS = '["orders-web-asg-1a2b3c4","orders-app-asg-4c3b2a1"]';
const cluster = [`${W} RDS.DescribeDBClusters DBClusterIdentifier=orders-prod-us-west-2`, `${W} RDS.DescribeDBInstances Filters=[{"Name":"db-cluster-id","Values":["orders-prod-us-west-2"]}]`];
/** us-east-1's switch: a metric and alarm in us-west-2 (components/dns/regionSwitch.ts placement); 1 is off. */
const switchOffEast = `${W} CloudWatch.PutMetricData Namespace=DR/RegionSwitch MetricData=[{"MetricName":"RegionOff","Dimensions":[{"Name":"App","Value":"orders-prod"},{"Name":"Region","Value":"us-east-1"}],"Value":1,"StorageResolution":60}]`;
const EXPECTED_RESTORE = [
  `${W} Backup.ListRecoveryPointsByBackupVault BackupVaultName=orders-prod-us-west-2 ByResourceType=Aurora ByResourceArn=arn:aws:rds:us-east-1:123456789012:cluster:orders-prod-us-east-1`,
  `${W} SecretsManager.DescribeSecret SecretId=${SECRET}`,
  `${W} EC2.DescribeImages ImageIds=["ami-0fedcba9876543210"]`,
  switchOffEast,
  // us-west-2's own switch lives in us-east-1: switched on (0) there, best effort.
  `us-east-1 CloudWatch.PutMetricData Namespace=DR/RegionSwitch MetricData=[{"MetricName":"RegionOff","Dimensions":[{"Name":"App","Value":"orders-prod"},{"Name":"Region","Value":"us-west-2"}],"Value":0,"StorageResolution":60}]`,
  `${W} Backup.StartRestoreJob RecoveryPointArn=<from find-recovery-point> IamRoleArn=arn:aws:iam::123456789012:role/orders-restore-role-0c1d2e3 ResourceType=Aurora ` +
    `Metadata={"DBClusterIdentifier":"orders-prod-us-west-2","Engine":"aurora-postgresql","DBSubnetGroupName":"orders-prod-us-west-2-restore","VpcSecurityGroupIds":"[\\"sg-0d4e5f6a7b8c9d0e1\\"]",` +
    `"KmsKeyId":"arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab","DeletionProtection":"true","CopyTagsToSnapshot":"true"} IdempotencyToken=orders-prod-us-west-2-<its creation, epoch ms>-<drill start, epoch ms>`,
  `${W} Backup.DescribeRestoreJob RestoreJobId=<from restore-cluster>`, ...cluster,
  // Aurora's one-day default becomes the stacks' 14 days; the tag is what the secondary's backup plan selects (test/backup.test.ts).
  ...cluster, `${W} RDS.ModifyDBCluster DBClusterIdentifier=orders-prod-us-west-2 BackupRetentionPeriod=14 ApplyImmediately=true`,
  `${W} RDS.AddTagsToResource ResourceName=arn:aws:rds:us-west-2:123456789012:cluster:orders-prod-us-west-2 ` +
    `Tags={"app":"orders","environment":"prod","dr:role":"secondary","dr:strategy":"backup-restore","dr:stack":"secondary","managed-by":"dr-drill","team":"platform","cost-center":"4711","dr:backup-selection":"restored-orders-prod-us-west-2"}`,
  ...cluster, `${W} RDS.CreateDBInstance DBInstanceIdentifier=orders-prod-us-west-2-drill-writer DBClusterIdentifier=orders-prod-us-west-2 DBInstanceClass=db.r6g.large Engine=aurora-postgresql PubliclyAccessible=false ` +
    // The platform's tags from Pulumi.secondary.yaml (the instance is in no Pulumi state, so the drill tags it).
    `Tags={"app":"orders","environment":"prod","dr:role":"secondary","dr:strategy":"backup-restore","dr:stack":"secondary","managed-by":"dr-drill","team":"platform","cost-center":"4711"}`,
  ...cluster,
  `${W} SecretsManager.DescribeSecret SecretId=${SECRET}`, `${W} SecretsManager.StopReplicationToReplica SecretId=${SECRET}`,
  cluster[0], `${W} SecretsManager.GetSecretValue SecretId=${SECRET}`,
  `${W} SecretsManager.PutSecretValue SecretId=${SECRET} SecretString=<the secret's JSON plus host, port, engine and dbClusterIdentifier of orders-prod-us-west-2; never printed>`,
  `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${GROUPS}`,
  `${W} AutoScaling.SetDesiredCapacity AutoScalingGroupName=orders-web-asg-1a2b3c4 DesiredCapacity=3`,
  `${W} AutoScaling.SetDesiredCapacity AutoScalingGroupName=orders-app-asg-4c3b2a1 DesiredCapacity=3`,
  `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${GROUPS}`,
  "global DNS.Resolve Name=orders.example.com",
  "global DNS.Resolve Name=orders-web-8e7d6c5-0987654321.us-west-2.elb.amazonaws.com",
  `${W} HTTPS.GET Url=https://us-west-2.orders.example.com/healthz`,
  `${W} CloudWatch.DescribeAlarms AlarmNames=["orders-prod-switch-us-east-1"]`,
];

describe("drill restore --dry-run", () => {
  it("prints the restore's calls for deployed backup-restore stacks, and no Route 53 call", async () => {
    // The stack files of a backup-restore pair: strategy shared, a database RPO target of one daily backup, an RTO target a restore can meet.
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: backup-restore").replace("rtoSeconds: 180", "rtoSeconds: 14400").replace(/database: 1 /, "database: 86400 "));
    const lines: string[] = [];
    const outputs = { primary: path.join(FIXTURES, "restore-primary.json"), secondary: path.join(FIXTURES, "restore-secondary.json") };
    const result = await runDrill({ scenario: "restore", mode: "dry-run", cwd: dir, outputs, log: (l) => lines.push(l) });
    expect(result.exitCode).to.equal(0);
    expect(lines.filter((l) => !l.startsWith("#") && !l.startsWith("model RTO"))).to.deep.equal(EXPECTED_RESTORE);
    expect(lines.filter((l) => l.startsWith("# ")).map((l) => l.split(" ")[2])).to.deep.equal([
      "restore", "find-recovery-point", "gate-secret-replica", "gate-ami", "switch-off-primary", "switch-on-secondary", "restore-cluster", "wait-restore", "protect-restored-cluster", "create-writer-instance", "wait-writer-instance",
      "promote-secret-replica", "point-app-tier", "scale-out-recovery", "wait-capacity-healthy", "verify-service", "record-active-region", "confirm-switches",
    ]);
  });
});

describe("restore: which recovery point", () => {
  const SOURCE = "arn:aws:rds:us-east-1:123456789012:cluster:orders-prod-us-east-1";
  const point = (arn: string, hour: number, status: string) => ({ arn, createdAt: Date.UTC(2026, 0, 1, hour), status, resourceArn: SOURCE, resourceType: "Aurora" });

  it("picks the newest COMPLETED point, never a newer PARTIAL or CREATING one (neither restores whole)", () => {
    const points = [point("old", 1, "COMPLETED"), point("good", 5, "COMPLETED"), point("partial", 9, "PARTIAL"), point("creating", 11, "CREATING"), point("expired", 12, "EXPIRED")];
    expect(newestRecoveryPoint(points)?.arn).to.equal("good");
    expect(newestRecoveryPoint([...points].reverse())?.arn).to.equal("good");
    expect(newestRecoveryPoint([point("partial", 9, "PARTIAL"), point("creating", 11, "CREATING")])).to.equal(undefined);
  });
});

describe("AWS adapter: AWS Backup and the restored cluster", () => {
  const backup = mockClient(BackupClient);
  const rds = mockClient(RDSClient);
  beforeEach(() => [backup, rds].forEach((m) => m.reset()));
  after(() => [backup, rds].forEach((m) => m.restore()));
  const VAULT = "orders-prod-us-west-2";
  const SOURCE = "arn:aws:rds:us-east-1:123456789012:cluster:orders-prod-us-east-1";

  it("lists recovery points by vault, resource type and source ARN in the recovery region, every page", async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [{ RecoveryPointArn: "rp-1", CreationDate: new Date("2026-01-01T05:00:00Z"), Status: "COMPLETED", ResourceArn: SOURCE, ResourceType: "Aurora" }], NextToken: "page-2" })
      .resolvesOnce({ RecoveryPoints: [{ RecoveryPointArn: "rp-2", CreationDate: new Date("2026-01-02T05:00:00Z"), Status: "CREATING", ResourceArn: SOURCE, ResourceType: "Aurora" }] });
    const points = await new AwsCloud().listRecoveryPoints("us-west-2", { vaultName: VAULT, resourceArn: SOURCE, resourceType: "Aurora" });
    const calls = backup.commandCalls(ListRecoveryPointsByBackupVaultCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([
      { BackupVaultName: VAULT, ByResourceArn: SOURCE, ByResourceType: "Aurora" },
      { BackupVaultName: VAULT, ByResourceArn: SOURCE, ByResourceType: "Aurora", NextToken: "page-2" },
    ]);
    expect(await (calls[0].thisValue as BackupClient).config.region()).to.equal("us-west-2");
    expect(points).to.deep.equal([
      { arn: "rp-1", createdAt: Date.UTC(2026, 0, 1, 5), status: "COMPLETED", resourceArn: SOURCE, resourceType: "Aurora" },
      { arn: "rp-2", createdAt: Date.UTC(2026, 0, 2, 5), status: "CREATING", resourceArn: SOURCE, resourceType: "Aurora" },
    ]);
  });

  it("starts the restore job with the role, the resource type, string metadata and the idempotency token", async () => {
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: "job-1" });
    const metadata = { DBClusterIdentifier: "orders-prod-us-west-2", Engine: "aurora-postgresql", VpcSecurityGroupIds: '["sg-1"]' };
    const id = await new AwsCloud().startRestoreJob("us-west-2", { recoveryPointArn: "rp-1", iamRoleArn: "arn:aws:iam::123456789012:role/restore", resourceType: "Aurora", metadata, idempotencyToken: "orders-prod-us-west-2-1" });
    expect(id).to.equal("job-1");
    expect(backup.commandCalls(StartRestoreJobCommand)[0].args[0].input).to.deep.equal({
      RecoveryPointArn: "rp-1", IamRoleArn: "arn:aws:iam::123456789012:role/restore", ResourceType: "Aurora", Metadata: metadata, IdempotencyToken: "orders-prod-us-west-2-1",
    });
  });

  it("describes a failed restore job with its status message, and a restored cluster with its endpoint", async () => {
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: "job-1", Status: "FAILED", StatusMessage: "Access denied to KMS key" });
    expect(await new AwsCloud().describeRestoreJob("us-west-2", "job-1")).to.deep.equal({ id: "job-1", status: "FAILED", statusMessage: "Access denied to KMS key" });
    expect(backup.commandCalls(DescribeRestoreJobCommand)[0].args[0].input).to.deep.equal({ RestoreJobId: "job-1" });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterArn: "arn:c", Status: "available", Endpoint: "c.cluster-x.us-west-2.rds.amazonaws.com", Port: 5432 }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    expect(await new AwsCloud().describeDbCluster("us-west-2", "c")).to.deep.equal({ arn: "arn:c", status: "available", endpoint: "c.cluster-x.us-west-2.rds.amazonaws.com", port: 5432, instances: [], tags: {} });
  });

  it("reads the cluster's backup retention and tags, sets the retention at once and tags by ARN, in the recovery region", async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterArn: "arn:c", Status: "available", BackupRetentionPeriod: 1, TagList: [{ Key: "app", Value: "orders" }] }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    const cloud = new AwsCloud();
    expect(await cloud.describeDbCluster("us-west-2", "c")).to.deep.include({ backupRetentionDays: 1, tags: { app: "orders" } });
    await cloud.setDbClusterBackupRetention("us-west-2", "c", 14);
    await cloud.tagDbResource("us-west-2", "arn:c", { "dr:backup-selection": "restored-c" });
    const modify = rds.commandCalls(ModifyDBClusterCommand)[0];
    expect(modify.args[0].input).to.deep.equal({ DBClusterIdentifier: "c", BackupRetentionPeriod: 14, ApplyImmediately: true });
    expect(await (modify.thisValue as RDSClient).config.region()).to.equal("us-west-2");
    expect(rds.commandCalls(AddTagsToResourceCommand)[0].args[0].input).to.deep.equal({ ResourceName: "arn:c", Tags: [{ Key: "dr:backup-selection", Value: "restored-c" }] });
  });
});
