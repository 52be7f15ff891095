import { expect } from "chai";
import { Evaluation, EvaluationError, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { keyArnRegion, kmsKeyReferences } from "./harness/kmsKeys";
import { foreignRegionUse } from "./harness/staticStability";
import { failureOf, givenStackFile, oneOf, resourcesOf, whenEvaluated, PRIMARY_STACK_REF, SECONDARY_STACK_REF } from "./harness/stack";
import { exampleDeployment } from "./harness/deployments";

/** Issue 4's acceptance: the primary evaluated, its outputs answering the secondary's stack reference; then the links stack. */
describe("cross-region wiring: primary, secondary, links", () => {
  let primary: Evaluation;
  let secondary: Evaluation;
  let links: Evaluation;
  const primaryRegion = givenStackFile("primary")["aws:region"];
  const secondaryRegion = givenStackFile("secondary")["aws:region"];
  before(async () => {
    ({ primary, secondary, links } = await exampleDeployment());
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

    it("copies the primary's Aurora cluster and data bucket into the secondary's vault through the links stack, in the primary's region", () => {
      const plan = oneOf(links, "aws:backup/plan:Plan");
      const selection = oneOf(links, "aws:backup/selection:Selection");
      expect([plan.region, selection.region]).to.deep.equal([primaryRegion, primaryRegion]);
      const cluster = oneOf(primary, "aws:rds/cluster:Cluster");
      const bucketName = (primary.outputs.regional as { dataBucketName: string }).dataBucketName;
      expect(selection.inputs.resources).to.have.members([cluster.outputs.arn, `arn:aws:s3:::${bucketName}`]);
      // The primary's role runs the job; the copy lands in the vault the secondary stack created and exported.
      expect(selection.inputs.iamRoleArn).to.equal((primary.outputs.regional as { backup: { backupRoleArn: string } }).backup.backupRoleArn);
      const secondaryVault = (secondary.outputs.regional as { backup: { vaultArn: string } }).backup.vaultArn;
      const [rule] = plan.inputs.rules as Array<{ targetVaultName: string; copyActions: Array<{ destinationVaultArn: string }> }>;
      expect(rule.targetVaultName).to.equal((primary.outputs.regional as { backup: { vaultName: string } }).backup.vaultName);
      expect(rule.copyActions.map((c) => c.destinationVaultArn)).to.deep.equal([secondaryVault]);
      expect(secondaryVault.split(":")[3]).to.equal(secondaryRegion);
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
    const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
    const bucketOf = (ev: Evaluation) => (ev.outputs.regional as Record<string, string>).dataBucketName;
    const rule = (r: RecordedResourceWithRegion) => {
      const rules = r.inputs.rules as Array<Record<string, any>>;
      expect(rules, r.name).to.have.length(1);
      return rules[0];
    };

    it("puts the primary bucket's configuration in the links stack and the secondary bucket's in the secondary, each in its bucket's region", () => {
      expect(resourcesOf(primary, REPLICATION)).to.deep.equal([]);
      const forward = oneOf(links, REPLICATION);
      const back = oneOf(secondary, REPLICATION);
      expect([forward.inputs.bucket, forward.region]).to.deep.equal([bucketOf(primary), primaryRegion]);
      expect([back.inputs.bucket, back.region]).to.deep.equal([bucketOf(secondary), secondaryRegion]);
    });

    it("replicates the primary bucket into the secondary bucket and back", () => {
      expect(rule(oneOf(links, REPLICATION)).destination.bucket).to.equal(`arn:aws:s3:::${bucketOf(secondary)}`);
      expect(rule(oneOf(secondary, REPLICATION)).destination.bucket).to.equal(`arn:aws:s3:::${bucketOf(primary)}`);
    });

    it("uses Replication Time Control with metrics, replicates delete markers and KMS objects with the destination's key", () => {
      for (const [ev, destination] of [[links, secondaryRegion], [secondary, primaryRegion]] as const) {
        const r = rule(oneOf(ev, REPLICATION));
        expect(r.destination.replicationTime).to.deep.include({ status: "Enabled" });
        expect(r.destination.metrics).to.deep.include({ status: "Enabled" });
        expect(r.deleteMarkerReplication.status).to.equal("Enabled");
        expect(r.sourceSelectionCriteria.sseKmsEncryptedObjects.status).to.equal("Enabled");
        expect(r.sourceSelectionCriteria.replicaModifications.status).to.equal("Enabled");
        expect(String(r.destination.encryptionConfiguration.replicaKmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${destination}:`));
      }
    });

    it("waits for versioning: the secondary's own bucket's resource, and the links stack for the stacks that versioned both buckets", () => {
      const versioning = oneOf(secondary, "aws:s3/bucketVersioning:BucketVersioning");
      expect(oneOf(secondary, REPLICATION).dependsOn).to.include(versioning.urn);
      const refs = resourcesOf(links, "pulumi:pulumi:StackReference").map((r) => r.urn);
      expect(refs).to.have.length(2);
      expect(oneOf(links, REPLICATION).dependsOn).to.include.members(refs);
    });

    it("alarms on each rule's metrics in the region S3 publishes them: failures at the source, latency at the destination", () => {
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
      const alarms = [...secondary.resources, ...links.resources].filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.namespace === "AWS/S3");
      const where = (metric: string, source: string) => alarms.filter((a) => a.inputs.metricName === metric && (a.inputs.dimensions as Record<string, string>).SourceBucket === source).map((a) => `${a.region}`);
      expect(where("OperationsFailedReplication", bucketOf(primary))).to.deep.equal([primaryRegion]);
      expect(where("ReplicationLatency", bucketOf(primary))).to.deep.equal([secondaryRegion]);
      expect(where("OperationsFailedReplication", bucketOf(secondary))).to.deep.equal([secondaryRegion]);
      expect(where("ReplicationLatency", bucketOf(secondary))).to.deep.equal([primaryRegion]);
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

    it("may overwrite the promoted standalone secret when the replica is re-added after failback", () => {
      // A replica promoted with StopReplicationToReplica during an outage is a standalone secret of
      // the same name; ReplicateSecretToRegions refuses to replace it unless ForceOverwriteReplicaSecret
      // is true (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicateSecretToRegions.html).
      expect(oneOf(primary, "aws:secretsmanager/secret:Secret").inputs.forceOverwriteReplicaSecret).to.equal(true);
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
    // Resources a stack deliberately creates in another region than its own, by type.
    const crossRegion: Record<string, Record<string, string>> = {
      // The primary's own switch: an alarm in the first secondary's region, its topic and subscriptions
      // there, and its Route 53 check (global) signed by the same provider (stacks/regionSwitch.ts).
      primary: {
        "aws:kms/replicaKey:ReplicaKey": secondaryRegion, "aws:kms/alias:Alias": "either", "aws:cloudwatch/metricAlarm:MetricAlarm": secondaryRegion, "aws:route53/healthCheck:HealthCheck": secondaryRegion,
        "aws:sns/topic:Topic": secondaryRegion, "aws:sns/topicPolicy:TopicPolicy": secondaryRegion, "aws:sns/topicSubscription:TopicSubscription": secondaryRegion,
      },
      secondary: {},
    };

    it("creates every AWS resource through an explicit provider of a known region", () => {
      for (const ev of [primary, secondary, links]) {
        const unpinned = ev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && (!r.provider || !/^[a-z]{2}-[a-z]+-\d$/.test(r.region)));
        expect(unpinned.map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
      }
    });

    it("keeps each region stack's resources in its own region except the cross-region links it owns", () => {
      for (const [ev, home] of [[primary, primaryRegion], [secondary, secondaryRegion]] as const) {
        const allowed = crossRegion[ev.stack];
        const strays = ev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.region !== home && !(r.type in allowed && (allowed[r.type] === "either" || allowed[r.type] === r.region)));
        expect(strays.map((r) => `${r.type} ${r.name} in ${r.region}`), ev.stack).to.deep.equal([]);
      }
      expect(oneOf(primary, "aws:kms/replicaKey:ReplicaKey").region).to.equal(secondaryRegion);
    });

    it("puts the links stack's resources only in the primary's region and us-east-1 (Route 53 metrics, the plan's control plane), but for the plan's event alerts, one provider each", () => {
      // The Region switch plan's event alerts also stand in the plan's other region: where an execution
      // running there sends its events is not documented (stacks/regionSwitchPlan.ts).
      const byUrn = new Map(links.resources.map((r) => [r.urn, r]));
      const inEventAlert = (r: { parent?: string }): boolean => !!r.parent && (byUrn.get(r.parent)?.type === "dr:observability:EventAlert" || inEventAlert(byUrn.get(r.parent) ?? {}));
      const elsewhere = links.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.region !== primaryRegion && r.region !== "us-east-1");
      expect(elsewhere.some(inEventAlert), "the plan's event alert in us-west-2").to.equal(true);
      expect(elsewhere.filter((r) => !inEventAlert(r)).map((r) => `${r.type} ${r.name} in ${r.region}`)).to.deep.equal([]);
      const providers = resourcesOf(links, "pulumi:providers:aws").map((p) => p.inputs.region);
      expect(new Set(providers).size).to.equal(providers.length);
    });

    it("never encrypts with a key from another region, at any depth of the inputs (secret replicas, replication destinations, launch-template volumes)", () => {
      const bucketRegion = new Map([primary, secondary].map((ev) => {
        const regional = ev.outputs.regional as Record<string, string>;
        return [regional.dataBucketArn, regional.region] as const;
      }));
      const checked = new Set<string>();
      for (const ev of [primary, secondary, links]) {
        for (const r of ev.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
          for (const ref of kmsKeyReferences(r.inputs)) {
            const keyRegion = keyArnRegion(ref.value);
            if (!keyRegion) continue;
            // A key serves the region of what it encrypts: a secret replica's region, a replication
            // destination's bucket, otherwise the resource's own region.
            const scoped = [...ref.ancestors].reverse().find((a) => typeof a.region === "string");
            const destination = [...ref.ancestors].reverse().find((a) => typeof a.bucket === "string" && bucketRegion.has(a.bucket as string) && ref.path.includes("destination"));
            const expected = (scoped?.region as string | undefined) ?? (destination ? bucketRegion.get(destination.bucket as string) : undefined) ?? r.region;
            expect(keyRegion, `${ev.stack}: ${r.type} ${r.name}.${ref.path}`).to.equal(expected);
            checked.add(ref.path.replace(/\[\d+\]/g, "[]"));
          }
        }
      }
      // The walker reaches the nested inputs that matter, so the check above covers them.
      expect([...checked]).to.include.members(["replicas[].kmsKeyId", "rules[].destination.encryptionConfiguration.replicaKmsKeyId", "blockDeviceMappings[].ebs.kmsKeyId"]);
    });

    it("uses multi-region keys with rotation, so replicas decrypt what the primary encrypted", () => {
      const key = oneOf(primary, "aws:kms/key:Key");
      expect(key.inputs).to.include({ multiRegion: true, enableKeyRotation: true });
      expect(oneOf(primary, "aws:kms/replicaKey:ReplicaKey").inputs.primaryKeyArn).to.match(new RegExp(`^arn:aws:kms:${primaryRegion}:`));
    });
  });

  describe("static stability (warm standby; the other strategies in staticStability.test.ts)", () => {
    const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

    it("evaluates all three stacks without a duplicate URN (the engine would refuse one)", () => {
      for (const ev of [primary, secondary, links]) {
        const urns = ev.resources.map((r) => r.urn);
        expect(new Set(urns).size, ev.stack).to.equal(urns.length);
      }
    });

    it("gives the secondary one AWS provider, for its own region, and nothing registered in or invoked through another region", () => {
      expect(resourcesOf(secondary, "pulumi:providers:aws").map((p) => p.inputs.region)).to.deep.equal([secondaryRegion]);
      expect(foreignRegionUse(secondary, secondaryRegion)).to.deep.equal([]);
      expect(secondary.invokes).to.not.be.empty;
    });

    it("alarms on the lag of the member that has instances, and on the standby's health check from us-east-1 (links stack), under a retained key", () => {
      expect(resourcesOf(secondary, ALARM).filter((a) => String(a.inputs.metricName).startsWith("AuroraGlobalDB")).map((a) => a.region)).to.deep.equal([secondaryRegion, secondaryRegion]);
      // The primary's member carries the same alarms in its own region: after a switchover it is the
      // secondary that publishes lag (only secondaries do), and the new primary goes silent.
      for (const ev of [primary, secondary]) {
        const member = oneOf(ev, "aws:rds/cluster:Cluster");
        const lag = resourcesOf(ev, ALARM).filter((a) => String(a.inputs.metricName).startsWith("AuroraGlobalDB"));
        expect(lag.map((a) => a.inputs.metricName).sort(), ev.stack).to.deep.equal(["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"]);
        for (const a of lag) {
          expect(a.region, ev.stack).to.equal(member.region);
          expect((a.inputs.dimensions as Record<string, string>).DBClusterIdentifier, ev.stack).to.equal(member.inputs.clusterIdentifier);
          expect(a.inputs.treatMissingData, ev.stack).to.equal("missing");
        }
      }
      const healthCheck = (secondary.outputs.regional as Record<string, string>).healthCheckId;
      const on = (ev: Evaluation, id: string) => resourcesOf(ev, ALARM).filter((a) => (a.inputs.dimensions as Record<string, string> | undefined)?.HealthCheckId === id).map((a) => a.region);
      expect(on(secondary, healthCheck)).to.deep.equal([]);
      expect(on(links, healthCheck)).to.deep.equal(["us-east-1"]);
      expect(resourcesOf(links, "aws:kms/key:Key", /health-alarm-key$/).map((k) => [k.region, k.retainOnDelete])).to.deep.equal([["us-east-1", true]]);
      // A primary in us-east-1 alarms on its own health check; elsewhere the links stack does.
      const own = (primary.outputs.regional as Record<string, string>).healthCheckId;
      const home = primaryRegion === "us-east-1";
      expect([on(primary, own), on(links, own)]).to.deep.equal(home ? [["us-east-1"], []] : [[], ["us-east-1"]]);
    });
  });

  describe("stack reference contract", () => {
    it("fails naming the missing output and the primary when the primary lacks a replica for this region", async () => {
      const outputs = { ...primary.outputs, replicaKeyArns: {} };
      const message = await failureOf(() => whenEvaluated("secondary", givenStackFile("secondary"), { [PRIMARY_STACK_REF]: outputs }));
      expect(message).to.contain(`replicaKeyArns.${secondaryRegion}`).and.contain(PRIMARY_STACK_REF);
    });

    it("stops the links stack, naming the secondary and the deploy order, when a secondary has not been deployed", async () => {
      const message = await failureOf(() => whenEvaluated("links", givenStackFile("links"), { [PRIMARY_STACK_REF]: primary.outputs, [SECONDARY_STACK_REF]: {} }));
      expect(message).to.contain(`secondary stack "${SECONDARY_STACK_REF}"`).and.contain('"regional"').and.contain("primary, then each secondary, then links");
    });

    it("stops the links stack before registering anything when a replica region of the primary has no secondary stack", async () => {
      const shared = { ...(primary.outputs.shared as Record<string, unknown>), replicaRegions: [secondaryRegion, "eu-west-1"] };
      let failure: EvaluationError | undefined;
      try {
        await whenEvaluated("links", givenStackFile("links"), { [PRIMARY_STACK_REF]: { ...primary.outputs, shared }, [SECONDARY_STACK_REF]: secondary.outputs });
      } catch (err) {
        failure = err as EvaluationError;
      }
      expect(failure?.message).to.match(/dr:secondaryStacks = .*has no stack in eu-west-1, a replica region of organization\/dr-platform\/primary/);
      expect(failure!.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("dr:"))).to.deep.equal([]);
    });
  });
});
