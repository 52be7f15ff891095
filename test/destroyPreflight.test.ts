import { expect } from "chai";
import { Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { registerDeployCommands } from "../src/cli/deployCommands";
import { BucketFacts, ClusterFacts, DbInstanceFacts, GlobalClusterFacts, LoadBalancerFacts, PreflightAws, SecretFacts, SnapshotFacts } from "../src/deploy/preflight/awsPort";
import { archivedSnapshotIdentifier, EMPTY_BUCKETS_FLAG, Finding, FixFlag, LIFT_DELETION_PROTECTION_FLAG, stackFindings, StackFacts, verdict } from "../src/deploy/preflight/destroyBlockers";
import { checkServiceLinkedRole, serviceLinkedRoleProblem } from "../src/deploy/preflight/serviceLinkedRole";
import { parseOutputsOption, targetsFromOutputs } from "../src/deploy/preflight/targets";
import { ChangeSummary, StackHandle, StackWorkspace } from "../src/deploy/orchestrator";
import { StackConfig } from "../stacks/configSchema";
import { EXAMPLE_DIR } from "./harness/paths";

const NOW = new Date("2026-11-28T12:00:00Z");
const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/orders-web/50dc6c495c0c9188";

const noFacts: StackFacts = { stack: "primary", region: "us-east-1", loadBalancers: [], buckets: [], secrets: [], secretRecoveryWindowDays: 30, kmsKeys: [] };
const kinds = (fs: readonly Finding[]) => fs.map((f) => `${f.kind}:${f.severity}:${f.resource}`);

describe("destroy preflight: what blocks a destroy (pure rules)", () => {
  const rows: Array<{ name: string; facts: Partial<StackFacts>; expected: string[] }> = [
    { name: "nothing to report", facts: {}, expected: [] },
    { name: "ALB with deletion protection", facts: { loadBalancers: [{ name: "orders-web", arn: LB_ARN, deletionProtection: true }] }, expected: [`load-balancer-deletion-protection:blocks-destroy:${LB_ARN}`] },
    { name: "ALB without deletion protection", facts: { loadBalancers: [{ name: "orders-web", arn: LB_ARN, deletionProtection: false }] }, expected: [] },
    { name: "protected Aurora cluster", facts: { cluster: { identifier: "orders-prod-us-east-1", deletionProtection: true } }, expected: ["cluster-deletion-protection:blocks-destroy:orders-prod-us-east-1"] },
    { name: "unprotected Aurora cluster", facts: { cluster: { identifier: "orders-prod-us-east-1", deletionProtection: false } }, expected: [] },
    { name: "protected global database", facts: { globalCluster: { identifier: "orders-prod", deletionProtection: true } }, expected: ["global-cluster-deletion-protection:blocks-destroy:orders-prod"] },
    { name: "empty bucket", facts: { buckets: [{ name: "b", versions: 0, deleteMarkers: 0, truncated: false }] }, expected: [] },
    { name: "bucket with versions", facts: { buckets: [{ name: "b", versions: 3, deleteMarkers: 0, truncated: false }] }, expected: ["bucket-not-empty:blocks-destroy:b"] },
    // A versioned bucket whose objects were all "deleted" holds only delete markers, and S3 still refuses DeleteBucket.
    { name: "bucket with delete markers only", facts: { buckets: [{ name: "b", versions: 0, deleteMarkers: 2, truncated: false }] }, expected: ["bucket-not-empty:blocks-destroy:b"] },
    { name: "final snapshot name free", facts: { finalSnapshot: { identifier: "orders-prod-us-east-1-final" } }, expected: [] },
    { name: "final snapshot name taken", facts: { finalSnapshot: { identifier: "orders-prod-us-east-1-final", existing: { identifier: "orders-prod-us-east-1-final" } } }, expected: ["final-snapshot-exists:blocks-destroy:orders-prod-us-east-1-final"] },
    { name: "live secret", facts: { secrets: [{ name: "orders/prod/aurora-master", arn: "arn:x" }] }, expected: ["secret-name-held:blocks-redeploy:orders/prod/aurora-master"] },
    { name: "KMS key", facts: { kmsKeys: [{ arn: "arn:aws:kms:us-west-2:111122223333:key/mrk-1", region: "us-west-2" }] }, expected: ["kms-key-retained:info:arn:aws:kms:us-west-2:111122223333:key/mrk-1"] },
    // Kept on destroy; its name stays taken, and CreateBackupVault refuses a taken name (AlreadyExistsException).
    { name: "backup vault", facts: { backupVaultName: "orders-prod-us-east-1" }, expected: ["backup-vault-retained:blocks-redeploy:orders-prod-us-east-1"] },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.expected.length ? row.expected.map((e) => e.split(":")[0]).join(", ") : "no finding"}`, () => {
      expect(kinds(stackFindings({ ...noFacts, ...row.facts }, NOW))).to.deep.equal(row.expected);
    });
  }

  it("gives the exact AWS CLI step with region and resource for each flag-handled blocker", () => {
    const f = stackFindings({
      ...noFacts,
      loadBalancers: [{ name: "orders-web", arn: LB_ARN, deletionProtection: true }],
      cluster: { identifier: "orders-prod-us-east-1", deletionProtection: true },
      globalCluster: { identifier: "orders-prod", deletionProtection: true },
      buckets: [{ name: "orders-data", versions: 1000, deleteMarkers: 0, truncated: true }],
    }, NOW);
    const step = (kind: string) => f.find((x) => x.kind === kind)!.steps.join("\n");
    expect(step("load-balancer-deletion-protection")).to.equal(`aws elbv2 modify-load-balancer-attributes --region us-east-1 --load-balancer-arn ${LB_ARN} --attributes Key=deletion_protection.enabled,Value=false`);
    expect(step("cluster-deletion-protection")).to.equal("aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier orders-prod-us-east-1 --no-deletion-protection --apply-immediately");
    expect(step("global-cluster-deletion-protection")).to.equal("aws rds modify-global-cluster --region us-east-1 --global-cluster-identifier orders-prod --no-deletion-protection");
    expect(step("bucket-not-empty")).to.contain("aws s3api list-object-versions --region us-east-1 --bucket orders-data").and.contain("aws s3api delete-objects --region us-east-1 --bucket orders-data");
    expect(f.find((x) => x.kind === "bucket-not-empty")!.message).to.contain("1000 or more");
    expect(f.map((x) => x.flag)).to.deep.equal([LIFT_DELETION_PROTECTION_FLAG, LIFT_DELETION_PROTECTION_FLAG, LIFT_DELETION_PROTECTION_FLAG, EMPTY_BUCKETS_FLAG]);
  });

  it("archives an existing final snapshot under a name stamped with its creation time, then frees the fixed name", () => {
    const created = new Date("2026-01-02T03:04:05Z");
    expect(archivedSnapshotIdentifier("orders-prod-us-east-1-final", created)).to.equal("orders-prod-us-east-1-final-202601020304");
    const [f] = stackFindings({ ...noFacts, finalSnapshot: { identifier: "orders-prod-us-east-1-final", existing: { identifier: "orders-prod-us-east-1-final", createdAt: created } } }, NOW);
    expect(f.flag).to.equal(undefined);
    expect(f.steps).to.deep.equal([
      "aws rds copy-db-cluster-snapshot --region us-east-1 --source-db-cluster-snapshot-identifier orders-prod-us-east-1-final --target-db-cluster-snapshot-identifier orders-prod-us-east-1-final-202601020304 --copy-tags",
      "aws rds wait db-cluster-snapshot-available --region us-east-1 --db-cluster-snapshot-identifier orders-prod-us-east-1-final-202601020304",
      "aws rds delete-db-cluster-snapshot --region us-east-1 --db-cluster-snapshot-identifier orders-prod-us-east-1-final",
    ]);
  });

  it("dates a secret's hold: the recovery window from now for a live secret, DeletedDate for one already scheduled", () => {
    const live: SecretFacts = { name: "orders/prod/aurora-master", arn: "arn:x" };
    const scheduled: SecretFacts = { ...live, deletedDate: new Date("2026-12-05T00:00:00Z") };
    // 2026-11-28 + 30 days = 2026-12-28.
    expect(stackFindings({ ...noFacts, secrets: [live] }, NOW)[0].message).to.contain("30-day recovery window").and.contain("2026-12-28");
    const held = stackFindings({ ...noFacts, secrets: [scheduled] }, NOW)[0];
    expect(held.message).to.contain("already scheduled for deletion").and.contain("2026-12-05");
    expect(held.steps.join("\n")).to.contain("aws secretsmanager restore-secret --region us-east-1 --secret-id orders/prod/aurora-master")
      .and.contain("--force-delete-without-recovery");
  });

  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html: vault names are unique
  // per account and region; a redeploy must adopt the kept vault rather than create it.
  it("says the backup vault is kept and gives the stack's exact config step that adopts it on redeploy, without blocking the destroy", () => {
    const findings = stackFindings({ ...noFacts, stack: "dr-secondary", region: "us-west-2", backupVaultName: "orders-prod-us-west-2" }, NOW);
    const [f] = findings;
    expect(f).to.deep.include({ stack: "dr-secondary", region: "us-west-2", kind: "backup-vault-retained", severity: "blocks-redeploy", resource: "orders-prod-us-west-2" });
    expect(f.flag).to.equal(undefined);
    expect(f.message).to.contain("AlreadyExistsException").and.contain("recovery points");
    expect(f.steps[0]).to.match(/^pulumi config set --stack dr-secondary --path dr:backup\.adoptVault true /);
    expect(f.steps[1]).to.match(/^pulumi config set --stack dr-secondary --path dr:backup\.adoptVault false /);
    const v = verdict(findings, new Set());
    expect(v.blocking).to.deep.equal([]);
    expect(v.notes.map((n) => n.kind)).to.deep.equal(["backup-vault-retained"]);
  });

  it("lets only the given flags handle blockers; a taken snapshot name blocks whatever the flags", () => {
    const findings = stackFindings({
      ...noFacts,
      loadBalancers: [{ name: "w", arn: LB_ARN, deletionProtection: true }],
      buckets: [{ name: "b", versions: 1, deleteMarkers: 0, truncated: false }],
      finalSnapshot: { identifier: "c-final", existing: { identifier: "c-final" } },
      secrets: [{ name: "s", arn: "arn:s" }],
    }, NOW);
    const table: Array<[FixFlag[], string[], string[]]> = [
      [[], [], ["load-balancer-deletion-protection", "bucket-not-empty", "final-snapshot-exists"]],
      [[LIFT_DELETION_PROTECTION_FLAG], ["load-balancer-deletion-protection"], ["bucket-not-empty", "final-snapshot-exists"]],
      [[LIFT_DELETION_PROTECTION_FLAG, EMPTY_BUCKETS_FLAG], ["load-balancer-deletion-protection", "bucket-not-empty"], ["final-snapshot-exists"]],
    ];
    for (const [flags, fixed, blocking] of table) {
      const v = verdict(findings, new Set(flags));
      expect(v.toFix.map((f) => f.kind), flags.join(" ")).to.deep.equal(fixed);
      expect(v.blocking.map((f) => f.kind), flags.join(" ")).to.deep.equal(blocking);
      expect(v.notes.map((f) => f.kind)).to.deep.equal(["secret-name-held"]);
    }
  });
});

/** Outputs as the primary and secondary programs export them (stacks/contract.ts, stacks/exports.ts). */
function regional(region: string, cluster: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region, vpcId: `vpc-${region}`, dbClusterIdentifier: cluster, dbEndpoint: null, webLoadBalancerName: `orders-web-${region}`, webLoadBalancerDnsName: null,
    autoScalingGroupNames: [], healthCheckId: null, dataBucketName: `orders-data-${region}`, dataBucketArn: `arn:aws:s3:::orders-data-${region}`, alarmTopicArn: "arn:t",
    amiId: "ami-0123456789abcdef0", dbSecretArn: `arn:aws:secretsmanager:${region}:111122223333:secret:orders/prod/aurora-master-AbCdEf`, kmsKeyArn: `arn:aws:kms:${region}:111122223333:key/mrk-1`, ...extra,
  };
}
const PRIMARY_OUTPUTS = {
  shared: {}, regional: regional("us-east-1", "orders-prod-us-east-1"), globalClusterIdentifier: "orders-prod",
  replicaKeyArns: { "us-west-2": "arn:aws:kms:us-west-2:111122223333:key/mrk-1" }, dbSecretReplicaArns: {},
};
const SECONDARY_OUTPUTS = { primaryStack: "organization/dr-platform/primary", regional: regional("us-west-2", "orders-prod-us-west-2"), replication: {} };

describe("destroy preflight: targets from stack outputs", () => {
  it("reads the primary's cluster, its final snapshot name, global database, bucket, secret and keys in their regions", () => {
    const t = targetsFromOutputs("primary", PRIMARY_OUTPUTS)!;
    expect(t).to.deep.include({
      stack: "primary", region: "us-east-1", vpcId: "vpc-us-east-1", loadBalancerNames: ["orders-web-us-east-1"],
      clusterIdentifier: "orders-prod-us-east-1", finalSnapshotIdentifier: "orders-prod-us-east-1-final", globalClusterIdentifier: "orders-prod",
      bucketNames: ["orders-data-us-east-1"], secretArns: ["arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/aurora-master-AbCdEf"],
    });
    expect(t.kmsKeys).to.deep.equal([
      { arn: "arn:aws:kms:us-east-1:111122223333:key/mrk-1", region: "us-east-1" },
      { arn: "arn:aws:kms:us-west-2:111122223333:key/mrk-1", region: "us-west-2" },
    ]);
  });

  it("reads the instances a stack manages from regional.dbInstanceIdentifiers, and none when the stack does not export them", () => {
    const exported = { ...SECONDARY_OUTPUTS, regional: regional("us-west-2", "orders-prod-us-west-2", { dbInstanceIdentifiers: ["orders-prod-us-west-2-a"] }) };
    expect(targetsFromOutputs("secondary", exported)!.managedInstanceIdentifiers).to.deep.equal(["orders-prod-us-west-2-a"]);
    expect(targetsFromOutputs("secondary", SECONDARY_OUTPUTS)!.managedInstanceIdentifiers).to.equal(undefined);
  });

  it("gives a secondary no secret (its replica is deleted at once) and no key (the primary created it)", () => {
    const t = targetsFromOutputs("secondary", SECONDARY_OUTPUTS)!;
    expect(t.region).to.equal("us-west-2");
    expect(t.secretArns).to.deep.equal([]);
    expect(t.kmsKeys).to.deep.equal([]);
    expect(t.globalClusterIdentifier).to.equal(undefined);
    expect(t.backupVaultName).to.equal(undefined);
    const withVault = targetsFromOutputs("secondary", { ...SECONDARY_OUTPUTS, regional: regional("us-west-2", null, { backup: { vaultName: "orders-prod-us-west-2" } }) })!;
    expect(withVault.backupVaultName).to.equal("orders-prod-us-west-2");
  });

  it("gives the links stack its Region switch plan's report bucket, in the plan's control-plane region us-east-1 (the bucket's provider)", () => {
    const t = targetsFromOutputs("links", { replicationRuleIds: [], regionSwitchPlan: { planArn: "arn:aws:arc-region-switch::111122223333:plan/orders-prod:abc", reportBucketName: "orders-region-switch-reports-bucket-1a2b" } })!;
    expect(t).to.deep.include({ stack: "links", region: "us-east-1", bucketNames: ["orders-region-switch-reports-bucket-1a2b"], secretArns: [], kmsKeys: [] });
  });

  it("skips a stack without regional outputs (links) and names a stack whose regional output lacks its region", () => {
    expect(targetsFromOutputs("links", { replicationRuleIds: [] })).to.equal(undefined);
    expect(() => targetsFromOutputs("secondary", { regional: { vpcId: "vpc-1" } })).to.throw(/stack secondary: output "regional.region" is missing.*--outputs secondary=<file>/);
  });

  it("parses --outputs entries, naming a malformed or repeated one", () => {
    expect([...parseOutputsOption(["primary=out/p.json"], "/proj")]).to.deep.equal([["primary", "/proj/out/p.json"]]);
    expect(() => parseOutputsOption(["primary"], "/proj")).to.throw(/--outputs "primary" is not <stack>=<file>/);
    expect(() => parseOutputsOption(["a=x.json", "a=y.json"], "/proj")).to.throw(/names stack a twice/);
  });
});

describe("preflight: the Auto Scaling service-linked role", () => {
  it("names the missing role and the one command that creates it", () => {
    const msg = serviceLinkedRoleProblem(false, false)!;
    expect(msg).to.contain("AWSServiceRoleForAutoScaling").and.contain("aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com");
    expect(serviceLinkedRoleProblem(true, false)).to.equal(undefined);
    expect(serviceLinkedRoleProblem(false, true)).to.equal(undefined);
  });

  it("asks IAM only when no stack's config creates the role (the switch reads false while absent)", async () => {
    const asked: string[] = [];
    const aws = { roleExists: async (n: string) => { asked.push(n); return false; } } as unknown as PreflightAws;
    const plain = { role: "primary" } as StackConfig;
    const creating = { role: "primary", createAutoScalingServiceLinkedRole: true } as unknown as StackConfig;
    expect(await checkServiceLinkedRole(aws, [plain, creating])).to.equal(undefined);
    expect(asked).to.deep.equal([]);
    expect(await checkServiceLinkedRole(aws, [plain])).to.contain("create-service-linked-role");
    expect(asked).to.deep.equal(["AWSServiceRoleForAutoScaling"]);
  });

  it("never asks IAM (control plane in us-east-1) for a secondary or links deploy: only the primary's keys name the role", async () => {
    let asked = 0;
    const aws = { roleExists: async () => { asked++; throw new Error("iam.amazonaws.com: connect ETIMEDOUT (us-east-1 is down)"); } } as unknown as PreflightAws;
    const secondary = { role: "secondary" } as StackConfig;
    const links = { role: "links" } as unknown as StackConfig;
    expect(await checkServiceLinkedRole(aws, [secondary, links])).to.equal(undefined);
    expect(await checkServiceLinkedRole(aws, [secondary])).to.equal(undefined);
    expect(asked).to.equal(0);
    // With the primary in the deploy, the check runs (and an unreachable IAM fails it: the primary needs IAM anyway).
    const failed = await checkServiceLinkedRole(aws, [{ role: "primary" } as StackConfig, secondary]).then(() => "passed", (e: Error) => e.message);
    expect(failed).to.contain("ETIMEDOUT");
    expect(asked).to.equal(1);
  });
});

/** A PreflightAws over an in-memory account; records every change. */
class FakeAws implements PreflightAws {
  readonly changes: string[] = [];
  role = true;
  lbs: Record<string, LoadBalancerFacts[]> = {};
  clusters: Record<string, ClusterFacts> = {};
  globals: Record<string, GlobalClusterFacts> = {};
  buckets: Record<string, BucketFacts> = {};
  secrets: Record<string, SecretFacts> = {};
  snapshots: Record<string, SnapshotFacts> = {};
  constructor(private readonly log: string[]) {}
  async roleExists() { this.log.push("aws GetRole"); return this.role; }
  async loadBalancers(region: string) { return this.lbs[region] ?? []; }
  async dbCluster(_r: string, id: string) { return this.clusters[id]; }
  restoreGroups: Record<string, ClusterFacts[]> = {};
  async clustersInSubnetGroup(_r: string, group: string) { return this.restoreGroups[group] ?? []; }
  async globalCluster(_r: string, id: string) { return this.globals[id]; }
  async bucketContents(_r: string, b: string) { return this.buckets[b]; }
  async secret(_r: string, id: string) { return this.secrets[id]; }
  async clusterSnapshot(_r: string, id: string) { return this.snapshots[id]; }
  instances: Record<string, DbInstanceFacts[]> = {};
  async clusterInstances(_r: string, id: string) { return this.instances[id] ?? []; }
  private change(what: string) { this.changes.push(what); this.log.push(`aws ${what}`); }
  async liftLoadBalancerDeletionProtection(r: string, arn: string) { this.change(`lift lb ${arn} ${r}`); }
  async liftClusterDeletionProtection(r: string, id: string) { this.change(`lift cluster ${id} ${r}`); }
  async liftGlobalClusterDeletionProtection(r: string, id: string) { this.change(`lift global ${id} ${r}`); }
  async emptyBucket(r: string, b: string) { this.change(`empty ${b} ${r}`); return 3; }
}

/** Stacks with outputs; logs selects, destroys and (through FakeAws) AWS changes in one sequence. */
class OutputsWorkspace implements StackWorkspace {
  constructor(readonly log: string[], readonly outputs: Record<string, Record<string, unknown>>) {}
  async select(stack: string): Promise<StackHandle | undefined> {
    if (!(stack in this.outputs)) return undefined;
    const op = (name: string) => async (): Promise<ChangeSummary> => { this.log.push(`${name} ${stack}`); return { delete: 1 }; };
    return { name: stack, up: op("up"), preview: op("preview"), destroy: op("destroy"), resourceCount: async () => 0, outputs: async () => this.outputs[stack] };
  }
}

describe("dr destroy / deploy with the preflights", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-preflight-"));
    for (const s of ["primary", "secondary", "links"]) fs.copyFileSync(path.join(EXAMPLE_DIR, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A primary and a secondary whose ALBs and clusters are protected and whose data buckets hold objects. */
  function account(log: string[]): FakeAws {
    const aws = new FakeAws(log);
    aws.lbs = { "us-east-1": [{ name: "orders-web-us-east-1", arn: LB_ARN, deletionProtection: true }], "us-west-2": [] };
    aws.clusters = { "orders-prod-us-east-1": { identifier: "orders-prod-us-east-1", deletionProtection: true }, "orders-prod-us-west-2": { identifier: "orders-prod-us-west-2", deletionProtection: false } };
    aws.globals = { "orders-prod": { identifier: "orders-prod", deletionProtection: true } };
    aws.buckets = { "orders-data-us-west-2": { name: "orders-data-us-west-2", versions: 2, deleteMarkers: 1, truncated: false } };
    const secretArn = PRIMARY_OUTPUTS.regional.dbSecretArn as string;
    aws.secrets = { [secretArn]: { name: "orders/prod/aurora-master", arn: secretArn } };
    return aws;
  }

  async function run(args: string[], aws: FakeAws, log: string[], outputs: Record<string, Record<string, unknown>> = { primary: PRIMARY_OUTPUTS, secondary: SECONDARY_OUTPUTS, links: {} }, missing?: string) {
    const out: string[] = [];
    const err: string[] = [];
    let code = 0;
    const program = new Command("dr").exitOverride();
    registerDeployCommands(program, {
      workspaceFor: () => new OutputsWorkspace(log, outputs), preflight: () => missing, preflightAws: async () => aws,
      out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: (c) => { code = c; },
    });
    await program.parseAsync(["node", "dr", ...args, "--cwd", dir]);
    return { out: out.join("\n"), err: err.join("\n"), code };
  }

  it("documents the destroy preflight's flags in the help", () => {
    const program = new Command("dr");
    registerDeployCommands(program, {});
    const help = program.commands.find((c) => c.name() === "destroy")!.helpInformation();
    for (const flag of ["--lift-deletion-protection", "--empty-buckets", "--outputs <stack=file...>", "--check"]) expect(help).to.contain(flag);
  });

  it("refuses to deploy or preview in an account without the Auto Scaling role, before touching any stack", async () => {
    for (const command of ["deploy", "preview"]) {
      const log: string[] = [];
      const aws = account(log);
      aws.role = false;
      const r = await run([command], aws, log);
      expect(r.code, command).to.equal(1);
      expect(r.err, command).to.contain("AWSServiceRoleForAutoScaling").and.contain("aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com");
      expect(log, command).to.deep.equal(["aws GetRole"]);
    }
  });

  it("deploys once the role exists", async () => {
    const log: string[] = [];
    const r = await run(["deploy"], account(log), log);
    expect(r.code).to.equal(0);
    expect(log).to.deep.equal(["aws GetRole", "up primary", "up secondary", "up links"]);
  });

  it("without flags lists every blocker per stack and region with its flag and steps, exits 1 and changes nothing", async () => {
    const log: string[] = [];
    const aws = account(log);
    const r = await run(["destroy"], aws, log);
    expect(r.code).to.equal(1);
    expect(aws.changes).to.deep.equal([]);
    expect(log.filter((l) => l.startsWith("destroy"))).to.deep.equal([]);
    expect(r.out).to.contain("[secondary us-west-2] bucket orders-data-us-west-2 holds 2 object version(s) and 1 delete marker(s)")
      .and.contain("[primary us-east-1] load balancer orders-web-us-east-1 has deletion protection on")
      .and.contain("[primary us-east-1] Aurora cluster orders-prod-us-east-1 has deletion protection on")
      .and.contain("[primary us-east-1] Aurora global database orders-prod has deletion protection on")
      .and.contain(`handle with ${LIFT_DELETION_PROTECTION_FLAG}`).and.contain(`handle with ${EMPTY_BUCKETS_FLAG}`)
      .and.contain("4 blocker(s)");
    // Traps for a redeploy and retained keys are listed too.
    expect(r.out).to.contain("secret orders/prod/aurora-master").and.contain("aws kms schedule-key-deletion --region us-west-2");
  });

  it("lists the links stack's Region switch report bucket once a plan has run (S3 refuses to delete a bucket that holds objects), before links goes first", async () => {
    const log: string[] = [];
    const aws = account(log);
    aws.buckets = { ...aws.buckets, "orders-region-switch-reports-bucket-1a2b": { name: "orders-region-switch-reports-bucket-1a2b", versions: 3, deleteMarkers: 0, truncated: false } };
    const links = { replicationRuleIds: [], regionSwitchPlan: { reportBucketName: "orders-region-switch-reports-bucket-1a2b" } };
    const r = await run(["destroy", "--check"], aws, log, { primary: PRIMARY_OUTPUTS, secondary: SECONDARY_OUTPUTS, links });
    expect(r.code).to.equal(1);
    expect(r.out).to.contain("[links us-east-1] bucket orders-region-switch-reports-bucket-1a2b holds 3 object version(s)").and.contain("5 blocker(s)");
    expect(r.out).to.not.contain("[links us-east-1] load balancer"); // links owns no load balancer: the primary's in us-east-1 stays the primary's
    expect(aws.changes).to.deep.equal([]);
  });

  it("lists an AWS Backup restore test's cluster in a stack's own DB subnet group (it holds the group until its validation window ends), not the stack's own cluster", async () => {
    const log: string[] = [];
    const aws = account(log);
    const own = { identifier: "orders-prod-us-east-1", deletionProtection: true };
    aws.restoreGroups = { "orders-prod-us-east-1": [own, { identifier: "awsbackup-restore-test-1a2b3c", deletionProtection: false }] };
    const r = await run(["destroy", "--check"], aws, log);
    expect(r.code).to.equal(1);
    expect(r.out).to.contain("[primary us-east-1] Aurora cluster awsbackup-restore-test-1a2b3c (restored from backup, in no Pulumi state) uses DB subnet group orders-prod-us-east-1")
      .and.contain("AWS Backup deletes it when the test's validation window ends");
    expect(r.out).to.not.contain("Aurora cluster orders-prod-us-east-1 (restored from backup");
  });

  it("with both flags names each change, makes it before the first stack is destroyed, then destroys in order", async () => {
    const log: string[] = [];
    const aws = account(log);
    const r = await run(["destroy", "--lift-deletion-protection", "--empty-buckets"], aws, log);
    expect(r.code, r.err).to.equal(0);
    expect(log).to.deep.equal([
      "aws empty orders-data-us-west-2 us-west-2",
      `aws lift lb ${LB_ARN} us-east-1`,
      "aws lift cluster orders-prod-us-east-1 us-east-1",
      "aws lift global orders-prod us-east-1",
      "destroy links",
      "destroy secondary",
      "destroy primary",
    ]);
    expect(r.out).to.contain("--empty-buckets: delete every object version and delete marker in bucket orders-data-us-west-2 (us-west-2)");
  });

  it("with one flag still refuses while the other kind of blocker stands", async () => {
    const log: string[] = [];
    const aws = account(log);
    const r = await run(["destroy", "--lift-deletion-protection"], aws, log);
    expect(r.code).to.equal(1);
    expect(aws.changes).to.deep.equal([]);
    expect(r.out).to.contain("1 blocker(s)");
  });

  it("after an undone failover drill refuses whatever the flags: the drill writer outside Pulumi and the secondary writing", async () => {
    const log: string[] = [];
    const aws = account(log);
    aws.instances = {
      "orders-prod-us-east-1": [{ identifier: "orders-prod-us-east-1-a", status: "available" }],
      "orders-prod-us-west-2": [{ identifier: "orders-prod-us-west-2-drill-writer", status: "available" }],
    };
    aws.globals["orders-prod"] = { ...aws.globals["orders-prod"], members: [
      { clusterArn: "arn:aws:rds:us-east-1:111122223333:cluster:orders-prod-us-east-1", isWriter: false },
      { clusterArn: "arn:aws:rds:us-west-2:111122223333:cluster:orders-prod-us-west-2", isWriter: true },
    ] };
    const r = await run(["destroy", "--lift-deletion-protection", "--empty-buckets"], aws, log);
    expect(r.code).to.equal(1);
    expect(aws.changes).to.deep.equal([]);
    expect(log.filter((l) => l.startsWith("destroy"))).to.deep.equal([]);
    expect(r.out).to.contain("[secondary us-west-2] DB instance orders-prod-us-west-2-drill-writer (available) of Aurora cluster orders-prod-us-west-2 is in no Pulumi state")
      .and.contain("aws rds delete-db-instance --region us-west-2 --db-instance-identifier orders-prod-us-west-2-drill-writer")
      .and.contain("[primary us-east-1] Aurora global database orders-prod is written by orders-prod-us-west-2 in us-west-2")
      .and.contain("npm run dr -- drill failback --execute")
      .and.contain("2 blocker(s)");
    expect(r.out).to.not.contain("orders-prod-us-east-1-a ");
  });

  it("--check lists and changes nothing even with flags; --outputs files replace the state's outputs", async () => {
    const log: string[] = [];
    const aws = account(log);
    aws.buckets = {};
    const file = path.join(dir, "primary.json");
    const renamed = { ...PRIMARY_OUTPUTS, regional: regional("us-east-1", "orders-other") };
    aws.clusters["orders-other"] = { identifier: "orders-other", deletionProtection: true };
    fs.writeFileSync(file, JSON.stringify(renamed));
    const r = await run(["destroy", "--check", "--lift-deletion-protection", "--outputs", `primary=${file}`], aws, log, { primary: PRIMARY_OUTPUTS, secondary: SECONDARY_OUTPUTS });
    expect(r.code).to.equal(0);
    expect(log).to.deep.equal([]);
    expect(r.out).to.contain("Aurora cluster orders-other").and.not.contain("Aurora cluster orders-prod-us-east-1");
  });

  it("runs --check without the Pulumi CLI when --outputs covers every stack, and not otherwise", async () => {
    const log: string[] = [];
    const aws = account(log);
    const files = ["primary", "secondary"].map((s) => path.join(dir, `${s}-out.json`));
    fs.writeFileSync(files[0], JSON.stringify(PRIMARY_OUTPUTS));
    fs.writeFileSync(files[1], JSON.stringify(SECONDARY_OUTPUTS));
    const noCli = "The Pulumi CLI is not on PATH.";
    const offline = await run(["destroy", "--check", "--outputs", `primary=${files[0]}`, `secondary=${files[1]}`], aws, log, {}, noCli);
    expect(offline.out).to.contain("bucket orders-data-us-west-2 holds 2 object version(s)");
    expect(offline.err).to.equal("");
    const partial = await run(["destroy", "--check", "--outputs", `primary=${files[0]}`], aws, log, {}, noCli);
    expect(partial.code).to.equal(1);
    expect(partial.err).to.contain(noCli);
    expect(aws.changes).to.deep.equal([]);
  });
});
