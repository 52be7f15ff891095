import { StackConfig } from "./configSchema";
import { PrimaryStackOutputs } from "./contract";
import { buildRegion } from "./region";
import { sharedSettings } from "./stackSet";

/** The primary region: its regional system plus the cross-region links it owns (DESIGN.md). */
export async function primaryStack(config: StackConfig): Promise<PrimaryStackOutputs & Record<string, unknown>> {
  const region = await buildRegion(config);
  return {
    shared: sharedSettings(config),
    vpcId: region.network.vpcId,
  };
}
