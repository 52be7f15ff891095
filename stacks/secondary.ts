import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "./configSchema";
import { readPrimaryExports } from "./contract";
import { buildRegion } from "./region";
import { pairProblems, sharedSettings } from "./stackSet";

/** A secondary region: validated against what the primary exports before anything is registered. */
export async function secondaryStack(config: StackConfig): Promise<Record<string, unknown>> {
  const primaryStackName = config.primaryStack!;
  const ref = new pulumi.StackReference(primaryStackName);
  const primary = await readPrimaryExports(ref, primaryStackName);
  const problems = pairProblems(primary.shared, primaryStackName, sharedSettings(config));
  if (problems.length) throw new ConfigError(`the config of stack "${pulumi.getStack()}" against primary "${primaryStackName}"`, problems);
  const region = await buildRegion(config);
  return {
    primaryRegion: primary.shared.region,
    vpcId: region.network.vpcId,
  };
}
