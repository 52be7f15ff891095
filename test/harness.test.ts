import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { evaluateStack, EvaluationError } from "../src/engine/evaluate";
import { SECRET_PLACEHOLDER } from "../src/engine/recordingMonitor";
import { failureOf, oneOf, resourcesOf } from "./harness/stack";

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

  it("refuses a second resource with a URN already taken, as the engine does, naming the URN", async () => {
    let error: unknown;
    try {
      await evaluateStack({
        stack: "harness",
        config: {},
        program: async () => {
          // Two providers named for one region: the bug one provider per region per stack prevents.
          new aws.Provider("aws-us-east-1", { region: "us-east-1" });
          new aws.Provider("aws-us-east-1", { region: "us-east-1" });
        },
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(EvaluationError);
    const message = (error as Error).message;
    expect(message).to.contain("Duplicate resource URN");
    expect(message).to.contain("urn:pulumi:harness::dr-platform::pulumi:providers:aws::aws-us-east-1");
    // The first registration stands; the second was refused.
    expect((error as EvaluationError).resources.filter((r) => r.type === "pulumi:providers:aws")).to.have.length(1);
  });

  it("tells apart children of one name under parents of different types (their URNs differ), and refuses them under two parents of one type", async () => {
    const ok = await evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("east", { region: "us-east-1" });
        for (const type of ["test:index:A", "test:index:B"]) new aws.sns.Topic("alerts", {}, { parent: new pulumi.ComponentResource(type, type.split(":").pop()!, {}, { provider }) });
      },
    });
    expect(resourcesOf(ok, "aws:sns/topic:Topic")).to.have.length(2);
    // Parent NAMES are not part of a URN: the engine sees two children "alerts" of an A.
    const message = await failureOf(() => evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const provider = new aws.Provider("east", { region: "us-east-1" });
        for (const name of ["first", "second"]) new aws.sns.Topic("alerts", {}, { parent: new pulumi.ComponentResource("test:index:A", name, {}, { provider }) });
      },
    }));
    expect(message).to.contain("Duplicate resource URN 'urn:pulumi:harness::dr-platform::test:index:A$aws:sns/topic:Topic::alerts'");
  });

  it("records every invoke with the region of the provider it went through", async () => {
    const ev = await evaluateStack({
      stack: "harness",
      config: {},
      program: async () => {
        const west = new aws.Provider("west", { region: "us-west-2" });
        const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { provider: west });
        await aws.getCallerIdentity({}, { provider: new aws.Provider("east", { region: "us-east-1" }) });
        await aws.getRegion({}, { parent });
      },
    });
    expect(ev.invokes.map((i) => [i.token, i.region])).to.deep.equal([
      ["aws:index/getCallerIdentity:getCallerIdentity", "us-east-1"],
      ["aws:index/getRegion:getRegion", "us-west-2"],
    ]);
  });
});
