import { expect } from "chai";
import { planSubnets } from "../components/network/cidrPlan";
import { RegionalNetwork, validateNetworkArgs } from "../components/network/network";
import { Evaluation } from "../src/engine/evaluate";
import { failureOf, oneOf, parentOf, resourcesOf } from "./harness/stack";
import { evaluateStack } from "../src/engine/evaluate";
import { exampleDeployment } from "./harness/deployments";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";

describe("regional network, primary stack from Pulumi.primary.yaml", () => {
  let ev: Evaluation;
  let vpc: Evaluation["resources"][number];
  before(async () => {
    ev = (await exampleDeployment()).primary;
    vpc = oneOf(ev, "awsx:ec2:Vpc");
  });

  it("builds one awsx VPC with the configured CIDR inside a RegionalNetwork component", () => {
    expect(vpc.inputs.cidrBlock).to.equal("10.10.0.0/16");
    expect(parentOf(ev, vpc)?.type).to.equal("dr:network:RegionalNetwork");
  });

  it("spans three AZs of the configured region", () => {
    expect(vpc.inputs.availabilityZoneNames).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
  });

  it("has public, private and isolated subnets with one CIDR per AZ, as planned", () => {
    const specs = vpc.inputs.subnetSpecs as Array<{ type: string; cidrBlocks: string[] }>;
    expect(specs.map((s) => s.type).sort()).to.deep.equal(["Isolated", "Private", "Public"]);
    const plan = planSubnets("10.10.0.0/16", vpc.inputs.availabilityZoneNames as string[]);
    expect(specs.find((s) => s.type === "Isolated")!.cidrBlocks).to.deep.equal(plan.map((p) => p.isolated));
    expect(specs.find((s) => s.type === "Public")!.cidrBlocks).to.deep.equal(plan.map((p) => p.public));
  });

  it("puts a NAT gateway in every AZ on a primary", () => {
    expect(vpc.inputs.natGateways).to.deep.equal({ strategy: "OnePerAz" });
  });

  it("adds an S3 gateway endpoint for the region", () => {
    expect(vpc.inputs.vpcEndpointSpecs).to.deep.equal([{ serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" }]);
  });

  it("hands the VPC the region's provider explicitly, since remote components do not inherit one", () => {
    expect(vpc.providers.aws).to.match(/aws-us-east-1/);
    expect(vpc.region).to.equal("us-east-1");
  });

  it("logs all VPC traffic to a retained log group through a role scoped to that group", () => {
    const flowLog = oneOf(ev, "aws:ec2/flowLog:FlowLog");
    expect(flowLog.inputs.trafficType).to.equal("ALL");
    expect(flowLog.inputs.logDestinationType).to.equal("cloud-watch-logs");
    const group = oneOf(ev, "aws:cloudwatch/logGroup:LogGroup", /flow-logs/);
    expect(group.inputs.retentionInDays).to.be.a("number").and.at.least(30);
    const policy = JSON.parse(oneOf(ev, "aws:iam/rolePolicy:RolePolicy", /flow-logs/).inputs.policy as string);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).to.not.include("*");
    const trust = JSON.parse(oneOf(ev, "aws:iam/role:Role", /flow-logs/).inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Principal.Service).to.equal("vpc-flow-logs.amazonaws.com");
    expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.match(/^\d{12}$/);
  });

  it("grants every action AWS documents for flow logs to CloudWatch Logs, each scoped to this group or this region's groups", () => {
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html lists CreateLogGroup,
    // CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams; the group is created by
    // Pulumi, so CreateLogGroup is the one left out.
    const documented = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"];
    const statements = JSON.parse(oneOf(ev, "aws:iam/rolePolicy:RolePolicy", /flow-logs/).inputs.policy as string).Statement as Array<{ Action: string | string[]; Resource: string | string[] }>;
    const granted = statements.flatMap((st) => [st.Action].flat());
    expect(granted).to.have.members(documented);
    for (const st of statements) {
      const resources = [st.Resource].flat();
      const actions = [st.Action].flat();
      if (actions.includes("logs:DescribeLogGroups")) {
        // A list action: the narrowest it matches is this account's groups in this region.
        expect(actions).to.deep.equal(["logs:DescribeLogGroups"]);
        expect(resources).to.deep.equal([`arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:*`]);
      } else {
        for (const r of resources) expect(r.startsWith(`arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:`), r).to.equal(true);
        expect(resources.some((r) => r.endsWith(":*")), "the group's :* form, used for actions on its streams").to.equal(true);
        expect(resources.every((r) => !r.endsWith("log-group:*")), "no wildcard over every group").to.equal(true);
      }
    }
  });

  it("trusts only this account's flow logs in this region (aws:SourceAccount and aws:SourceArn, the documented confused-deputy keys)", () => {
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html: "the source account is
    // the owner of the flow log and the source ARN is the flow log ARN"; a wildcard stands for the id.
    const trust = JSON.parse(oneOf(ev, "aws:iam/role:Role", /flow-logs/).inputs.assumeRolePolicy as string);
    const condition = trust.Statement[0].Condition;
    expect(condition.StringEquals).to.deep.equal({ "aws:SourceAccount": MOCK_ACCOUNT_ID });
    expect(condition.ArnLike).to.deep.equal({ "aws:SourceArn": `arn:aws:ec2:us-east-1:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` });
  });

  it("tags everything through the provider with app, environment and DR role", () => {
    const provider = oneOf(ev, "pulumi:providers:aws", /^aws-us-east-1$/);
    // Providers receive structured settings as JSON text.
    const tags = (JSON.parse(provider.inputs.defaultTags as string) as { tags: Record<string, string> }).tags;
    expect(tags).to.include({ app: "orders", environment: "prod", "dr:role": "primary", team: "platform" });
  });

  it("registers no AWS resource with the default provider", () => {
    const orphans = ev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider);
    expect(orphans.map((r) => r.name)).to.deep.equal([]);
  });
});

describe("regional network component on its own", () => {
  let single: Evaluation;
  before(async () => {
    single = await evaluateStack({
      stack: "network",
      config: {},
      program: async () => {
        const aws = await import("@pulumi/aws");
        const provider = new aws.Provider("west", { region: "us-west-2" });
        new RegionalNetwork("standby", { region: "us-west-2", cidr: "10.20.0.0/20", availabilityZones: ["us-west-2a", "us-west-2b"], natStrategy: "single" }, { provider });
      },
    });
  });

  it("shares one NAT gateway when asked, and warns that it weakens the standby", () => {
    expect(oneOf(single, "awsx:ec2:Vpc").inputs.natGateways).to.deep.equal({ strategy: "Single" });
    expect(single.warnings.join("\n")).to.match(/one NAT gateway serves every AZ/);
  });

  it("plans subnets for the AZs given, keyed by their names", () => {
    expect(oneOf(single, "awsx:ec2:Vpc").inputs.availabilityZoneNames).to.deep.equal(["us-west-2a", "us-west-2b"]);
    expect(resourcesOf(single, "aws:ec2/flowLog:FlowLog")).to.have.length(1);
  });

  it("refuses to build without an AWS provider rather than use the ambient region", async () => {
    const message = await failureOf(() => evaluateStack({
      stack: "network",
      config: {},
      program: async () => {
        new RegionalNetwork("x", { region: "us-west-2", cidr: "10.20.0.0/20", availabilityZones: ["us-west-2a", "us-west-2b"] });
      },
    }));
    expect(message).to.match(/no AWS provider given/);
  });

  it("validates its arguments all at once, naming each", () => {
    expect(() => validateNetworkArgs({ region: "us-west-2", cidr: "10.0.0.0/26", availabilityZones: ["eu-west-1a"], flowLogRetentionDays: 0 }))
      .to.throw(/at least 2[\s\S]*eu-west-1a are not in region us-west-2[\s\S]*flowLogRetentionDays is 0[\s\S]*too small/);
  });
});
