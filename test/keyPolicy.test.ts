/**
 * The regional key policy's Auto Scaling statements, against the EC2 Auto Scaling guide's required key
 * policy for encrypted volumes (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html):
 * the service-linked role uses the key directly (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*,
 * DescribeKey) and creates grants only for AWS resources (CreateGrant with kms:GrantIsForAWSResource).
 * Without them, instances with encrypted volumes fail to launch; mocks would accept any policy.
 */
import { expect } from "chai";
import { alarmTopicKeyPolicy, autoScalingServiceRoleArn, regionalKeyPolicy } from "../components/security/keyPolicy";

interface Statement { Sid: string; Principal: { AWS?: string; Service?: string }; Action: string | string[]; Condition?: Record<string, Record<string, string>> }
const ACCOUNT = "123456789012";
const statements = (policy: string) => (JSON.parse(policy) as { Statement: Statement[] }).Statement;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("regional key policy: Auto Scaling's service-linked role", () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  const forRole = statements(regionalKeyPolicy(ACCOUNT, "us-west-2")).filter((s) => s.Principal.AWS === role);

  it("names the account's AWSServiceRoleForAutoScaling, spelled as AWS spells it", () => {
    expect(autoScalingServiceRoleArn(ACCOUNT)).to.equal(role);
    expect(forRole).to.have.length(2);
  });

  it("allows the documented direct use of the key, kms:GenerateDataKey* among it, without a condition", () => {
    const use = forRole.find((s) => !actions(s).includes("kms:CreateGrant"))!;
    expect(actions(use)).to.have.members(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]);
    expect(use.Condition).to.equal(undefined);
  });

  it("allows kms:CreateGrant only for AWS resources (kms:GrantIsForAWSResource true), and nothing else in that statement", () => {
    const grant = forRole.find((s) => actions(s).includes("kms:CreateGrant"))!;
    expect(actions(grant)).to.deep.equal(["kms:CreateGrant"]);
    expect(grant.Condition).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });

  it("an alarm-topic key names no Auto Scaling role (it may not exist in a fresh account)", () => {
    expect(statements(alarmTopicKeyPolicy(ACCOUNT, "us-west-2")).filter((s) => s.Principal.AWS === role)).to.deep.equal([]);
  });
});
