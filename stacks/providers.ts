/**
 * The AWS providers of one stack: exactly one per region. The engine refuses two resources with
 * one URN, and a provider's URN is its type and name (`aws-<region>`), so a second
 * `new aws.Provider("aws-us-east-1")` stops `pulumi up` with "Duplicate resource URN". Every part
 * of a stack asks this registry instead of constructing providers.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What every resource a stack creates is tagged with, through its providers' default tags. */
export interface ProviderTags {
  readonly appName: string;
  readonly environment: string;
  /** The stack's role: primary, secondary or links. */
  readonly role: string;
  readonly strategy: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The tags themselves: app, environment and DR role first (the policy pack requires them), then the stack file's. */
export function stackTags(t: ProviderTags, stack: string = pulumi.getStack()): Record<string, string> {
  return {
    app: t.appName,
    environment: t.environment,
    "dr:role": t.role,
    "dr:strategy": t.strategy,
    "dr:stack": stack,
    "managed-by": "pulumi",
    ...t.tags,
  };
}

export class RegionalProviders {
  private readonly byRegion = new Map<string, aws.Provider>();

  constructor(private readonly tags: ProviderTags) {}

  /** The stack's provider for a region, created on first use and shared afterwards. */
  for(region: string): aws.Provider {
    const known = this.byRegion.get(region);
    if (known) return known;
    const provider = new aws.Provider(`aws-${region}`, { region, defaultTags: { tags: stackTags(this.tags) } });
    this.byRegion.set(region, provider);
    return provider;
  }

  /** The regions this stack holds a provider for, in the order first asked. */
  get regions(): string[] {
    return [...this.byRegion.keys()];
  }
}
