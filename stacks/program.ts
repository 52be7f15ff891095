import { loadStackConfig } from "./config";
import { primaryStack } from "./primary";
import { secondaryStack } from "./secondary";

/** The Pulumi program: builds the stack its `dr:role` names. Its return value is the stack's outputs. */
export async function program(): Promise<Record<string, unknown>> {
  const config = loadStackConfig();
  return config.role === "primary" ? primaryStack(config) : secondaryStack(config);
}
