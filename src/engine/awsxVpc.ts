/**
 * awsx's VPC is a remote component: under mocks it registers itself and nothing else, and its
 * outputs are whatever the mock returns. This computes them from its inputs the way awsx would,
 * so code downstream (subnet ids per tier per AZ) is exercised with consistent values.
 */
import { createHash } from "crypto";

interface SubnetSpec {
  type: string;
  cidrBlocks?: string[];
}

const subnetId = (vpcName: string, cidr: string) => `subnet-${createHash("sha256").update(`${vpcName}/${cidr}`).digest("hex").slice(0, 17)}`;

export function emulateAwsxVpc(name: string, inputs: Record<string, any>): Record<string, unknown> {
  const azs: string[] = inputs.availabilityZoneNames ?? [];
  const specs: SubnetSpec[] = inputs.subnetSpecs ?? [];
  const idsOf = (type: string) => {
    const spec = specs.find((s) => s.type === type);
    if (!spec) return [];
    if (!spec.cidrBlocks || spec.cidrBlocks.length !== azs.length)
      throw new Error(`awsx:ec2:Vpc ${name}: subnet spec ${type} needs one CIDR block per AZ (${azs.length}), as awsx requires`);
    return spec.cidrBlocks.map((cidr) => subnetId(name, cidr));
  };
  const vpcId = `vpc-${createHash("sha256").update(name).digest("hex").slice(0, 17)}`;
  const natCount = inputs.natGateways?.strategy === "Single" ? 1 : inputs.natGateways?.strategy === "None" ? 0 : azs.length;
  return {
    vpcId,
    publicSubnetIds: idsOf("Public"),
    privateSubnetIds: idsOf("Private"),
    isolatedSubnetIds: idsOf("Isolated"),
    natGatewayCount: natCount,
    subnetLayout: specs.map((s) => ({ type: s.type, cidrBlocks: s.cidrBlocks })),
  };
}
