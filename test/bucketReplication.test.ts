import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fc from "fast-check";
import {
  BucketReplication, BucketReplicationArgs, kmsKeyArnProblems, kmsKeyRegion, replicationRolePolicy,
  validateBucketReplicationArgs, versioningDependencyWarning,
} from "../components/storage/bucketReplication";
import { DataBucket, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, validateDataBucketArgs } from "../components/storage/dataBucket";
import { evaluateStack, Evaluation, EvaluationError, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { failureOf, oneOf, resourcesOf } from "./harness/stack";

const EAST = "us-east-1";
const WEST = "us-west-2";
// A multi-region key and its replica: same key id, one ARN per region.
const keyIn = (region: string) => `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/mrk-0123456789abcdef0123456789abcdef`;
const KEY = { [EAST]: keyIn(EAST), [WEST]: keyIn(WEST) } as const;
const OTHER = { [EAST]: WEST, [WEST]: EAST } as const;
/** Component names of the two directions, by source region. */
const DIRECTION = { [EAST]: "east-to-west", [WEST]: "west-to-east" } as const;
const BUCKET = { [EAST]: "data-east", [WEST]: "data-west" } as const;
type Region = typeof EAST | typeof WEST;
const REGIONS: readonly Region[] = [EAST, WEST];

const T = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

type Obj = Record<string, any>;
interface Statement { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Obj; Principal?: unknown }
const list = <X>(x: X | X[]): X[] => (Array.isArray(x) ? x : [x]);

function validArgs(overrides: Partial<BucketReplicationArgs> = {}): BucketReplicationArgs {
  return {
    sourceBucketName: "data-east-1234",
    sourceBucketArn: "arn:aws:s3:::data-east-1234",
    sourceKmsKeyArn: KEY[EAST],
    sourceRegion: EAST,
    destinationBucketArn: "arn:aws:s3:::data-west-5678",
    destinationKmsKeyArn: KEY[WEST],
    destinationRegion: WEST,
    ...overrides,
  };
}
const SOME_DEPENDENCY = [{} as never];

function validationMessage(args: BucketReplicationArgs, dependsOn: unknown): string {
  try {
    validateBucketReplicationArgs(args, dependsOn as never);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected validation to fail");
}

describe("DataBucket and BucketReplication (S3 cross-region replication)", () => {
  let ev: Evaluation;
  let bucketArnOf: Record<Region, string>;
  let bucketNameOf: Record<Region, string>;
  let warningWithoutVersioning: string | undefined;
  let warningWithVersioning: string | undefined;

  before(async () => {
    ev = await evaluateStack({
      stack: "s3-replication",
      config: {},
      program: async () => {
        const providers = { [EAST]: new aws.Provider("east", { region: EAST }), [WEST]: new aws.Provider("west", { region: WEST }) };
        const buckets = Object.fromEntries(REGIONS.map((r) => [r, new DataBucket(BUCKET[r], { kmsKeyArn: KEY[r] }, { provider: providers[r] })])) as Record<Region, DataBucket>;
        for (const source of REGIONS) {
          const destination = OTHER[source];
          new BucketReplication(DIRECTION[source], {
            sourceBucketName: buckets[source].bucketName,
            sourceBucketArn: buckets[source].bucketArn,
            sourceKmsKeyArn: KEY[source],
            sourceRegion: source,
            destinationBucketArn: buckets[destination].bucketArn,
            destinationKmsKeyArn: KEY[destination],
            destinationRegion: destination,
          }, { provider: providers[source], dependsOn: [buckets[source].versioning, buckets[destination].versioning] });
        }
        warningWithoutVersioning = versioningDependencyWarning([buckets[EAST], buckets[WEST]]);
        warningWithVersioning = versioningDependencyWarning([buckets[WEST].versioning]);
        return {
          arns: { [EAST]: buckets[EAST].bucketArn, [WEST]: buckets[WEST].bucketArn },
          names: { [EAST]: buckets[EAST].bucketName, [WEST]: buckets[WEST].bucketName },
        };
      },
    });
    bucketArnOf = ev.outputs.arns as Record<Region, string>;
    bucketNameOf = ev.outputs.names as Record<Region, string>;
  });

  /** The one resource of a type inside a named component. */
  const within = (component: string, type: string): RecordedResourceWithRegion => oneOf(ev, type, new RegExp(`^${component}-`));
  const ruleOf = (source: Region): Obj => {
    const rules = within(DIRECTION[source], T.replication).inputs.rules as Obj[];
    expect(rules).to.have.length(1);
    return rules[0];
  };
  const policyOf = (source: Region): Statement[] => JSON.parse(String(within(DIRECTION[source], T.rolePolicy).inputs.policy)).Statement;

  describe("the data bucket of each region", () => {
    it("is versioned (replication's prerequisite) in its own region", () => {
      for (const r of REGIONS) {
        const versioning = within(BUCKET[r], T.versioning);
        expect(versioning.inputs.versioningConfiguration).to.deep.include({ status: "Enabled" });
        expect(versioning.inputs.bucket).to.equal(bucketNameOf[r]);
        expect(versioning.region).to.equal(r);
      }
    });

    it("encrypts with SSE-KMS under the customer key of its region, with S3 Bucket Keys", () => {
      for (const r of REGIONS) {
        const [rule, ...more] = within(BUCKET[r], T.sse).inputs.rules as Obj[];
        expect(more).to.be.empty;
        expect(rule.applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY[r] });
        expect(kmsKeyRegion(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId)).to.equal(within(BUCKET[r], T.sse).region);
        expect(rule.bucketKeyEnabled).to.equal(true);
      }
    });

    it("blocks every form of public access and disables ACLs", () => {
      for (const r of REGIONS) {
        expect(within(BUCKET[r], T.pab).inputs).to.deep.include({
          bucket: bucketNameOf[r], blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        expect(within(BUCKET[r], T.ownership).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
      }
    });

    it("denies every request made without TLS, on the bucket and its objects", () => {
      for (const r of REGIONS) {
        const policy = within(BUCKET[r], T.policy);
        const statements: Statement[] = JSON.parse(String(policy.inputs.policy)).Statement;
        const deny = statements.find((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false");
        expect(deny, "a Deny on aws:SecureTransport=false").to.exist;
        expect(deny!.Principal).to.equal("*");
        expect(list(deny!.Action)).to.include("s3:*");
        expect(list(deny!.Resource)).to.have.members([bucketArnOf[r], `${bucketArnOf[r]}/*`]);
        expect(statements.filter((s) => s.Effect === "Allow"), "the data bucket policy grants nothing").to.be.empty;
      }
    });

    it("expires noncurrent versions after the default retention, and is not force-destroyed by default", () => {
      for (const r of REGIONS) {
        const rules = within(BUCKET[r], T.lifecycle).inputs.rules as Obj[];
        const expiring = rules.filter((x) => x.status === "Enabled" && x.noncurrentVersionExpiration);
        expect(expiring).to.have.length(1);
        expect(expiring[0].noncurrentVersionExpiration.noncurrentDays).to.equal(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS);
        expect(within(BUCKET[r], T.bucket).inputs.forceDestroy).to.equal(false);
        // Inline (deprecated) settings would fight the separate resources on every update.
        expect(within(BUCKET[r], T.bucket).inputs).not.to.have.any.keys("versioning", "serverSideEncryptionConfiguration", "replicationConfiguration");
      }
    });

    it("registers every resource with the provider of its own region", () => {
      for (const r of REGIONS) {
        const children = ev.resources.filter((x) => x.custom && x.name.startsWith(`${BUCKET[r]}-`));
        expect(children.map((x) => x.type)).to.have.members([T.bucket, T.versioning, T.sse, T.pab, T.ownership, T.lifecycle, T.policy]);
        for (const child of children) expect(child.region, `${child.type} ${child.name}`).to.equal(r);
      }
    });

    it("registers its bucket name and ARN as component outputs", () => {
      for (const r of REGIONS) {
        const component = oneOf(ev, "dr:storage:DataBucket", new RegExp(`^${BUCKET[r]}$`));
        expect(ev.componentOutputs.get(component.urn)).to.deep.include({ bucketName: bucketNameOf[r], bucketArn: bucketArnOf[r] });
      }
    });
  });

  describe("replication in each direction", () => {
    it("is configured on the source bucket and points to the other region's bucket", () => {
      for (const source of REGIONS) {
        const config = within(DIRECTION[source], T.replication);
        expect(config.inputs.bucket).to.equal(bucketNameOf[source]);
        expect(ruleOf(source).destination.bucket).to.equal(bucketArnOf[OTHER[source]]);
        expect(ruleOf(source).status).to.equal("Enabled");
      }
    });

    it("is registered in the source bucket's region (S3 looks the bucket up in the provider's region)", () => {
      for (const source of REGIONS) {
        for (const type of [T.replication, T.role, T.rolePolicy]) {
          expect(within(DIRECTION[source], type).region, type).to.equal(source);
        }
      }
    });

    it("covers all objects: one rule with an empty filter and no prefix", () => {
      for (const source of REGIONS) {
        const rule = ruleOf(source);
        expect(rule.filter).to.deep.equal({});
        expect(rule).not.to.have.property("prefix");
        expect(rule.priority).to.be.a("number");
      }
    });

    it("uses Replication Time Control at 15 minutes, with metrics on (RTC requires them)", () => {
      for (const source of REGIONS) {
        const destination = ruleOf(source).destination;
        expect(destination.replicationTime).to.deep.equal({ status: "Enabled", time: { minutes: 15 } });
        expect(destination.metrics).to.deep.equal({ status: "Enabled", eventThreshold: { minutes: 15 } });
        expect(destination.storageClass).to.equal("STANDARD");
      }
    });

    it("replicates delete markers (AWS does so only when asked)", () => {
      for (const source of REGIONS) expect(ruleOf(source).deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
    });

    it("replicates KMS-encrypted objects, re-encrypting with a key of the destination region", () => {
      for (const source of REGIONS) {
        const rule = ruleOf(source);
        expect(rule.sourceSelectionCriteria.sseKmsEncryptedObjects).to.deep.equal({ status: "Enabled" });
        const replicaKey = rule.destination.encryptionConfiguration.replicaKmsKeyId;
        expect(replicaKey).to.equal(KEY[OTHER[source]]);
        expect(kmsKeyRegion(replicaKey)).to.equal(OTHER[source]);
        expect(kmsKeyRegion(replicaKey)).not.to.equal(within(DIRECTION[source], T.replication).region);
      }
    });

    it("syncs replica modifications, so the reverse direction keeps metadata identical", () => {
      for (const source of REGIONS) expect(ruleOf(source).sourceSelectionCriteria.replicaModifications).to.deep.equal({ status: "Enabled" });
    });

    it("depends on the versioning of both buckets (S3 rejects replication of an unversioned bucket)", () => {
      const versioningUrn = (r: Region) => within(BUCKET[r], T.versioning).urn;
      for (const source of REGIONS) {
        // The configuration's inputs never mention the versioning resources: only dependsOn orders them.
        expect(within(DIRECTION[source], T.replication).dependsOn).to.include.members([versioningUrn(EAST), versioningUrn(WEST)]);
      }
    });

    it("uses a role S3 alone may assume, for this account only, and that role carries the policy", () => {
      for (const source of REGIONS) {
        const role = within(DIRECTION[source], T.role);
        const [trust] = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement as Statement[];
        expect(trust.Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
        expect(trust.Action).to.equal("sts:AssumeRole");
        expect(trust.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
        const configRole = String(within(DIRECTION[source], T.replication).inputs.role);
        expect(configRole).to.match(/^arn:aws:iam::\d{12}:role\//);
        expect(configRole.split("/").pop()).to.equal(within(DIRECTION[source], T.rolePolicy).inputs.role);
      }
    });

    it("grants no wildcard action or resource, and only Allow statements", () => {
      for (const source of REGIONS) {
        for (const s of policyOf(source)) {
          expect(s.Effect).to.equal("Allow");
          for (const action of list(s.Action)) expect(action, s.Sid).not.to.include("*");
          for (const resource of list(s.Resource)) expect(resource, s.Sid).not.to.equal("*");
        }
      }
    });

    it("reads only from the source bucket and writes replicas only into the destination bucket", () => {
      for (const source of REGIONS) {
        const src = bucketArnOf[source];
        const dst = bucketArnOf[OTHER[source]];
        const s3 = policyOf(source).filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
        const resourcesFor = (action: string) => s3.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
        expect(resourcesFor("s3:GetReplicationConfiguration")).to.deep.equal([src]);
        expect(resourcesFor("s3:ListBucket")).to.deep.equal([src]);
        for (const a of ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]) expect(resourcesFor(a), a).to.deep.equal([`${src}/*`]);
        for (const a of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) expect(resourcesFor(a), a).to.deep.equal([`${dst}/*`]);
      }
    });

    it("lets KMS be used only through S3 of each key's region: decrypt with the source key, encrypt with the destination key", () => {
      for (const source of REGIONS) {
        const destination = OTHER[source];
        const kms = policyOf(source).filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
        const decrypt = kms.filter((s) => list(s.Action).includes("kms:Decrypt"));
        const encrypt = kms.filter((s) => list(s.Action).includes("kms:Encrypt"));
        expect(decrypt).to.have.length(1);
        expect(encrypt).to.have.length(1);
        expect(list(decrypt[0].Resource)).to.deep.equal([KEY[source]]);
        expect(decrypt[0].Condition?.StringEquals?.["kms:ViaService"]).to.equal(`s3.${source}.amazonaws.com`);
        expect(list(encrypt[0].Resource)).to.deep.equal([KEY[destination]]);
        expect(encrypt[0].Condition?.StringEquals?.["kms:ViaService"]).to.equal(`s3.${destination}.amazonaws.com`);
        // Every KMS grant is region-scoped, and none lets the destination key decrypt.
        for (const s of kms) expect(s.Condition?.StringEquals?.["kms:ViaService"], s.Sid).to.match(/^s3\.[a-z0-9-]+\.amazonaws\.com$/);
        expect(list(encrypt[0].Action)).not.to.include("kms:Decrypt");
      }
    });

    it("registers roleArn, ruleId, sourceBucketName and destinationBucketArn as component outputs", () => {
      for (const source of REGIONS) {
        const component = oneOf(ev, "dr:storage:BucketReplication", new RegExp(`^${DIRECTION[source]}$`));
        const outputs = ev.componentOutputs.get(component.urn)!;
        expect(outputs).to.deep.include({ ruleId: ruleOf(source).id, sourceBucketName: bucketNameOf[source], destinationBucketArn: bucketArnOf[OTHER[source]] });
        expect(outputs.roleArn).to.equal(within(DIRECTION[source], T.replication).inputs.role);
        expect(ruleOf(source).id).to.equal("dr-replication");
      }
    });

    it("warns when dependsOn names buckets but not their versioning", () => {
      expect(warningWithoutVersioning).to.match(/BucketVersioning/);
      expect(warningWithVersioning).to.equal(undefined);
    });
  });

  describe("validation of BucketReplication arguments", () => {
    it("accepts a valid pair of regions, keys and buckets", () => {
      expect(() => validateBucketReplicationArgs(validArgs(), SOME_DEPENDENCY)).not.to.throw();
    });

    const cases: { title: string; args: Partial<BucketReplicationArgs>; dependsOn?: unknown; expected: RegExp[] }[] = [
      {
        title: "the same region on both sides",
        args: { destinationRegion: EAST, destinationKmsKeyArn: KEY[EAST] },
        expected: [/sourceRegion and destinationRegion are both "us-east-1"/, /another region/],
      },
      {
        title: "a destination key from the source region (the replica key must be in the destination region)",
        args: { destinationKmsKeyArn: KEY[EAST] },
        expected: [/destinationKmsKeyArn is "arn:aws:kms:us-east-1:[^"]+", a key in us-east-1; pass a key in us-west-2/],
      },
      {
        title: "a source key from the destination region",
        args: { sourceKmsKeyArn: KEY[WEST] },
        expected: [/sourceKmsKeyArn is "arn:aws:kms:us-west-2:[^"]+", a key in us-west-2; pass a key in us-east-1/],
      },
      {
        title: "a key alias instead of a key ARN",
        args: { destinationKmsKeyArn: `arn:aws:kms:${WEST}:${MOCK_ACCOUNT_ID}:alias/data` },
        expected: [/destinationKmsKeyArn is "arn:aws:kms:us-west-2:\d+:alias\/data"; pass a KMS key ARN/],
      },
      {
        title: "a malformed destination bucket ARN",
        args: { destinationBucketArn: "data-west-5678" },
        expected: [/destinationBucketArn is "data-west-5678"; pass a bucket ARN of the form arn:aws:s3:::<bucket-name>/],
      },
      {
        title: "a source bucket ARN with a region and account (not an S3 bucket ARN)",
        args: { sourceBucketArn: `arn:aws:s3:${EAST}:${MOCK_ACCOUNT_ID}:data-east-1234` },
        expected: [/sourceBucketArn is "arn:aws:s3:us-east-1:\d+:data-east-1234"; pass a bucket ARN of the form arn:aws:s3:::/],
      },
      {
        title: "replication into the source bucket itself",
        args: { destinationBucketArn: "arn:aws:s3:::data-east-1234" },
        expected: [/destinationBucketArn is "arn:aws:s3:::data-east-1234", the source bucket itself/],
      },
      {
        title: "a source bucket name that is not the source ARN's bucket",
        args: { sourceBucketName: "other-bucket" },
        expected: [/sourceBucketName is "other-bucket" but sourceBucketArn names "data-east-1234"/],
      },
      {
        title: "an unknown storage class and an empty rule id",
        args: { storageClass: "COLD" as never, ruleId: "" },
        expected: [/storageClass is "COLD"; use one of STANDARD/, /ruleId is "" \(0 characters\); use 1 to 255/],
      },
      {
        title: "no dependency on the buckets' versioning",
        args: {},
        dependsOn: [],
        expected: [/opts\.dependsOn is empty; pass the BucketVersioning/],
      },
      {
        title: "several problems at once, all in one error",
        args: { destinationRegion: EAST, sourceBucketArn: "nope", sourceKmsKeyArn: "key-1" },
        dependsOn: undefined,
        expected: [/sourceRegion and destinationRegion/, /sourceBucketArn is "nope"/, /sourceKmsKeyArn is "key-1"/, /opts\.dependsOn/],
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.title}, naming the input, its value and the fix`, () => {
        const message = validationMessage(validArgs(c.args), "dependsOn" in c ? c.dependsOn : SOME_DEPENDENCY);
        expect(message).to.match(/^BucketReplication: invalid arguments/);
        for (const pattern of c.expected) expect(message).to.match(pattern);
      });
    }

    it("finds the region of any key ARN, and flags a key exactly when its region differs", () => {
      const region = fc.constantFrom("us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "us-gov-west-1");
      fc.assert(fc.property(region, region, fc.stringMatching(/^[a-f0-9-]{8,40}$/), (keyRegion, wanted, id) => {
        const arn = `arn:aws:kms:${keyRegion}:${MOCK_ACCOUNT_ID}:key/${id}`;
        expect(kmsKeyRegion(arn)).to.equal(keyRegion);
        expect(kmsKeyArnProblems("k", arn, wanted)).to.have.length(keyRegion === wanted ? 0 : 1);
      }));
    });

    it("builds a policy whose KMS grants follow the regions it is given", () => {
      const region = fc.constantFrom("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1");
      fc.assert(fc.property(region, region, (src, dst) => {
        const statements = replicationRolePolicy({
          sourceBucketArn: "arn:aws:s3:::a", destinationBucketArn: "arn:aws:s3:::b", sourceKmsKeyArn: keyIn(src), destinationKmsKeyArn: keyIn(dst), sourceRegion: src, destinationRegion: dst,
        }).Statement as unknown as Statement[];
        for (const s of statements.filter((x) => list(x.Action).some((a) => a.startsWith("kms:")))) {
          const keyRegion = kmsKeyRegion(list(s.Resource)[0]);
          expect(s.Condition?.StringEquals?.["kms:ViaService"]).to.equal(`s3.${keyRegion}.amazonaws.com`);
        }
      }));
    });
  });

  describe("validation of DataBucket arguments", () => {
    it("rejects a non-key ARN and a retention under one day in one error", () => {
      let message = "";
      try {
        validateDataBucketArgs({ kmsKeyArn: "alias/aws/s3", noncurrentVersionExpirationDays: 0 });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.match(/^DataBucket: invalid arguments/);
      expect(message).to.match(/kmsKeyArn is "alias\/aws\/s3"; pass a KMS key ARN/);
      expect(message).to.match(/noncurrentVersionExpirationDays is 0; use a whole number of days, at least 1/);
      expect(() => validateDataBucketArgs({ kmsKeyArn: KEY[EAST], noncurrentVersionExpirationDays: 30 })).not.to.throw();
    });
  });

  describe("failures at deployment", () => {
    it("registers nothing for invalid replication arguments (validation runs before the component registers)", async () => {
      let error: unknown;
      try {
        await evaluateStack({
          stack: "s3-replication-invalid",
          config: {},
          program: async () => {
            const provider = new aws.Provider("east", { region: EAST });
            new BucketReplication("bad", validArgs({ destinationRegion: EAST }), { provider, dependsOn: [provider] });
          },
        });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(EvaluationError);
      expect((error as EvaluationError).message).to.match(/sourceRegion and destinationRegion are both "us-east-1"/);
      expect((error as EvaluationError).resources.filter((r) => r.type.startsWith("dr:") || r.type.startsWith("aws:"))).to.be.empty;
    });

    it("fails when the provider is not the source region's, and when a bucket's key is from another region", async () => {
      const wrongProvider = await failureOf(() => evaluateStack({
        stack: "s3-replication-wrong-provider",
        config: {},
        program: async () => {
          const provider = new aws.Provider("west", { region: WEST });
          new BucketReplication("misplaced", validArgs(), { provider, dependsOn: [provider] });
        },
      }));
      expect(wrongProvider).to.match(/provider in opts is for us-west-2, but sourceRegion is us-east-1; pass the provider of the source bucket's region/);

      const wrongKey = await failureOf(() => evaluateStack({
        stack: "s3-bucket-wrong-key",
        config: {},
        program: async () => {
          const provider = new aws.Provider("west", { region: WEST });
          new DataBucket("misplaced", { kmsKeyArn: KEY[EAST] }, { provider });
        },
      }));
      expect(wrongKey).to.match(/kmsKeyArn "arn:aws:kms:us-east-1:[^"]+" is a key in us-east-1, but the bucket is in us-west-2/);
    });

    it("fails clearly without a provider", async () => {
      const message = await failureOf(() => evaluateStack({
        stack: "s3-no-provider",
        config: {},
        program: async () => {
          new DataBucket("orphan", { kmsKeyArn: KEY[EAST] });
        },
      }));
      expect(message).to.match(/DataBucket orphan: no AWS provider given/);
    });
  });

  it("records the expected number of resources per component (no stray children)", () => {
    expect(resourcesOf(ev, T.replication)).to.have.length(2);
    expect(resourcesOf(ev, T.role)).to.have.length(2);
    expect(resourcesOf(ev, T.bucket)).to.have.length(2);
  });
});
