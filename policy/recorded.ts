/**
 * The adapter for `plan` and tests: resources the mock engine recorded (src/engine/evaluate.ts)
 * become what the Pulumi CLI hands the pack, in either of two modes, and the views policies read.
 * - update: every value known, outputs as the mock cloud answered them.
 * - preview: the first preview of new stacks. Nothing exists yet, so every id, ARN and other
 *   output a resource gets from the cloud is unknown, and so is every input value computed from
 *   one (found through the input's property dependencies). Inputs set from config, literals, data
 *   sources and stack references stay known, as they are in a real preview.
 * Structural types only, so the pack does not depend on the engine.
 */
import type { ResourceView } from "./model";
import { UNKNOWN } from "./resources";

/** What the recorder keeps of a resource (RecordedResourceWithRegion satisfies it). */
export interface RecordedLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** The cloud's id of a custom resource, when known. */
  readonly id?: string;
  readonly region?: string;
  /** "<provider urn>::<id>" for custom resources. */
  readonly provider?: string;
  /** Providers handed to a remote component, by package. */
  readonly providers?: Readonly<Record<string, string>>;
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly dependsOn?: readonly string[];
  /** True for resources read rather than created (stack references): their values are known at preview. */
  readonly read?: boolean;
  readonly custom: boolean;
}

export type AnalysisMode = "preview" | "update";

const providerUrn = (ref: string | undefined) => ref?.split("::").slice(0, -1).join("::");

/** Views of one stack's recorded resources, each with its provider's inputs, as the analyzer would see them in `mode`. */
export function viewsOfRecorded(resources: readonly RecordedLike[], mode: AnalysisMode = "update"): ResourceView[] {
  const seen = mode === "preview" ? asFirstPreview(resources) : resources;
  const byUrn = new Map(seen.map((r) => [r.urn, r]));
  return seen.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent,
    inputs: r.inputs,
    // The id too, when known: records and calculated checks name a health check by it.
    outputs: r.id && r.outputs?.id === undefined ? { id: r.id, ...r.outputs } : r.outputs ?? {},
    region: r.region,
    providerInputs: byUrn.get(providerUrn(r.provider ?? r.providers?.aws) ?? "")?.inputs,
    propertyDependencies: r.propertyDependencies ?? {},
    custom: r.custom,
  }));
}

/** Every string inside a value (lists and objects walked). */
const leaves = (v: unknown): string[] =>
  typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(leaves) : v && typeof v === "object" ? Object.values(v).flatMap(leaves) : [];

/** Region names, placeholders the recorder writes, and values too short to tell apart from literals are never taken for computed. */
const isComputedCandidate = (v: string): boolean => v.length >= 6 && v !== UNKNOWN && v !== "[secret]" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(v);

/**
 * The values a resource gets from the cloud: its id and every string of its outputs that is not one
 * of its inputs (a remote component such as awsx's VPC too: its subnet ids). Providers and stack
 * references have none (their values are known at preview).
 */
function computedValues(r: RecordedLike): string[] {
  if (r.read || r.type.startsWith("pulumi:providers:")) return [];
  const inputs = new Set(leaves(r.inputs));
  return [...new Set([...(r.id ? [r.id] : []), ...leaves(r.outputs ?? {})])].filter((v) => isComputedCandidate(v) && !inputs.has(v));
}

/** Every string leaf holding one of `unknowns` becomes UNKNOWN (an interpolated ARN is unknown as a whole). */
function blank(value: unknown, unknowns: readonly string[]): unknown {
  if (typeof value === "string") return unknowns.some((u) => value.includes(u)) ? UNKNOWN : value;
  if (Array.isArray(value)) return value.map((v) => blank(v, unknowns));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v, unknowns)]));
  return value;
}

/**
 * Policy documents given as objects: the provider makes them JSON text (TransformJSONDocument,
 * https://github.com/pulumi/pulumi-terraform-bridge/issues/339), unknown as a whole while any value
 * in them is, so the state a preview shows has them unknown.
 */
function jsonDocuments(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["policy", "assumeRolePolicy"]) {
    const v = inputs[key];
    if (v && typeof v === "object" && JSON.stringify(v).includes(JSON.stringify(UNKNOWN))) out[key] = UNKNOWN;
  }
  return out;
}

/**
 * The stack as the first preview shows it (see the header): inputs computed from another resource
 * unknown, outputs the inputs plus every cloud-assigned value unknown, no ids.
 */
export function asFirstPreview(resources: readonly RecordedLike[]): RecordedLike[] {
  const children = new Map<string, RecordedLike[]>();
  for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  // A dependency on a component is a dependency on everything inside it.
  const unknownsOf = (urn: string, depth = 0): string[] => {
    const r = byUrn.get(urn);
    if (!r || depth > 20) return [];
    return [...computedValues(r), ...(r.custom ? [] : (children.get(urn) ?? []).flatMap((c) => unknownsOf(c.urn, depth + 1)))];
  };
  return resources.map((r) => {
    const inputs = Object.fromEntries(Object.entries(r.inputs).map(([key, value]) => {
      const unknowns = (r.propertyDependencies?.[key] ?? []).flatMap((d) => unknownsOf(d));
      return [key, unknowns.length ? blank(value, unknowns) : value];
    }));
    const computed = computedValues(r);
    const outputs = r.outputs ? { ...(blank(r.outputs, computed) as Record<string, unknown>), ...inputs, ...jsonDocuments(inputs) } : undefined;
    return { ...r, inputs, outputs, id: undefined };
  });
}
