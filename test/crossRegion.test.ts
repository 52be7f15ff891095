import { expect } from "chai";
import { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { failureOf, givenStackFile, oneOf, resourcesOf, whenBothEvaluated, whenEvaluated, PRIMARY_STACK_REF } from "./harness/stack";

/** Issue 4's acceptance: the primary evaluated, its outputs answering the secondary's stack reference. */
describe("cross-region wiring: primary then secondary", () => {
  let primary: Evaluation;
  let secondary: Evaluation;
  const primaryRegion = givenStackFile("primary")["aws:region"];
  const secondaryRegion = givenStackFile("secondary")["aws:region"];
  before(async () => {
    ({ primary, secondary } = await whenBothEvaluated());
  });

  describe("Aurora global database", () => {
    it("joins the secondary cluster to the primary's global cluster, with no credentials of its own", () => {
      const global = oneOf(primary, "aws:rds/globalCluster:GlobalCluster");
      const member = oneOf(secondary, "aws:rds/cluster:Cluster");
      expect(member.inputs.globalClusterIdentifier).to.equal(global.inputs.globalClusterIdentifier);
      for (const credential of ["masterUsername", "masterPassword", "databaseName", "manageMasterUserPassword"]) expect(member.inputs, credential).not.to.have.property(credential);
      expect(member.inputs).not.to.have.property("replicationSourceIdentifier");
      // Only active-active routes writes to the secondary; a standby keeps the member strictly read-only.
      expect(member.inputs).not.to.have.property("enableGlobalWriteForwarding");
      expect(member.region).to.equal(secondaryRegion);
    });

    it("ignores membership and engine version on both members, which a switchover changes outside Pulumi", () => {
      for (const cluster of [oneOf(primary, "aws:rds/cluster:Cluster"), oneOf(secondary, "aws:rds/cluster:Cluster")]) {
        expect(cluster.ignoreChanges).to.include.members(["globalClusterIdentifier", "engineVersion"]);
      }
    });

    it("backs up the secondary member with the secondary's data bucket, in its region, copying into the primary's vault", () => {
      const member = oneOf(secondary, "aws:rds/cluster:Cluster");
      const selection = oneOf(secondary, "aws:backup/selection:Selection");
      const bucketName = (secondary.outputs.regional as { dataBucketName: string }).dataBucketName;
      expect(selection.inputs.resources).to.have.members([member.outputs.arn, `arn:aws:s3:::${bucketName}`]);
      expect(member.outputs.arn).to.match(new RegExp(`^arn:aws:rds:${secondaryRegion}:\\d{12}:cluster:${member.inputs.clusterIdentifier as string}$`));
      const [rule] = oneOf(secondary, "aws:backup/plan:Plan").inputs.rules as Array<{ copyActions: Array<{ destinationVaultArn: string }> }>;
      const primaryVault = (primary.outputs.regional as { backup: { vaultArn: string } }).backup.vaultArn;
      expect(rule.copyActions.map((c) => c.destinationVaultArn)).to.deep.equal([primaryVault]);
      expect(primaryVault.split(":")[3]).to.equal(primaryRegion);
      expect(selection.region).to.equal(secondaryRegion);
    });

    it("gives each member a cluster identifier unique across regions", () => {
      const ids = [primary, secondary].map((ev) => oneOf(ev, "aws:rds/cluster:Cluster").inputs.clusterIdentifier);
      expect(new Set(ids).size).to.equal(2);
    });

    it("encrypts the secondary cluster with the replica key of its own region", () => {
      const replica = oneOf(primary, "aws:kms/replicaKey:ReplicaKey");
      expect(replica.region).to.equal(secondaryRegion);
      expect(String(oneOf(secondary, "aws:rds/cluster:Cluster").inputs.kmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${secondaryRegion}:`));
    });
  });

  describe("S3 replication", () => {
    const config = (ev: Evaluation, region: string) => resourcesOf(ev, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").find((r) => r.region === region)!;
    const rule = (r: RecordedResourceWithRegion) => (r.inputs.rules as Array<Record<string, any>>)[0];

    it("is owned by the secondary in both directions", () => {
      expect(resourcesOf(primary, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.deep.equal([]);
      expect(resourcesOf(secondary, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.have.length(2);
    });

    it("replicates the primary bucket into the secondary bucket and back", () => {
      const forward = config(secondary, primaryRegion);
      const back = config(secondary, secondaryRegion);
      const primaryBucket = (primary.outputs.regional as Record<string, string>).dataBucketName;
      const secondaryBucket = (secondary.outputs.regional as Record<string, string>).dataBucketName;
      expect(forward.inputs.bucket).to.equal(primaryBucket);
      expect(rule(forward).destination.bucket).to.equal(`arn:aws:s3:::${secondaryBucket}`);
      expect(back.inputs.bucket).to.equal(secondaryBucket);
      expect(rule(back).destination.bucket).to.equal(`arn:aws:s3:::${primaryBucket}`);
    });

    it("uses Replication Time Control with metrics, replicates delete markers and KMS objects with the destination's key", () => {
      for (const [source, destination] of [[primaryRegion, secondaryRegion], [secondaryRegion, primaryRegion]]) {
        const r = rule(config(secondary, source));
        expect(r.destination.replicationTime).to.deep.include({ status: "Enabled" });
        expect(r.destination.metrics).to.deep.include({ status: "Enabled" });
        expect(r.deleteMarkerReplication.status).to.equal("Enabled");
        expect(r.sourceSelectionCriteria.sseKmsEncryptedObjects.status).to.equal("Enabled");
        expect(r.sourceSelectionCriteria.replicaModifications.status).to.equal("Enabled");
        expect(String(r.destination.encryptionConfiguration.replicaKmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${destination}:`));
      }
    });

    it("waits for the secondary bucket's versioning before configuring replication", () => {
      const versioning = oneOf(secondary, "aws:s3/bucketVersioning:BucketVersioning");
      for (const region of [primaryRegion, secondaryRegion]) expect(config(secondary, region).dependsOn).to.include(versioning.urn);
    });
  });

  describe("secrets, AMIs and DNS", () => {
    it("replicates the database secret into the secondary region under that region's key", () => {
      const secret = oneOf(primary, "aws:secretsmanager/secret:Secret");
      const replicas = secret.inputs.replicas as Array<{ region: string; kmsKeyId: string }>;
      expect(replicas.map((r) => r.region)).to.deep.equal([secondaryRegion]);
      expect(replicas[0].kmsKeyId).to.match(new RegExp(`^arn:aws:kms:${secondaryRegion}:`));
      expect(String(secret.inputs.kmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${primaryRegion}:`));
    });

    it("lets the secondary's app tier read only the local replica of the secret", () => {
      const policies = resourcesOf(secondary, "aws:iam/rolePolicy:RolePolicy", /-app-/).map((p) => p.inputs.policy as string).join("\n");
      expect(policies).to.contain(`arn:aws:secretsmanager:${secondaryRegion}:`);
      expect(policies).not.to.contain(`arn:aws:secretsmanager:${primaryRegion}:`);
    });

    it("copies the primary's golden AMI, encrypted with the secondary's key, and launches the fleet from the copy", () => {
      const copy = oneOf(secondary, "aws:ec2/amiCopy:AmiCopy");
      expect(copy.inputs.sourceAmiId).to.equal(givenStackFile("primary")["dr:amiId"]);
      expect(copy.inputs.sourceAmiRegion).to.equal(primaryRegion);
      expect(copy.inputs.encrypted).to.equal(true);
      expect(String(copy.inputs.kmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${secondaryRegion}:`));
      const copiedId = (secondary.outputs.regional as Record<string, string>).amiId;
      for (const template of resourcesOf(secondary, "aws:ec2/launchTemplate:LaunchTemplate")) expect(template.inputs.imageId).to.equal(copiedId);
    });

    it("publishes PRIMARY and SECONDARY failover aliases under one name with distinct set identifiers", () => {
      const failover = (ev: Evaluation) => resourcesOf(ev, "aws:route53/record:Record").find((r) => Array.isArray(r.inputs.failoverRoutingPolicies))!;
      const [p, s] = [failover(primary), failover(secondary)];
      expect(p.inputs.name).to.equal(s.inputs.name);
      expect(p.inputs.zoneId).to.equal(s.inputs.zoneId);
      expect((p.inputs.failoverRoutingPolicies as Array<{ type: string }>)[0].type).to.equal("PRIMARY");
      expect((s.inputs.failoverRoutingPolicies as Array<{ type: string }>)[0].type).to.equal("SECONDARY");
      expect(p.inputs.setIdentifier).not.to.equal(s.inputs.setIdentifier);
      for (const r of [p, s]) {
        expect((r.inputs.aliases as Array<{ evaluateTargetHealth: boolean }>)[0].evaluateTargetHealth).to.equal(true);
        expect(r.inputs).not.to.have.property("ttl");
        expect(r.inputs.healthCheckId).to.be.a("string");
      }
    });

    it("lets either stack write the shared ACM validation record, since both regions validate the same name", () => {
      const validation = (ev: Evaluation) => resourcesOf(ev, "aws:route53/record:Record").filter((r) => r.inputs.type === "CNAME");
      const names = (ev: Evaluation) => validation(ev).map((r) => r.inputs.name);
      expect(names(primary).filter((n) => names(secondary).includes(n))).to.not.be.empty;
      for (const r of [...validation(primary), ...validation(secondary)]) expect(r.inputs.allowOverwrite).to.equal(true);
    });
  });

  describe("regions and keys", () => {
    // Resources a stack deliberately creates in another region, by type: everything else stays home.
    const crossRegion: Record<string, Record<string, string>> = {
      primary: { "aws:kms/replicaKey:ReplicaKey": secondaryRegion, "aws:kms/alias:Alias": "either" },
      secondary: { "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "either", "aws:iam/role:Role": "either", "aws:iam/rolePolicy:RolePolicy": "either", "aws:cloudwatch/metricAlarm:MetricAlarm": "either", "aws:kms/key:Key": "us-east-1", "aws:sns/topic:Topic": "either", "aws:sns/topicPolicy:TopicPolicy": "either" },
    };

    it("creates every AWS resource through an explicit provider of a known region", () => {
      for (const ev of [primary, secondary]) {
        const unpinned = ev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && (!r.provider || !/^[a-z]{2}-[a-z]+-\d$/.test(r.region)));
        expect(unpinned.map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
      }
    });

    it("keeps each stack's resources in its own region except the cross-region links it owns", () => {
      for (const [ev, home] of [[primary, primaryRegion], [secondary, secondaryRegion]] as const) {
        const allowed = crossRegion[ev.stack];
        const strays = ev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.region !== home && !(r.type in allowed && (allowed[r.type] === "either" || allowed[r.type] === r.region)));
        expect(strays.map((r) => `${r.type} ${r.name} in ${r.region}`), ev.stack).to.deep.equal([]);
      }
      expect(oneOf(primary, "aws:kms/replicaKey:ReplicaKey").region).to.equal(secondaryRegion);
    });

    it("never encrypts a resource with a key from another region", () => {
      const keyFields = ["kmsKeyId", "kmsKeyArn", "kmsMasterKeyId", "performanceInsightsKmsKeyId"];
      for (const ev of [primary, secondary]) {
        for (const r of ev.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
          for (const field of keyFields) {
            const value = r.inputs[field];
            if (typeof value === "string" && value.startsWith("arn:aws:kms:")) expect(value.split(":")[3], `${r.type} ${r.name}.${field}`).to.equal(r.region);
          }
        }
      }
    });

    it("uses multi-region keys with rotation, so replicas decrypt what the primary encrypted", () => {
      const key = oneOf(primary, "aws:kms/key:Key");
      expect(key.inputs).to.include({ multiRegion: true, enableKeyRotation: true });
      expect(oneOf(primary, "aws:kms/replicaKey:ReplicaKey").inputs.primaryKeyArn).to.match(new RegExp(`^arn:aws:kms:${primaryRegion}:`));
    });
  });

  describe("stack reference contract", () => {
    it("fails naming the missing output and the primary when the primary lacks a replica for this region", async () => {
      const outputs = { ...primary.outputs, replicaKeyArns: {} };
      const message = await failureOf(() => whenEvaluated("secondary", givenStackFile("secondary"), { [PRIMARY_STACK_REF]: outputs }));
      expect(message).to.contain(`replicaKeyArns.${secondaryRegion}`).and.contain(PRIMARY_STACK_REF);
    });
  });
});
