import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { evaluateStack } from "../src/engine/evaluate";
import { SECRET_PLACEHOLDER } from "../src/engine/recordingMonitor";
import { failureOf, oneOf } from "./harness/stack";

describe("mock engine harness", () => {
  it("records each resource's inputs, parent and the region of its provider", async () => {
    const ev = await evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("west", { region: "us-west-2" });
        const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { provider });
        new aws.sns.Topic("topic", { displayName: "alerts" }, { parent });
      },
    });
    const topic = oneOf(ev, "aws:sns/topic:Topic");
    expect(topic.inputs.displayName).to.equal("alerts");
    expect(topic.region).to.equal("us-west-2");
    expect(topic.parent).to.equal(oneOf(ev, "test:index:Parent").urn);
    expect(oneOf(ev, "test:index:Parent").region).to.equal("us-west-2");
  });

  it("redacts secret inputs as they would be stored encrypted", async () => {
    const ev = await evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("east", { region: "us-east-1" });
        new aws.ssm.Parameter("p", { type: "SecureString", value: pulumi.secret("hunter2") }, { provider });
      },
    });
    expect(oneOf(ev, "aws:ssm/parameter:Parameter").inputs.value).to.equal(SECRET_PLACEHOLDER);
  });

  it("throws on an invoke the mock cloud does not know, naming its token", async () => {
    const message = await failureOf(() => evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("east", { region: "us-east-1" });
        await aws.ec2.getVpc({ default: true }, { provider });
      },
    }));
    expect(message).to.contain("aws:ec2/getVpc:getVpc");
  });

  it("answers availability zones for the provider's region", async () => {
    let names: string[] = [];
    await evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("west", { region: "us-west-1" });
        names = (await aws.getAvailabilityZones({}, { provider })).names;
      },
    });
    expect(names).to.deep.equal(["us-west-1a", "us-west-1b"]);
  });

  it("answers a stack reference with the given outputs and fails clearly for an unknown stack", async () => {
    let value: unknown;
    await evaluateStack({
      stack: "harness",
      config: {},
      stackReferences: { "org/proj/primary": { answer: 42 } },
      program: async () => {
        value = await new pulumi.StackReference("org/proj/primary").getOutputValue("answer");
      },
    });
    expect(value).to.equal(42);
    const message = await failureOf(() => evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        await new pulumi.StackReference("org/proj/other").getOutputValue("answer");
      },
    }));
    expect(message).to.contain("org/proj/other");
  });

  it("emulates awsx VPC outputs from its inputs, one subnet id per AZ and tier", async () => {
    const { emulateAwsxVpc } = await import("../src/engine/awsxVpc");
    const out = emulateAwsxVpc("v", {
      availabilityZoneNames: ["a", "b"],
      subnetSpecs: [{ type: "Public", cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }, { type: "Isolated", cidrBlocks: ["10.0.2.0/24", "10.0.3.0/24"] }],
    });
    expect(out.publicSubnetIds).to.have.length(2);
    expect(out.isolatedSubnetIds).to.have.length(2);
    expect(out.privateSubnetIds).to.deep.equal([]);
    expect(new Set([...(out.publicSubnetIds as string[]), ...(out.isolatedSubnetIds as string[])]).size).to.equal(4);
    expect(() => emulateAwsxVpc("v", { availabilityZoneNames: ["a", "b"], subnetSpecs: [{ type: "Public", cidrBlocks: ["10.0.0.0/24"] }] })).to.throw(/one CIDR block per AZ/);
  });
});
