/**
 * What a restore leaves in a backup-restore secondary, outside Pulumi: a cluster named as the
 * standing cluster would be, in the `-restore` subnet group. `dr deploy`/`preview` refuse to switch
 * that secondary to a strategy with a standing cluster (CreateDBCluster would fail with
 * DBClusterAlreadyExists, and the switch deletes the subnet group the restore uses), and
 * `dr destroy --check` reports the cluster (RDS refuses to delete a subnet group in use).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";
import { registerDeployCommands } from "../src/cli/deployCommands";
import { ClusterFacts, DbInstanceFacts, PreflightAws } from "../src/deploy/preflight/awsPort";
import { checkDestroy } from "../src/deploy/preflight/destroyPreflight";
import { strategySwitchProblem } from "../src/deploy/preflight/strategySwitch";
import { readOutputsFile, targetsFromOutputs } from "../src/deploy/preflight/targets";
import { ChangeSummary, StackHandle, StackWorkspace } from "../src/deploy/orchestrator";
import { EXAMPLE_DIR, PROJECT_DIR } from "./harness/stack";

const RESTORED = "orders-prod-us-west-2";
const GROUP = `${RESTORED}-restore`;

/** An account whose secondary region holds a restored cluster (with a writer) in the restore subnet group. */
function account(asked: string[], restored = true): PreflightAws {
  const cluster: ClusterFacts = { identifier: RESTORED, deletionProtection: true };
  const none = async () => undefined;
  return {
    roleExists: async () => true,
    clustersInSubnetGroup: async (region: string, group: string) => { asked.push(`${region} clusters in ${group}`); return restored && group === GROUP ? [cluster] : []; },
    dbCluster: async (region: string, id: string) => { asked.push(`${region} cluster ${id}`); return restored && id === RESTORED ? cluster : undefined; },
    clusterInstances: async (_r: string, id: string): Promise<DbInstanceFacts[]> => (id === RESTORED ? [{ identifier: `${RESTORED}-drill-writer`, status: "available" }] : []),
    loadBalancers: async () => [], globalCluster: none, bucketContents: none, secret: none, clusterSnapshot: none,
  } as unknown as PreflightAws;
}

describe("a restored cluster in a backup-restore secondary", () => {
  describe("switching the secondary to a standing cluster", () => {
    const facts = { stack: "secondary", region: "us-west-2", strategy: "pilot-light", clusterIdentifier: RESTORED, managesCluster: false, clusters: [{ identifier: RESTORED, deletionProtection: true }] };

    it("is refused with the steps that make it possible, naming the cluster, the collision and the way to stay", () => {
      const msg = strategySwitchProblem(facts)!;
      expect(msg).to.contain(`dr:strategy pilot-light`).and.contain(RESTORED).and.contain("DBClusterAlreadyExists").and.contain(GROUP);
      expect(msg).to.contain("runbooks/restore.md").and.contain(`aws rds delete-db-cluster --region us-west-2 --db-cluster-identifier ${RESTORED} --final-db-snapshot-identifier`);
      expect(msg).to.contain("pulumi config set dr:strategy backup-restore --stack secondary");
    });

    it("is no problem while the secondary stays backup-restore, once the stack manages its own cluster, or with no restored cluster", () => {
      expect(strategySwitchProblem({ ...facts, strategy: "backup-restore" })).to.equal(undefined);
      expect(strategySwitchProblem({ ...facts, managesCluster: true })).to.equal(undefined);
      expect(strategySwitchProblem({ ...facts, clusters: [] })).to.equal(undefined);
    });

    describe("dr deploy / preview", () => {
      let dir: string;
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-switch-"));
        for (const s of ["primary", "secondary", "links"]) fs.copyFileSync(path.join(EXAMPLE_DIR, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
      });
      after(() => fs.rmSync(dir, { recursive: true, force: true }));

      /** The secondary as deployed: backup-restore outputs (no cluster), or a standing cluster's. */
      class Workspace implements StackWorkspace {
        readonly ops: string[] = [];
        constructor(private readonly secondaryOutputs: Record<string, unknown>) {}
        async select(stack: string): Promise<StackHandle | undefined> {
          const op = (name: string) => async (): Promise<ChangeSummary> => { this.ops.push(`${name} ${stack}`); return {}; };
          return { name: stack, up: op("up"), preview: op("preview"), destroy: op("destroy"), resourceCount: async () => 0, outputs: async () => (stack === "secondary" ? this.secondaryOutputs : {}) };
        }
      }
      async function run(args: string[], ws: Workspace, aws: PreflightAws): Promise<{ code: number; err: string }> {
        let code = 0;
        const err: string[] = [];
        const program = new Command("dr").exitOverride();
        registerDeployCommands(program, { workspaceFor: () => ws, preflight: () => undefined, out: () => undefined, err: (l) => err.push(l), setExitCode: (c) => { code = c; }, preflightAws: async () => aws });
        await program.parseAsync(["node", "dr", ...args, "--cwd", dir]);
        return { code, err: err.join("\n") };
      }
      const backupRestoreOutputs = readOutputsFile("secondary", path.join(PROJECT_DIR, "test/fixtures/drills/restore-secondary.json"));

      it("refuses before touching any stack, asking only the secondary's region", async () => {
        const asked: string[] = [];
        for (const command of ["deploy", "preview"]) {
          const ws = new Workspace(backupRestoreOutputs);
          const r = await run([command, "--stacks", "secondary"], ws, account(asked));
          expect(r.code, command).to.equal(1);
          expect(r.err).to.contain("DBClusterAlreadyExists").and.contain(RESTORED);
          expect(ws.ops, command).to.deep.equal([]);
        }
        expect(asked.every((a) => a.startsWith("us-west-2 ")), asked.join()).to.equal(true);
      });

      it("deploys when no restored cluster is left, and asks nothing when the stack already manages its cluster", async () => {
        const ws = new Workspace(backupRestoreOutputs);
        expect((await run(["deploy", "--stacks", "secondary"], ws, account([], false))).code).to.equal(0);
        expect(ws.ops).to.deep.equal(["up secondary"]);
        const asked: string[] = [];
        const standing = { ...backupRestoreOutputs, regional: { ...(backupRestoreOutputs.regional as object), dbClusterIdentifier: RESTORED } };
        expect((await run(["deploy", "--stacks", "secondary"], new Workspace(standing), account(asked))).code).to.equal(0);
        expect(asked).to.deep.equal([]);
      });
    });
  });

  describe("dr destroy --check", () => {
    it("reports the restored cluster as blocking, with its instances, deletion protection and a final snapshot in the steps", async () => {
      const targets = targetsFromOutputs("secondary", readOutputsFile("secondary", path.join(PROJECT_DIR, "test/fixtures/drills/restore-secondary.json")))!;
      expect(targets.restoreSubnetGroupName).to.equal(GROUP);
      const lines: string[] = [];
      const check = await checkDestroy(account([]), [targets], new Set(), (l) => lines.push(l));
      expect(check.ok).to.equal(false);
      const found = check.findings.filter((f) => f.kind === "restored-cluster-in-restore-subnet-group");
      expect(found).to.have.length(1);
      expect(found[0]).to.include({ severity: "blocks-destroy", resource: RESTORED, region: "us-west-2", stack: "secondary" });
      expect(found[0].message).to.contain(GROUP).and.contain("runbooks/restore.md");
      expect(found[0].steps).to.deep.equal([
        `aws rds delete-db-instance --region us-west-2 --db-instance-identifier ${RESTORED}-drill-writer`,
        `aws rds wait db-instance-deleted --region us-west-2 --db-instance-identifier ${RESTORED}-drill-writer`,
        `aws rds modify-db-cluster --region us-west-2 --db-cluster-identifier ${RESTORED} --no-deletion-protection --apply-immediately`,
        `aws rds delete-db-cluster --region us-west-2 --db-cluster-identifier ${RESTORED} --final-db-snapshot-identifier ${RESTORED}-restored-final-<yyyymmddhhmm>`,
        `aws rds wait db-cluster-deleted --region us-west-2 --db-cluster-identifier ${RESTORED}`,
      ]);
      expect(lines.join("\n")).to.contain(RESTORED);
    });

    it("reports nothing of the kind once the cluster is gone", async () => {
      const targets = targetsFromOutputs("secondary", readOutputsFile("secondary", path.join(PROJECT_DIR, "test/fixtures/drills/restore-secondary.json")))!;
      const check = await checkDestroy(account([], false), [targets], new Set(), () => undefined);
      expect(check.findings.filter((f) => f.kind === "restored-cluster-in-restore-subnet-group")).to.deep.equal([]);
    });
  });
});
