import * as pulumi from "@pulumi/pulumi";
import { DrConfig, parseDrConfig } from "./configSchema";

/**
 * The stack's validated config. Reads every key of the stack's config (not only known ones) so a
 * misspelt key is reported instead of silently ignored; throws before any resource is registered.
 */
export function loadStackConfig(): DrConfig {
  return parseDrConfig(pulumi.runtime.allConfig(), `the config of stack "${pulumi.getStack()}" (Pulumi.${pulumi.getStack()}.yaml)`);
}
