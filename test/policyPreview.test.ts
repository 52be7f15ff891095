/**
 * The pieces that let the pack decide at a first preview: the adapter's reading of CrossGuard's
 * unknown-checking proxy, the stack config it reads dr:allowedRegions from, the first-preview view
 * of recorded resources, and policies matching companions by dependency rather than by value.
 */
import { expect } from "chai";
import { allowedRegionsFromStackConfig, contextOf, knownOrUnknown } from "../policy/crossGuard";
import { asFirstPreview, RecordedLike } from "../policy/recorded";
import { refersTo, UNKNOWN } from "../policy/resources";
import { dataBucketSet, messages, res, stackOf } from "./harness/policyResources";

// @pulumi/policy's own proxy (what CrossGuard hands validations), from its compiled module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy(o: object): Record<string, unknown> };
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("policy pack at preview: unknown values and stack config", () => {
  describe("the CrossGuard adapter", () => {
    it("reads through @pulumi/policy's proxy without tripping it, unknown values marked instead of thrown", () => {
      const props = unknownCheckingProxy({ bucket: UNKNOWN_STRING, rules: [{ kmsMasterKeyId: UNKNOWN_STRING, sseAlgorithm: "aws:kms" }] });
      expect(() => props.bucket).to.throw(/can't be known during preview/);
      expect(knownOrUnknown(props)).to.deep.equal({ bucket: UNKNOWN, rules: [{ kmsMasterKeyId: UNKNOWN, sseAlgorithm: "aws:kms" }] });
    });

    it("takes dr:allowedRegions from the stack config the CLI passes (PULUMI_CONFIG), structured values as JSON text", () => {
      expect(allowedRegionsFromStackConfig(JSON.stringify({ "dr:allowedRegions": '["us-east-1","us-west-2"]', "aws:region": "us-east-1" }))).to.deep.equal(["us-east-1", "us-west-2"]);
      expect(allowedRegionsFromStackConfig(JSON.stringify({ "aws:region": "us-east-1" }))).to.equal(undefined);
      expect(allowedRegionsFromStackConfig(undefined)).to.equal(undefined);
    });

    it("refuses a dr:allowedRegions that is not a list of regions, naming the key, the value and the fix", () => {
      expect(() => allowedRegionsFromStackConfig(JSON.stringify({ "dr:allowedRegions": "us-east-1" })))
        .to.throw('stack config dr:allowedRegions is "us-east-1"; set it to a list of region names, such as [us-east-1, us-west-2], in the stack file');
    });

    it("lets a policy-config file override the stack's list, keeping the stack's for the disagreement report", () => {
      expect(contextOf({}, ["us-east-1"])).to.deep.equal({ allowedRegions: ["us-east-1"], allowedRegionsFromStack: ["us-east-1"] });
      expect(contextOf({ allowedRegions: ["eu-west-1"] }, ["us-east-1"])).to.deep.equal({ allowedRegions: ["eu-west-1"], allowedRegionsFromStack: ["us-east-1"] });
    });
  });

  describe("the first preview of recorded resources", () => {
    const rec = (name: string, type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>, more: Partial<RecordedLike> = {}): RecordedLike =>
      ({ type, name, urn: `urn:pulumi:primary::dr-platform::${type}::${name}`, inputs, outputs, id: `${name}-id-123456`, custom: true, region: "us-east-1", ...more });
    const key = rec("key", "aws:kms/key:Key", { description: "data" }, { arn: "arn:aws:kms:us-east-1:123456789012:key/abcd-1234" });
    const ref = rec("primary-ref", "pulumi:pulumi:StackReference", { name: "primary" }, { outputs: { keyArn: "arn:aws:kms:us-west-2:123456789012:key/mrk-9" } }, { read: true });
    const sse = rec("sse", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      { rules: [{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: key.outputs!.arn, sseAlgorithm: "aws:kms" } }], replica: "arn:aws:kms:us-west-2:123456789012:key/mrk-9" },
      {}, { propertyDependencies: { rules: [key.urn], replica: [ref.urn] } });
    const [pKey, , pSse] = asFirstPreview([key, ref, sse]);

    it("makes what the cloud assigns unknown (ids, ARNs), and every input computed from it, leaving literals known", () => {
      expect(pKey.id).to.equal(undefined);
      expect(pKey.outputs).to.deep.equal({ arn: UNKNOWN, description: "data" });
      expect(pSse.inputs.rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: UNKNOWN, sseAlgorithm: "aws:kms" } }]);
    });

    it("keeps values from stack references known, as a real preview does", () => {
      expect(pSse.inputs.replica).to.equal("arn:aws:kms:us-west-2:123456789012:key/mrk-9");
    });
  });

  describe("policies with unknown values", () => {
    it("match a bucket's companions by property dependency when the bucket's name is unknown, and never by two unknowns", () => {
      const set = dataBucketSet();
      const bucket = { ...set.bucket, outputs: { bucket: UNKNOWN, arn: UNKNOWN } };
      const versioning = { ...set.versioning, inputs: { ...set.versioning.inputs, bucket: UNKNOWN } };
      expect(refersTo(versioning, "bucket", bucket)).to.equal(true);
      expect(refersTo({ ...versioning, propertyDependencies: {} }, "bucket", bucket)).to.equal(false);
    });

    it("count a customer key computed from a resource as set (unknown at preview), and still refuse no key", () => {
      const set = dataBucketSet();
      const unknownKey = { ...set.encryption, inputs: { ...set.encryption.inputs, rules: [{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: UNKNOWN, sseAlgorithm: "aws:kms" } }] } };
      expect(messages("s3-encryption", stackOf(Object.values({ ...set, encryption: unknownKey })))).to.deep.equal([]);
      const noKey = { ...set.encryption, inputs: { ...set.encryption.inputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] } };
      expect(messages("s3-encryption", stackOf(Object.values({ ...set, encryption: noKey })))[0]).to.contain("not a customer managed key");
    });

    it("judge a launch template's IMDS setting, a literal, the same whatever else is unknown", () => {
      const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "web-lt", { metadataOptions: { httpTokens: "optional" }, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: UNKNOWN } }] });
      expect(messages("launch-template-imdsv2", stackOf([lt]))[0]).to.contain('set metadataOptions.httpTokens to "required"');
      expect(messages("launch-template-ebs-encrypted", stackOf([lt]))).to.deep.equal([]);
    });
  });
});
