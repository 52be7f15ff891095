/**
 * What the mock engine answers in place of AWS: resource outputs computed from inputs, and the few
 * data-source calls the program makes. Deterministic, so plans and tests compare run to run.
 * An invoke the program makes that is not listed here throws: a new data source must be mocked on
 * purpose, not answered with nothing.
 */
import { createHash } from "crypto";
import { MockCallArgs, MockResourceArgs, MockResourceResult, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { availabilityZoneNames } from "../../components/regions";
import { emulateAwsxVpc } from "./awsxVpc";

export const MOCK_ACCOUNT_ID = "123456789012";
/** Region of resources created without an explicit provider (there should be none). */
export const DEFAULT_PROVIDER_REGION = "(default provider)";

type Inputs = Record<string, any>;
type OutputSynth = (ctx: { name: string; physicalName: string; inputs: Inputs; region: string; id: string }) => Record<string, unknown>;

function shortHash(text: string, length = 7): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

const arn = (service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;

/** Regions of an ARC cluster's five endpoints, as the AWS samples show them. */
const ARC_ENDPOINT_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"];

/** Names IAM gives service-linked roles. https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html */
const SERVICE_LINKED_ROLE_NAMES: Record<string, string> = { "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling" };

/** Type-specific outputs, beyond the generic id/arn/name; keyed by type token. */
const OUTPUTS: Record<string, OutputSynth> = {
  "aws:kms/key:Key": ({ id, region }) => ({ keyId: id, arn: arn("kms", region, `key/${id}`) }),
  "aws:kms/replicaKey:ReplicaKey": ({ inputs, region }) => {
    const keyId = String(inputs.primaryKeyArn ?? "").split("/").pop() ?? "mrk-unknown";
    return { keyId, arn: arn("kms", region, `key/${keyId}`), id: keyId };
  },
  "aws:kms/alias:Alias": ({ inputs, region }) => ({ arn: arn("kms", region, String(inputs.name)) }),
  "aws:s3/bucket:Bucket": ({ physicalName, inputs, region }) => {
    const bucket = inputs.bucket ?? physicalName;
    return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`, region };
  },
  "aws:lb/loadBalancer:LoadBalancer": ({ physicalName, inputs, region, id }) => {
    const lbName = inputs.name ?? physicalName.slice(0, 32);
    const kind = inputs.loadBalancerType === "network" ? "net" : "app";
    const suffix = `${kind}/${lbName}/${id.slice(-16)}`;
    const scheme = inputs.internal ? "internal-" : "";
    return { name: lbName, arn: arn("elasticloadbalancing", region, `loadbalancer/${suffix}`), arnSuffix: suffix, dnsName: `${scheme}${lbName}-${shortHash(id, 10)}.${region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
  },
  "aws:lb/targetGroup:TargetGroup": ({ physicalName, inputs, region, id }) => {
    const tgName = inputs.name ?? physicalName.slice(0, 32);
    const suffix = `targetgroup/${tgName}/${id.slice(-16)}`;
    return { name: tgName, arn: arn("elasticloadbalancing", region, suffix), arnSuffix: suffix };
  },
  "aws:rds/globalCluster:GlobalCluster": ({ inputs, physicalName }) => {
    const gid = inputs.globalClusterIdentifier ?? physicalName;
    return { id: gid, globalClusterIdentifier: gid, arn: `arn:aws:rds::${MOCK_ACCOUNT_ID}:global-cluster:${gid}`, engineVersionActual: inputs.engineVersion };
  },
  "aws:rds/cluster:Cluster": ({ inputs, physicalName, region }) => {
    const cid = inputs.clusterIdentifier ?? physicalName;
    const host = `${cid}.cluster-${shortHash(region, 12)}.${region}.rds.amazonaws.com`;
    return { id: cid, clusterIdentifier: cid, arn: arn("rds", region, `cluster:${cid}`), endpoint: host, readerEndpoint: host.replace(".cluster-", ".cluster-ro-"), port: inputs.port, clusterResourceId: `cluster-${shortHash(cid, 26).toUpperCase()}` };
  },
  "aws:rds/clusterInstance:ClusterInstance": ({ inputs, physicalName, region }) => {
    const iid = inputs.identifier ?? physicalName;
    return { id: iid, identifier: iid, arn: arn("rds", region, `db:${iid}`) };
  },
  "aws:secretsmanager/secret:Secret": ({ physicalName, inputs, region }) => ({
    arn: arn("secretsmanager", region, `secret:${inputs.name ?? physicalName}-${shortHash(physicalName, 6)}`),
    replicas: (inputs.replicas ?? []).map((r: Inputs) => ({ ...r, status: "InSync" })),
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": ({ id }) => ({ latestVersion: 1, defaultVersion: 1, id }),
  "aws:autoscaling/group:Group": ({ inputs, physicalName, region }) => ({ name: inputs.name ?? physicalName, arn: arn("autoscaling", region, `autoScalingGroup:${shortHash(physicalName, 8)}:autoScalingGroupName/${inputs.name ?? physicalName}`) }),
  "aws:acm/certificate:Certificate": ({ inputs, region, id }) => ({
    arn: arn("acm", region, `certificate/${id}`),
    // ACM gives the same validation record for a name in every region: the reason for allowOverwrite.
    domainValidationOptions: [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map((d: string) => ({
      domainName: d,
      resourceRecordName: `_${shortHash(d, 32)}.${d}.`,
      resourceRecordType: "CNAME",
      resourceRecordValue: `_${shortHash(`${d}-value`, 32)}.acm-validations.aws.`,
    })),
  }),
  // Record names here are fully qualified; Route 53 reports the FQDN without the trailing dot.
  "aws:route53/record:Record": ({ inputs }) => ({ fqdn: String(inputs.name ?? "").replace(/\.$/, "") }),
  "aws:iam/role:Role": ({ inputs, physicalName }) => ({ name: inputs.name ?? physicalName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${inputs.name ?? physicalName}` }),
  // IAM names a service-linked role after its service and puts it under aws-service-role/<service>/.
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": ({ inputs }) => {
    const service = String(inputs.awsServiceName);
    const roleName = `${SERVICE_LINKED_ROLE_NAMES[service] ?? `AWSServiceRoleFor${service.split(".")[0]}`}${inputs.customSuffix ? `_${inputs.customSuffix}` : ""}`;
    return { name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/${service}/${roleName}`, path: `/aws-service-role/${service}/` };
  },
  "aws:iam/instanceProfile:InstanceProfile": ({ inputs, physicalName }) => ({ name: inputs.name ?? physicalName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${inputs.name ?? physicalName}` }),
  "aws:iam/policy:Policy": ({ inputs, physicalName }) => ({ arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${inputs.name ?? physicalName}` }),
  "aws:sns/topic:Topic": ({ inputs, physicalName, region }) => ({ arn: arn("sns", region, inputs.name ?? physicalName) }),
  "aws:cloudwatch/logGroup:LogGroup": ({ inputs, physicalName, region }) => ({ name: inputs.name ?? physicalName, arn: arn("logs", region, `log-group:${inputs.name ?? physicalName}`) }),
  "aws:lambda/function:Function": ({ inputs, physicalName, region }) => ({ name: inputs.name ?? physicalName, arn: arn("lambda", region, `function:${inputs.name ?? physicalName}`) }),
  // Region switch plan ARNs carry no region: arn:aws:arc-region-switch::account:plan/name:suffix.
  "aws:arcregionswitch/plan:Plan": ({ inputs, physicalName }) => ({ name: inputs.name ?? physicalName, arn: `arn:aws:arc-region-switch::${MOCK_ACCOUNT_ID}:plan/${inputs.name ?? physicalName}:${shortHash(physicalName, 6)}` }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ inputs, physicalName, region }) => ({ name: inputs.name ?? physicalName, arn: arn("cloudwatch", region, `alarm:${inputs.name ?? physicalName}`) }),
  "aws:ec2/amiCopy:AmiCopy": ({ id }) => ({ id }),
  "aws:backup/vault:Vault": ({ inputs, physicalName, region }) => ({ name: inputs.name ?? physicalName, arn: arn("backup", region, `backup-vault:${inputs.name ?? physicalName}`) }),
  "aws:backup/plan:Plan": ({ id, region }) => ({ arn: arn("backup", region, `backup-plan:${id}`), version: "1" }),
  // ARC is global: its ARNs carry no region; a cluster answers on five regional endpoints
  // (https://docs.aws.amazon.com/routing-control/latest/APIReference/Welcome.html).
  "aws:route53recoverycontrol/cluster:Cluster": ({ id }) => ({
    arn: `arn:aws:route53-recovery-control::${MOCK_ACCOUNT_ID}:cluster/${shortHash(id, 32)}`,
    status: "DEPLOYED",
    clusterEndpoints: ARC_ENDPOINT_REGIONS.map((r) => ({ endpoint: `https://host-${shortHash(`${id}/${r}`, 10)}.${r}.example.route53-recovery-cluster.amazonaws.com/v1`, region: r })),
  }),
  "aws:route53recoverycontrol/controlPanel:ControlPanel": ({ id }) => ({ arn: `arn:aws:route53-recovery-control::${MOCK_ACCOUNT_ID}:controlpanel/${shortHash(id, 32)}`, status: "DEPLOYED" }),
  "aws:route53recoverycontrol/routingControl:RoutingControl": ({ inputs, id }) => ({ arn: `${inputs.controlPanelArn}/routingcontrol/${shortHash(id, 16)}`, status: "DEPLOYED" }),
  "aws:route53recoverycontrol/safetyRule:SafetyRule": ({ inputs, id }) => ({ arn: `${inputs.controlPanelArn}/safetyrule/${shortHash(id, 12)}`, status: "DEPLOYED" }),
  "random:index/randomPassword:RandomPassword": ({ inputs, physicalName }) => ({ result: `mock-${shortHash(physicalName, Math.min(Number(inputs.length ?? 32), 60))}` }),
};

/** Ids in the shape AWS uses for a type, so code that parses them is exercised. */
const ID_PREFIXES: Record<string, string> = {
  "aws:ec2/securityGroup:SecurityGroup": "sg-",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
  "aws:ec2/amiCopy:AmiCopy": "ami-",
  "aws:ec2/flowLog:FlowLog": "fl-",
  "aws:kms/key:Key": "mrk-",
  "aws:route53/healthCheck:HealthCheck": "",
};

/** What a test may vary about the mock cloud. */
export interface MockCloudOptions {
  /**
   * Instance types an AZ does not offer, such as { instanceType: "m6i.large", availabilityZone: "us-west-2b" }.
   * Every other type asked for is offered in every AZ of the region. Default none.
   */
  readonly unavailableInstanceTypes?: ReadonlyArray<{ readonly instanceType: string; readonly availabilityZone: string }>;
}

/** The SDK reports a failed invoke or registration by the gRPC error's `details`; carry the message there too. */
export class MockCloudError extends Error {
  readonly details: string;
  constructor(message: string) {
    super(message);
    this.details = message;
  }
}

export class MockCloud implements Mocks {
  /** Provider id -> region, learned as `pulumi:providers:aws` resources register. */
  private readonly providerRegions = new Map<string, string>();
  private counter = 0;

  /** `stack` salts generated names and ids, so two stacks' resources never share a physical name. */
  constructor(
    private readonly stackReferences: Readonly<Record<string, Record<string, unknown>>> = {},
    private readonly stack = "stack",
    private readonly options: MockCloudOptions = {},
  ) {}

  /** The region a provider reference ("<urn>::<id>") stands for. */
  regionOf(providerRef: string | undefined): string {
    if (!providerRef) return DEFAULT_PROVIDER_REGION;
    return this.providerRegions.get(providerRef.split("::").pop() ?? "") ?? DEFAULT_PROVIDER_REGION;
  }

  newResource(args: MockResourceArgs): MockResourceResult {
    const { type, name, inputs } = args;
    if (type === "pulumi:pulumi:StackReference") return this.stackReference(inputs.name ?? name);
    if (type.startsWith("pulumi:providers:")) {
      const id = `${name}-provider-${++this.counter}`;
      if (typeof inputs.region === "string") this.providerRegions.set(id, inputs.region);
      return { id, state: inputs };
    }
    if (type === "awsx:ec2:Vpc") return { id: `${name}-id`, state: emulateAwsxVpc(`${this.stack}/${name}`, inputs) };
    const region = this.regionOf(args.provider);
    const physicalName = `${name}-${shortHash(`${this.stack}/${type}/${name}`)}`;
    const prefix = ID_PREFIXES[type];
    const id = prefix === "mrk-" ? `mrk-${shortHash(physicalName, 32)}` : prefix !== undefined ? `${prefix}${shortHash(physicalName, 17)}` : physicalName;
    const extra = OUTPUTS[type]?.({ name, physicalName, inputs, region, id }) ?? {};
    const state = { ...inputs, name: inputs.name ?? physicalName, arn: arn(type.split(":")[1]?.split("/")[0] ?? "unknown", region, physicalName), ...extra };
    return { id: typeof extra.id === "string" ? extra.id : id, state };
  }

  /** Offerings per AZ of the requested types, less the unavailable pairs; only the query the program makes. */
  private instanceTypeOfferings(region: string, inputs: Inputs): Record<string, unknown> {
    const types = (inputs.filters as Array<{ name: string; values: string[] }> | undefined)?.find((f) => f.name === "instance-type")?.values;
    if (inputs.locationType !== "availability-zone" || !types) {
      throw new MockCloudError(`the mock cloud answers getInstanceTypeOfferings only with locationType "availability-zone" and an instance-type filter (got ${JSON.stringify(inputs)})`);
    }
    const unavailable = new Set((this.options.unavailableInstanceTypes ?? []).map((u) => `${u.availabilityZone}/${u.instanceType}`));
    const pairs = availabilityZoneNames(region).flatMap((az) => types.map((t) => [az, t] as const)).filter(([az, t]) => !unavailable.has(`${az}/${t}`));
    return {
      instanceTypes: pairs.map(([, t]) => t),
      locations: pairs.map(([az]) => az),
      locationTypes: pairs.map(() => "availability-zone"),
      locationType: "availability-zone",
      filters: inputs.filters,
      id: region,
      region,
    };
  }

  private stackReference(stackName: string): MockResourceResult {
    const outputs = this.stackReferences[stackName];
    if (!outputs) {
      const known = Object.keys(this.stackReferences);
      throw new MockCloudError(`stack reference to "${stackName}" has no outputs in this evaluation (known: ${known.join(", ") || "none"}); evaluate the primary first`);
    }
    return { id: stackName, state: { name: stackName, outputs, secretOutputNames: [] } };
  }

  call(args: MockCallArgs): Record<string, unknown> {
    const region = this.regionOf(args.provider);
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const names = availabilityZoneNames(region);
        return { names, zoneIds: names.map((_name, i) => `${region.replace(/-/g, "").slice(0, 5)}-az${i + 1}`), state: "available", id: region };
      }
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`, userId: "AIDAMOCK", id: MOCK_ACCOUNT_ID };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
        return this.instanceTypeOfferings(region, args.inputs);
      case "aws:ec2/getAmi:getAmi":
        return { id: `ami-${shortHash(`${region}/${JSON.stringify(args.inputs)}`, 17)}`, architecture: "x86_64", rootDeviceName: "/dev/xvda" };
      default:
        throw new MockCloudError(`the mock cloud does not answer invoke "${args.token}"; add it to src/engine/mockCloud.ts on purpose`);
    }
  }
}
