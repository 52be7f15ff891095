/**
 * Names Pulumi generates: a resource given no name gets its URN name plus "-" and 7 random
 * characters, and the provider refuses the whole preview ("name '...' plus 7 random chars is longer
 * than maximum length N") when that passes the AWS limit. The example deploys dr:appName "orders";
 * every name that starts with it must also fit with the longest dr:appName the config accepts.
 */
import { expect } from "chai";
import { parseStackConfig } from "../stacks/configSchema";
import { deploymentFor, exampleDeployment } from "./harness/deployments";
import { givenStackFile } from "./harness/stack";

/** Pulumi's autoname suffix: "-" plus 7 random characters. */
const SUFFIX = 8;
/**
 * AWS name limits of auto-named types: IAM role 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
 * S3 bucket 63, target group and load balancer 32 (the provider's own autoname limits).
 */
const MAX_NAME: Record<string, number> = {
  "aws:iam/role:Role": 64,
  "aws:s3/bucket:Bucket": 63,
  "aws:lb/targetGroup:TargetGroup": 32,
  "aws:lb/loadBalancer:LoadBalancer": 32,
};
const LONGEST_APP_NAME = "a".repeat(16);

describe("auto-generated resource names fit AWS's limits with the longest dr:appName", function () {
  this.timeout(120_000);

  it("the config accepts a 16-character dr:appName and refuses a 17-character one (the bound the names below are checked at)", () => {
    const parse = (appName: string) => () => parseStackConfig(givenStackFile("primary", { "dr:appName": appName }), "Pulumi.primary.yaml");
    expect(parse(LONGEST_APP_NAME)).to.not.throw();
    expect(parse(`${LONGEST_APP_NAME}a`)).to.throw(/dr:appName/);
  });

  it("every auto-named IAM role, bucket, target group and load balancer of the example and of pilot light", async () => {
    const app = givenStackFile("primary")["dr:appName"];
    const deployments = [await exampleDeployment(), await deploymentFor("pilot-light")];
    const named = deployments.flatMap((d) => [d.primary, d.secondary, d.links]).flatMap((ev) => ev.resources)
      .filter((r) => r.type in MAX_NAME && r.inputs.name === undefined && r.inputs.bucket === undefined && r.inputs.namePrefix === undefined && r.inputs.bucketPrefix === undefined);
    expect(named.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name)).to.include("orders-recovery-reestablish-secret-replica");
    for (const r of named) {
      const longest = (r.name.startsWith(`${app}-`) ? LONGEST_APP_NAME + r.name.slice(app.length) : r.name).length + SUFFIX;
      expect(longest, `${r.type} ${r.name}: with a 16-character dr:appName its generated name is ${longest} characters`).to.be.at.most(MAX_NAME[r.type]);
    }
  });
});
