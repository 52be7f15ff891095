/**
 * The adapter for Pulumi CrossGuard: a DrPolicy becomes a ResourceValidationPolicy or a
 * StackValidationPolicy, and CrossGuard's arguments become the views policies read. Type-only
 * imports of @pulumi/policy: only index.ts constructs the PolicyPack (which starts the analyzer).
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { DrPolicy, PolicyContext, ResourceView, StackView } from "./model";
import { appliesTo } from "./run";
import { providerDefaultTags, stackRoleFromProviders, str } from "./resources";

/**
 * Policy config (`pulumi preview --policy-pack policy --policy-pack-config <file>`, keyed by policy name:
 * https://www.pulumi.com/docs/using-pulumi/crossguard/configuration): the same list as dr:allowedRegions.
 */
export interface PackConfig {
  readonly allowedRegions?: readonly string[];
}

export const PACK_CONFIG_SCHEMA = { properties: { allowedRegions: { type: "array" as const, items: { type: "string" as const } } } };

/** Custom resource types carry a module path ("aws:s3/bucket:Bucket"); component types do not ("dr:storage:DataBucket"). */
const isCustomType = (type: string) => type.startsWith("pulumi:providers:") || (type.split(":")[1] ?? "").includes("/");

export function viewOfResourceArgs(args: Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props" | "opts" | "provider">): ResourceView {
  return {
    type: args.type, name: args.name, urn: args.urn, parent: args.opts.parent, inputs: args.props, outputs: {},
    region: str(args.props.region) ?? str(args.provider?.props.region), providerInputs: args.provider?.props,
    propertyDependencies: {}, custom: isCustomType(args.type),
  };
}

export function viewOfPolicyResource(r: PolicyResource): ResourceView {
  return {
    type: r.type, name: r.name, urn: r.urn, parent: r.parent?.urn, inputs: r.props, outputs: r.props,
    region: str(r.props.region) ?? str(r.provider?.props.region), providerInputs: r.provider?.props,
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, deps]) => [k, deps.map((d) => d.urn)])),
    custom: isCustomType(r.type),
  };
}

/** The stack as CrossGuard shows it: one stack, its role from the providers' default tags, its region the most common one. */
export function stackViewOf(resources: readonly ResourceView[]): StackView {
  const counts = new Map<string, number>();
  for (const r of resources) if (r.custom && r.region) counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
  const region = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const role = stackRoleFromProviders(resources) ?? resources.map((r) => providerDefaultTags(r.providerInputs)["dr:role"]).find((x) => x);
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.name ?? "(stack)";
  return { stack, role, region, resources };
}

const configOf = (args: { getConfig<T extends object>(): T }): PackConfig => {
  try {
    return args.getConfig<PackConfig>();
  } catch {
    return {};
  }
};

export function toCrossGuard(policy: DrPolicy): ResourceValidationPolicy | StackValidationPolicy {
  const base = { name: policy.name, description: `[${policy.pillar}] ${policy.description}`, enforcementLevel: policy.enforcement, tags: [policy.pillar], configSchema: PACK_CONFIG_SCHEMA };
  if (policy.kind === "stack") {
    return {
      ...base,
      validateStack: (args: StackValidationArgs, report) => {
        const stack = stackViewOf(args.resources.map(viewOfPolicyResource));
        policy.validate(stack, { allowedRegions: configOf(args).allowedRegions }, report);
      },
    };
  }
  return {
    ...base,
    validateResource: (args: ResourceValidationArgs, report) => {
      const view = viewOfResourceArgs(args);
      if (!appliesTo(policy, view)) return;
      const context: PolicyContext = { allowedRegions: configOf(args).allowedRegions };
      policy.validate(view, context, (message) => report(message));
    },
  };
}
