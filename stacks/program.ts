import { loadStackConfig } from "./config";
import { isLinksConfig } from "./configSchema";
import { linksStack } from "./links";
import { primaryStack } from "./primary";
import { secondaryStack } from "./secondary";

/** The Pulumi program: builds the stack its `dr:role` names. Its return value is the stack's outputs. */
export async function program(): Promise<Record<string, unknown>> {
  const config = loadStackConfig();
  if (isLinksConfig(config)) return linksStack(config);
  return config.role === "primary" ? primaryStack(config) : secondaryStack(config);
}
