/**
 * What every region builds, whatever its role: the provider pinned to the region and the regional
 * system. Role and strategy change sizes, never this code path.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalNetwork } from "../components/network";
import { StackConfig } from "./configSchema";

/** A provider pinned to one region, tagging everything it creates with the app and its DR role. */
export function regionalProvider(config: StackConfig, region: string): aws.Provider {
  return new aws.Provider(`aws-${region}`, {
    region,
    defaultTags: {
      tags: {
        app: config.appName,
        environment: config.environment,
        "dr:role": config.role,
        "dr:strategy": config.strategy,
        "dr:stack": pulumi.getStack(),
        "managed-by": "pulumi",
        ...config.tags,
      },
    },
  });
}

export interface Region {
  readonly provider: aws.Provider;
  readonly network: RegionalNetwork;
}

/** The AZs the stack spans: the first `azCount` that need no opt-in, as the region reports them. */
export async function chooseAvailabilityZones(config: StackConfig, provider: aws.Provider): Promise<string[]> {
  const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { provider });
  if (zones.names.length < config.azCount) {
    throw new Error(`dr:azCount is ${config.azCount} but ${config.region} offers this account ${zones.names.length} AZ(s) (${zones.names.join(", ")}); set dr:azCount to ${zones.names.length} or less`);
  }
  return zones.names.slice(0, config.azCount);
}

export async function buildRegion(config: StackConfig): Promise<Region> {
  const provider = regionalProvider(config, config.region);
  const availabilityZones = await chooseAvailabilityZones(config, provider);
  const network = new RegionalNetwork(`${config.appName}-network`, {
    region: config.region,
    cidr: config.vpcCidr,
    availabilityZones,
    natStrategy: config.natStrategy,
  }, { provider });
  return { provider, network };
}
