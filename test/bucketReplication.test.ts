import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fc from "fast-check";
import {
  BucketReplication, BucketReplicationArgs, kmsKeyArnProblems, kmsKeyRegion, ReplicationDestination, replicationRolePolicy,
  validateBucketReplicationArgs, versioningDependencyWarning,
} from "../components/storage/bucketReplication";
import { DataBucket, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, validateDataBucketArgs } from "../components/storage/dataBucket";
import { evaluateStack, Evaluation, EvaluationError, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { failureOf, oneOf, resourcesOf } from "./harness/stack";

const EAST = "us-east-1";
const WEST = "us-west-2";
const EU = "eu-west-1";
// A multi-region key and its replicas: same key id, one ARN per region.
const keyIn = (region: string) => `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/mrk-0123456789abcdef0123456789abcdef`;
const KEY = { [EAST]: keyIn(EAST), [WEST]: keyIn(WEST), [EU]: keyIn(EU) } as const;
type Region = typeof EAST | typeof WEST | typeof EU;
type Source = typeof EAST | typeof WEST;
/** As the platform replicates: the primary (east) to two secondaries in ONE configuration, a secondary back. */
const DESTINATIONS: Record<Source, readonly Region[]> = { [EAST]: [WEST, EU], [WEST]: [EAST] };
/** Component names, by source region. */
const DIRECTION = { [EAST]: "east-out", [WEST]: "west-to-east" } as const;
const BUCKET = { [EAST]: "data-east", [WEST]: "data-west", [EU]: "data-eu" } as const;
const REGIONS: readonly Region[] = [EAST, WEST, EU];
const SOURCES: readonly Source[] = [EAST, WEST];
/** Every (source, destination) pair that replicates. */
const PAIRS: ReadonlyArray<readonly [Source, Region]> = SOURCES.flatMap((s) => DESTINATIONS[s].map((d) => [s, d] as const));

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

/** Valid arguments (east to west); `destination` overrides fields of the one destination. */
function validArgs(overrides: Partial<BucketReplicationArgs> = {}, destination: Partial<ReplicationDestination> = {}): BucketReplicationArgs {
  return {
    sourceBucketName: "data-east-1234",
    sourceBucketArn: "arn:aws:s3:::data-east-1234",
    sourceKmsKeyArn: KEY[EAST],
    sourceRegion: EAST,
    destinations: [{ bucketArn: "arn:aws:s3:::data-west-5678", kmsKeyArn: KEY[WEST], region: WEST, ...destination }],
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
        const providers = { [EAST]: new aws.Provider("east", { region: EAST }), [WEST]: new aws.Provider("west", { region: WEST }), [EU]: new aws.Provider("eu", { region: EU }) };
        const buckets = Object.fromEntries(REGIONS.map((r) => [r, new DataBucket(BUCKET[r], { kmsKeyArn: KEY[r] }, { provider: providers[r] })])) as Record<Region, DataBucket>;
        for (const source of SOURCES) {
          new BucketReplication(DIRECTION[source], {
            sourceBucketName: buckets[source].bucketName,
            sourceBucketArn: buckets[source].bucketArn,
            sourceKmsKeyArn: KEY[source],
            sourceRegion: source,
            destinations: DESTINATIONS[source].map((d) => ({ bucketArn: buckets[d].bucketArn, kmsKeyArn: KEY[d], region: d })),
          }, { provider: providers[source], dependsOn: [buckets[source].versioning, ...DESTINATIONS[source].map((d) => buckets[d].versioning)] });
        }
        warningWithoutVersioning = versioningDependencyWarning([buckets[EAST], buckets[WEST]]);
        warningWithVersioning = versioningDependencyWarning([buckets[WEST].versioning]);
        return {
          arns: Object.fromEntries(REGIONS.map((r) => [r, buckets[r].bucketArn])),
          names: Object.fromEntries(REGIONS.map((r) => [r, buckets[r].bucketName])),
        };
      },
    });
    bucketArnOf = ev.outputs.arns as Record<Region, string>;
    bucketNameOf = ev.outputs.names as Record<Region, string>;
  });

  /** The one resource of a type inside a named component. */
  const within = (component: string, type: string): RecordedResourceWithRegion => oneOf(ev, type, new RegExp(`^${component}-`));
  const rulesOf = (source: Source): Obj[] => within(DIRECTION[source], T.replication).inputs.rules as Obj[];
  /** The one rule of a source's configuration that replicates into a destination's bucket. */
  const ruleOf = (source: Source, destination: Region): Obj => {
    const rules = rulesOf(source).filter((r) => r.destination.bucket === bucketArnOf[destination]);
    expect(rules, `${source} -> ${destination}`).to.have.length(1);
    return rules[0];
  };
  const policyOf = (source: Source): Statement[] => JSON.parse(String(within(DIRECTION[source], T.rolePolicy).inputs.policy)).Statement;

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
        // The components pass the document as an object (so it is known at preview); the engine sends it as is.
        const doc = policy.inputs.policy;
        const statements: Statement[] = (typeof doc === "string" ? JSON.parse(doc) : doc as { Statement: Statement[] }).Statement;
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
    it("is ONE configuration on the source bucket, with one rule per destination bucket (S3 keeps one configuration per bucket)", () => {
      for (const source of SOURCES) {
        const config = within(DIRECTION[source], T.replication);
        expect(config.inputs.bucket).to.equal(bucketNameOf[source]);
        expect(rulesOf(source).map((r) => r.destination.bucket)).to.have.members(DESTINATIONS[source].map((d) => bucketArnOf[d]));
        for (const rule of rulesOf(source)) expect(rule.status).to.equal("Enabled");
      }
      expect(resourcesOf(ev, T.replication).map((r) => r.inputs.bucket)).to.have.members(SOURCES.map((s) => bucketNameOf[s]));
    });

    it("is registered in the source bucket's region (S3 looks the bucket up in the provider's region)", () => {
      for (const source of SOURCES) {
        for (const type of [T.replication, T.role, T.rolePolicy]) {
          expect(within(DIRECTION[source], type).region, type).to.equal(source);
        }
      }
    });

    it("covers all objects: rules with an empty filter, no prefix, and distinct priorities", () => {
      for (const source of SOURCES) {
        for (const rule of rulesOf(source)) {
          expect(rule.filter).to.deep.equal({});
          expect(rule).not.to.have.property("prefix");
          expect(rule.priority).to.be.a("number");
        }
        const priorities = rulesOf(source).map((r) => r.priority);
        expect(new Set(priorities).size, "S3 rejects two rules of one configuration with the same priority").to.equal(priorities.length);
        const ids = rulesOf(source).map((r) => r.id);
        expect(new Set(ids).size).to.equal(ids.length);
      }
    });

    it("uses Replication Time Control at 15 minutes, with metrics on (RTC requires them), on every rule", () => {
      for (const [source, dest] of PAIRS) {
        const destination = ruleOf(source, dest).destination;
        expect(destination.replicationTime).to.deep.equal({ status: "Enabled", time: { minutes: 15 } });
        expect(destination.metrics).to.deep.equal({ status: "Enabled", eventThreshold: { minutes: 15 } });
        expect(destination.storageClass).to.equal("STANDARD");
      }
    });

    it("replicates delete markers (AWS does so only when asked) on every rule", () => {
      for (const [source, dest] of PAIRS) expect(ruleOf(source, dest).deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
    });

    it("replicates KMS-encrypted objects, re-encrypting each rule's replicas with a key of that rule's destination region", () => {
      for (const [source, dest] of PAIRS) {
        const rule = ruleOf(source, dest);
        expect(rule.sourceSelectionCriteria.sseKmsEncryptedObjects).to.deep.equal({ status: "Enabled" });
        const replicaKey = rule.destination.encryptionConfiguration.replicaKmsKeyId;
        expect(replicaKey).to.equal(KEY[dest]);
        expect(kmsKeyRegion(replicaKey)).to.equal(dest);
      }
    });

    it("syncs replica modifications, so the reverse direction keeps metadata identical", () => {
      for (const [source, dest] of PAIRS) expect(ruleOf(source, dest).sourceSelectionCriteria.replicaModifications).to.deep.equal({ status: "Enabled" });
    });

    it("depends on the versioning of every bucket involved (S3 rejects replication of an unversioned bucket)", () => {
      const versioningUrn = (r: Region) => within(BUCKET[r], T.versioning).urn;
      for (const source of SOURCES) {
        // The configuration's inputs never mention the versioning resources: only dependsOn orders them.
        expect(within(DIRECTION[source], T.replication).dependsOn).to.include.members([source, ...DESTINATIONS[source]].map(versioningUrn));
      }
    });

    it("uses a role S3 alone may assume, for this account only, and that role carries the policy", () => {
      for (const source of SOURCES) {
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
      for (const source of SOURCES) {
        for (const s of policyOf(source)) {
          expect(s.Effect).to.equal("Allow");
          for (const action of list(s.Action)) expect(action, s.Sid).not.to.include("*");
          for (const resource of list(s.Resource)) expect(resource, s.Sid).not.to.equal("*");
        }
      }
    });

    it("reads only from the source bucket and writes replicas only into the destination buckets", () => {
      for (const source of SOURCES) {
        const src = bucketArnOf[source];
        const s3 = policyOf(source).filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
        const resourcesFor = (action: string) => s3.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
        expect(resourcesFor("s3:GetReplicationConfiguration")).to.deep.equal([src]);
        expect(resourcesFor("s3:ListBucket")).to.deep.equal([src]);
        for (const a of ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]) expect(resourcesFor(a), a).to.deep.equal([`${src}/*`]);
        for (const a of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) expect(resourcesFor(a), a).to.have.members(DESTINATIONS[source].map((d) => `${bucketArnOf[d]}/*`));
      }
    });

    it("lets KMS be used only through S3 of each key's region: decrypt with the source key, encrypt with each destination's key", () => {
      for (const source of SOURCES) {
        const kms = policyOf(source).filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
        const decrypt = kms.filter((s) => list(s.Action).includes("kms:Decrypt"));
        const encrypt = kms.filter((s) => list(s.Action).includes("kms:Encrypt"));
        expect(decrypt).to.have.length(1);
        expect(list(decrypt[0].Resource)).to.deep.equal([KEY[source]]);
        expect(decrypt[0].Condition?.StringEquals?.["kms:ViaService"]).to.equal(`s3.${source}.amazonaws.com`);
        expect(encrypt).to.have.length(DESTINATIONS[source].length);
        for (const dest of DESTINATIONS[source]) {
          const forDest = encrypt.filter((s) => list(s.Resource).includes(KEY[dest]));
          expect(forDest, dest).to.have.length(1);
          expect(list(forDest[0].Resource)).to.deep.equal([KEY[dest]]);
          expect(forDest[0].Condition?.StringEquals?.["kms:ViaService"]).to.equal(`s3.${dest}.amazonaws.com`);
          expect(forDest[0].Condition?.StringLike?.["kms:EncryptionContext:aws:s3:arn"]).to.deep.equal([bucketArnOf[dest], `${bucketArnOf[dest]}/*`]);
          expect(list(forDest[0].Action)).not.to.include("kms:Decrypt");
        }
        // Every KMS grant is region-scoped.
        for (const s of kms) expect(s.Condition?.StringEquals?.["kms:ViaService"], s.Sid).to.match(/^s3\.[a-z0-9-]+\.amazonaws\.com$/);
      }
    });

    it("registers roleArn, ruleIds, sourceBucketName and destinationBucketArns as component outputs", () => {
      for (const source of SOURCES) {
        const component = oneOf(ev, "dr:storage:BucketReplication", new RegExp(`^${DIRECTION[source]}$`));
        const outputs = ev.componentOutputs.get(component.urn)!;
        expect(outputs).to.deep.include({
          ruleIds: Object.fromEntries(DESTINATIONS[source].map((d) => [d, ruleOf(source, d).id])),
          sourceBucketName: bucketNameOf[source],
          destinationBucketArns: DESTINATIONS[source].map((d) => bucketArnOf[d]),
        });
        expect(outputs.roleArn).to.equal(within(DIRECTION[source], T.replication).inputs.role);
        // Rule ids name both regions, so every secondary's rule back to the primary gets its own alarms.
        for (const d of DESTINATIONS[source]) expect(ruleOf(source, d).id).to.equal(`dr-replication-${source}-to-${d}`);
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

    const cases: { title: string; args?: Partial<BucketReplicationArgs>; destination?: Partial<ReplicationDestination>; dependsOn?: unknown; expected: RegExp[] }[] = [
      {
        title: "the same region on both sides",
        destination: { region: EAST, kmsKeyArn: KEY[EAST] },
        expected: [/destinations\[0\]\.region is "us-east-1", the source region too/, /another region/],
      },
      {
        title: "a destination key from the source region (the replica key must be in the destination region)",
        destination: { kmsKeyArn: KEY[EAST] },
        expected: [/destinations\[0\]\.kmsKeyArn is "arn:aws:kms:us-east-1:[^"]+", a key in us-east-1; pass a key in us-west-2/],
      },
      {
        title: "a source key from the destination region",
        args: { sourceKmsKeyArn: KEY[WEST] },
        expected: [/sourceKmsKeyArn is "arn:aws:kms:us-west-2:[^"]+", a key in us-west-2; pass a key in us-east-1/],
      },
      {
        title: "a key alias instead of a key ARN",
        destination: { kmsKeyArn: `arn:aws:kms:${WEST}:${MOCK_ACCOUNT_ID}:alias/data` },
        expected: [/destinations\[0\]\.kmsKeyArn is "arn:aws:kms:us-west-2:\d+:alias\/data"; pass a KMS key ARN/],
      },
      {
        title: "a malformed destination bucket ARN",
        destination: { bucketArn: "data-west-5678" },
        expected: [/destinations\[0\]\.bucketArn is "data-west-5678"; pass a bucket ARN of the form arn:aws:s3:::<bucket-name>/],
      },
      {
        title: "a source bucket ARN with a region and account (not an S3 bucket ARN)",
        args: { sourceBucketArn: `arn:aws:s3:${EAST}:${MOCK_ACCOUNT_ID}:data-east-1234` },
        expected: [/sourceBucketArn is "arn:aws:s3:us-east-1:\d+:data-east-1234"; pass a bucket ARN of the form arn:aws:s3:::/],
      },
      {
        title: "replication into the source bucket itself",
        destination: { bucketArn: "arn:aws:s3:::data-east-1234" },
        expected: [/destinations\[0\]\.bucketArn is "arn:aws:s3:::data-east-1234", the source bucket itself/],
      },
      {
        title: "a source bucket name that is not the source ARN's bucket",
        args: { sourceBucketName: "other-bucket" },
        expected: [/sourceBucketName is "other-bucket" but sourceBucketArn names "data-east-1234"/],
      },
      {
        title: "an unknown storage class and an empty rule id",
        destination: { storageClass: "COLD" as never, ruleId: "" },
        expected: [/destinations\[0\]\.storageClass is "COLD"; use one of STANDARD/, /destinations\[0\]\.ruleId is "" \(0 characters\); use 1 to 255/],
      },
      {
        title: "two destinations in one region, and two rules with one id",
        args: { destinations: [validArgs().destinations[0], { ...validArgs().destinations[0], bucketArn: "arn:aws:s3:::data-west-other" }] },
        expected: [/destinations\[1\]\.region is "us-west-2", a region another destination already covers/, /destinations\[1\]\.ruleId is "dr-replication-us-east-1-to-us-west-2", the id of another rule/],
      },
      {
        title: "no destination at all",
        args: { destinations: [] },
        expected: [/destinations is empty/],
      },
      {
        title: "no dependency on the buckets' versioning",
        args: {},
        dependsOn: [],
        expected: [/opts\.dependsOn is empty; pass the BucketVersioning/],
      },
      {
        title: "several problems at once, all in one error",
        args: { sourceBucketArn: "nope", sourceKmsKeyArn: "key-1" },
        destination: { region: EAST },
        dependsOn: undefined,
        expected: [/destinations\[0\]\.region is "us-east-1", the source region too/, /sourceBucketArn is "nope"/, /sourceKmsKeyArn is "key-1"/, /opts\.dependsOn/],
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.title}, naming the input, its value and the fix`, () => {
        const message = validationMessage(validArgs(c.args, c.destination), "dependsOn" in c ? c.dependsOn : SOME_DEPENDENCY);
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
          sourceBucketArn: "arn:aws:s3:::a", sourceKmsKeyArn: keyIn(src), sourceRegion: src,
          destinations: [{ bucketArn: "arn:aws:s3:::b", kmsKeyArn: keyIn(dst), region: dst }],
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
            new BucketReplication("bad", validArgs({}, { region: EAST }), { provider, dependsOn: [provider] });
          },
        });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(EvaluationError);
      expect((error as EvaluationError).message).to.match(/destinations\[0\]\.region is "us-east-1", the source region too/);
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
    expect(resourcesOf(ev, T.replication)).to.have.length(SOURCES.length);
    expect(resourcesOf(ev, T.role)).to.have.length(SOURCES.length);
    expect(resourcesOf(ev, T.bucket)).to.have.length(REGIONS.length);
  });
});
