/**
 * The adapter for Pulumi CrossGuard: a DrPolicy becomes a ResourceValidationPolicy or a
 * StackValidationPolicy, and CrossGuard's arguments become the views policies read. Type-only
 * imports of @pulumi/policy: only index.ts constructs the PolicyPack (which starts the analyzer).
 *
 * Two things make the pack decide at preview instead of being downgraded:
 * - CrossGuard hands policies properties wrapped in a proxy that throws on any unknown value, and
 *   turns that throw into an advisory "can't run policy ... during preview". The adapter reads the
 *   proxy's target instead and turns the engine's unknown sentinels into UNKNOWN, so a policy
 *   decides with what is known (companions by URN and property dependency, keys by dependency).
 * - Config: the CLI hands the pack the stack's config (PULUMI_CONFIG, as for a program), where
 *   dr:allowedRegions already is; a policy-config file overrides it, and a disagreement is reported.
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { DrPolicy, PolicyContext, ResourceView, StackView } from "./model";
import { appliesTo } from "./run";
import { providerDefaultTags, stackRoleFromProviders, str, UNKNOWN } from "./resources";

/**
 * Policy config (`pulumi preview --policy-pack policy --policy-pack-config <file>`, keyed by policy name:
 * https://www.pulumi.com/docs/using-pulumi/crossguard/configuration): the same list as dr:allowedRegions.
 */
export interface PackConfig {
  readonly allowedRegions?: readonly string[];
}

export const PACK_CONFIG_SCHEMA = { properties: { allowedRegions: { type: "array" as const, items: { type: "string" as const } } } };

/** The stack config key the residency policies read when no policy-config file is given. */
export const ALLOWED_REGIONS_KEY = "dr:allowedRegions";

/**
 * dr:allowedRegions from the stack config the CLI passes a policy pack (the PULUMI_CONFIG
 * environment variable: a JSON object of "namespace:key" to string, structured values as JSON
 * text). Undefined when the key is absent; a value that is not a list of region names is refused.
 */
export function allowedRegionsFromStackConfig(pulumiConfig: string | undefined): readonly string[] | undefined {
  if (!pulumiConfig) return undefined;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(pulumiConfig) as Record<string, unknown>;
  } catch {
    throw new Error(`PULUMI_CONFIG is not JSON (${pulumiConfig.slice(0, 80)}); the Pulumi CLI sets it to the stack's config, run the pack through \`pulumi preview --policy-pack policy\``);
  }
  const raw = config[ALLOWED_REGIONS_KEY];
  if (raw === undefined) return undefined;
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  if (!Array.isArray(value) || !value.every((x) => typeof x === "string" && x !== "")) {
    throw new Error(`stack config ${ALLOWED_REGIONS_KEY} is ${JSON.stringify(raw)}; set it to a list of region names, such as [us-east-1, us-west-2], in the stack file`);
  }
  return value as string[];
}

const stackAllowedRegions = allowedRegionsFromStackConfig(process.env.PULUMI_CONFIG);

/** CrossGuard's unknown sentinels (@pulumi/policy proxy.js: boolean, number, string, array, asset, archive, object). */
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421", "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
/** The property @pulumi/policy's unknown-checking proxy answers with its target. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** Plain data from CrossGuard properties: the proxy's target, walked, with unknowns as UNKNOWN. */
export function knownOrUnknown(value: unknown): unknown {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (!value || typeof value !== "object") return value;
  const target = ((value as Record<string, unknown>)[PROXY_TARGET] ?? value) as Record<string, unknown> | unknown[];
  if (Array.isArray(target)) return target.map(knownOrUnknown);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(target)) out[key] = knownOrUnknown(target[key]);
  return out;
}
const plainProps = (props: unknown): Record<string, unknown> => knownOrUnknown(props) as Record<string, unknown>;

/** Custom resource types carry a module path ("aws:s3/bucket:Bucket"); component types do not ("dr:storage:DataBucket"). */
const isCustomType = (type: string) => type.startsWith("pulumi:providers:") || (type.split(":")[1] ?? "").includes("/");

export function viewOfResourceArgs(args: Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props" | "opts" | "provider">): ResourceView {
  const inputs = plainProps(args.props);
  const providerInputs = args.provider ? plainProps(args.provider.props) : undefined;
  return {
    type: args.type, name: args.name, urn: args.urn, parent: args.opts.parent, inputs, outputs: {},
    region: str(inputs.region) ?? str(providerInputs?.region), providerInputs,
    propertyDependencies: {}, custom: isCustomType(args.type),
  };
}

export function viewOfPolicyResource(r: PolicyResource): ResourceView {
  const props = plainProps(r.props);
  const providerInputs = r.provider ? plainProps(r.provider.props) : undefined;
  return {
    type: r.type, name: r.name, urn: r.urn, parent: r.parent?.urn, inputs: props, outputs: props,
    region: str(props.region) ?? str(providerInputs?.region), providerInputs,
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

const fileConfigOf = (args: { getConfig<T extends object>(): T }): PackConfig => {
  try {
    return args.getConfig<PackConfig>();
  } catch {
    return {};
  }
};

/** What a policy knows of the regions data may live in: the file's list overrides the stack's. */
export function contextOf(fileConfig: PackConfig, fromStack: readonly string[] | undefined = stackAllowedRegions): PolicyContext {
  return { allowedRegions: fileConfig.allowedRegions ?? fromStack, allowedRegionsFromStack: fromStack };
}

/**
 * CrossGuard reports a violation at the policy's enforcement level unless the report names another
 * (@pulumi/policy server.js, makeReportViolationFun, takes an object with enforcementLevel); its
 * ReportViolation type only declares the string form.
 */
function reporter(report: (message: string, urn?: string) => void): (message: string, urn?: string, advisory?: boolean) => void {
  return (message, urn, advisory) => {
    if (!advisory) return report(message, urn);
    (report as unknown as (v: { message: string; urn?: string; enforcementLevel: "advisory" }) => void)({ message, urn, enforcementLevel: "advisory" });
  };
}

export function toCrossGuard(policy: DrPolicy): ResourceValidationPolicy | StackValidationPolicy {
  const base = { name: policy.name, description: `[${policy.pillar}] ${policy.description}`, enforcementLevel: policy.enforcement, tags: [policy.pillar], configSchema: PACK_CONFIG_SCHEMA };
  if (policy.kind === "stack") {
    return {
      ...base,
      validateStack: (args: StackValidationArgs, report) => {
        const stack = stackViewOf(args.resources.map(viewOfPolicyResource));
        policy.validate(stack, { ...contextOf(fileConfigOf(args)), stack }, reporter(report));
      },
    };
  }
  return {
    ...base,
    validateResource: (args: ResourceValidationArgs, report) => {
      const view = viewOfResourceArgs(args);
      if (!appliesTo(policy, view)) return;
      policy.validate(view, contextOf(fileConfigOf(args)), reporter(report));
    },
  };
}
