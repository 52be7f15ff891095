import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The AWS provider a component was given through `opts.provider`/`providers`. Components never
 * fall back to the ambient default provider: a resource in the wrong region is a DR bug that no
 * test of one region would notice.
 */
export function requireAwsProvider(component: pulumi.ComponentResource, componentName: string): aws.Provider {
  const provider = component.getProvider("aws::");
  if (!provider) {
    throw new Error(`${componentName}: no AWS provider given; pass { provider } for the region this component belongs to (components never use the default provider)`);
  }
  return provider as aws.Provider;
}
