import { expect } from "chai";
import { isPlacedInstanceIdentifier, placeInstances } from "../components/data/dataPlacement";
import { GlobalClusterFacts } from "../src/deploy/preflight/awsPort";
import { databaseMemberFindings, DatabaseMemberFacts, parseClusterArn } from "../src/deploy/preflight/databaseMembers";
import { verdict } from "../src/deploy/preflight/destroyBlockers";

const CLUSTER = "orders-prod-us-west-2";
const PRIMARY_CLUSTER = "orders-prod-us-east-1";
const arnOf = (region: string, id: string) => `arn:aws:rds:${region}:111122223333:cluster:${id}`;
const PRIMARY_ARN = arnOf("us-east-1", PRIMARY_CLUSTER);
const SECONDARY_ARN = arnOf("us-west-2", CLUSTER);
/** The instance the failover drill creates in a headless member (src/drills/scenarios/database.ts). */
const DRILL_WRITER = `${CLUSTER}-drill-writer`;

const secondary: DatabaseMemberFacts = { stack: "secondary", region: "us-west-2", clusterIdentifier: CLUSTER, instances: [] };
const global = (members: GlobalClusterFacts["members"]): GlobalClusterFacts => ({ identifier: "orders-prod", deletionProtection: false, members });
const primary: DatabaseMemberFacts = {
  stack: "primary", region: "us-east-1", clusterIdentifier: PRIMARY_CLUSTER, instances: [],
  globalCluster: global([{ clusterArn: PRIMARY_ARN, isWriter: true }, { clusterArn: SECONDARY_ARN, isWriter: false }]),
};
const kinds = (f: DatabaseMemberFacts) => databaseMemberFindings(f).map((x) => `${x.kind}:${x.severity}:${x.resource}`);

describe("destroy preflight: DB instances outside Pulumi and the global database's writer (pure rules)", () => {
  const rows: Array<{ name: string; facts: DatabaseMemberFacts; expected: string[] }> = [
    { name: "headless secondary, no instance", facts: secondary, expected: [] },
    // The names placeInstances gives: <cluster>-<zone letter>, a second round <cluster>-<letter>-2.
    { name: "only the stack's instances, by the naming convention", facts: { ...secondary, instances: [{ identifier: `${CLUSTER}-a`, status: "available" }, { identifier: `${CLUSTER}-b-2`, status: "available" }] }, expected: [] },
    { name: "the drill writer left behind, by the naming convention", facts: { ...secondary, instances: [{ identifier: DRILL_WRITER, status: "available" }] }, expected: [`unmanaged-db-instance:blocks-destroy:${DRILL_WRITER}`] },
    { name: "the drill writer still being created", facts: { ...secondary, instances: [{ identifier: DRILL_WRITER, status: "creating" }] }, expected: [`unmanaged-db-instance:blocks-destroy:${DRILL_WRITER}`] },
    // The rule is "DB instances in non-deleting state": one already deleting stops nothing.
    { name: "the drill writer already deleting", facts: { ...secondary, instances: [{ identifier: DRILL_WRITER, status: "deleting" }] }, expected: [] },
    // Exported identifiers win over the convention: an instance named like the stack's but not in its state is unmanaged.
    {
      name: "exported identifiers: a convention-shaped instance not in the state",
      facts: { ...secondary, managedInstanceIdentifiers: [`${CLUSTER}-a`], instances: [{ identifier: `${CLUSTER}-a`, status: "available" }, { identifier: `${CLUSTER}-c`, status: "available" }] },
      expected: [`unmanaged-db-instance:blocks-destroy:${CLUSTER}-c`],
    },
    { name: "exported identifiers list every instance", facts: { ...secondary, managedInstanceIdentifiers: [`${CLUSTER}-a`, "custom-name"], instances: [{ identifier: "custom-name", status: "available" }] }, expected: [] },
    { name: "primary writes: nothing to report", facts: primary, expected: [] },
    { name: "global database with no members listed", facts: { ...primary, globalCluster: global([]) }, expected: [] },
    {
      name: "failover without failback: the secondary's cluster writes",
      facts: { ...primary, globalCluster: global([{ clusterArn: PRIMARY_ARN, isWriter: false }, { clusterArn: SECONDARY_ARN, isWriter: true }]) },
      expected: ["global-writer-not-primary:blocks-destroy:orders-prod"],
    },
    { name: "no member writes (cut-over under way)", facts: { ...primary, globalCluster: global([{ clusterArn: PRIMARY_ARN, isWriter: false }, { clusterArn: SECONDARY_ARN, isWriter: false }]) }, expected: ["global-writer-not-primary:blocks-destroy:orders-prod"] },
    { name: "the primary's cluster detached, the secondary writes", facts: { ...primary, globalCluster: global([{ clusterArn: SECONDARY_ARN, isWriter: true }]) }, expected: ["global-writer-not-primary:blocks-destroy:orders-prod"] },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.expected.length ? row.expected.map((e) => e.split(":")[0]).join(", ") : "no finding"}`, () => {
      expect(kinds(row.facts)).to.deep.equal(row.expected);
    });
  }

  it("the naming convention accepts every name placeInstances gives and nothing else", () => {
    const azs = ["us-west-2a", "us-west-2b", "us-west-2c"];
    // 7 instances over 3 AZs: two full rounds and one more, so names with and without a round suffix.
    for (const p of placeInstances(CLUSTER, azs, 7)) expect(isPlacedInstanceIdentifier(CLUSTER, p.identifier), p.identifier).to.equal(true);
    for (const other of [DRILL_WRITER, `${CLUSTER}-restored`, `${CLUSTER}`, `${CLUSTER}x-a`, "orders-prod-us-east-1-a"]) {
      expect(isPlacedInstanceIdentifier(CLUSTER, other), other).to.equal(false);
    }
  });

  it("gives the exact delete-db-instance command and its waiter, and no flag handles it", () => {
    const [f] = databaseMemberFindings({ ...secondary, instances: [{ identifier: DRILL_WRITER, status: "available" }] });
    expect(f.steps).to.deep.equal([
      `aws rds delete-db-instance --region us-west-2 --db-instance-identifier ${DRILL_WRITER}`,
      `aws rds wait db-instance-deleted --region us-west-2 --db-instance-identifier ${DRILL_WRITER}`,
    ]);
    expect(f).to.include({ stack: "secondary", region: "us-west-2" });
    expect(f.flag).to.equal(undefined);
    expect(f.message).to.contain(`Aurora cluster ${CLUSTER}`).and.contain("in no Pulumi state");
    expect(verdict([f], new Set(["--lift-deletion-protection", "--empty-buckets"])).blocking).to.deep.equal([f]);
  });

  it("after a failover names the writer and its region, and says to fail back first, with the switchover by hand", () => {
    const [f] = databaseMemberFindings({ ...primary, globalCluster: global([{ clusterArn: PRIMARY_ARN, isWriter: false }, { clusterArn: SECONDARY_ARN, isWriter: true }]) });
    expect(f.message).to.contain(`written by ${CLUSTER} in us-west-2, not by ${PRIMARY_CLUSTER} of stack primary`).and.contain("Fail back first");
    expect(f.steps[0]).to.match(/^npm run dr -- drill failback --execute/);
    // SwitchoverGlobalCluster takes the global cluster id and the target member's ARN (API_SwitchoverGlobalCluster).
    expect(f.steps).to.include(`aws rds switchover-global-cluster --region us-east-1 --global-cluster-identifier orders-prod --target-db-cluster-identifier ${PRIMARY_ARN}`);
    expect(verdict([f], new Set(["--lift-deletion-protection", "--empty-buckets"])).blocking).to.have.length(1);
  });

  it("when the primary's cluster left the global database, says to add it back before failing back", () => {
    const [f] = databaseMemberFindings({ ...primary, globalCluster: global([{ clusterArn: SECONDARY_ARN, isWriter: true }]) });
    expect(f.steps.join("\n")).to.contain("pulumi up --stack primary").and.not.contain("switchover-global-cluster");
  });

  it("reads region and identifier from an RDS cluster ARN, nothing from another ARN", () => {
    expect(parseClusterArn(SECONDARY_ARN)).to.deep.equal({ region: "us-west-2", identifier: CLUSTER });
    expect(parseClusterArn("arn:aws-us-gov:rds:us-gov-west-1:111122223333:cluster:c1")).to.deep.equal({ region: "us-gov-west-1", identifier: "c1" });
    expect(parseClusterArn("arn:aws:rds:us-west-2:111122223333:db:orders-prod-us-west-2-a")).to.deep.equal({});
  });
});
