/**
 * The adapter for `plan` and tests: resources the mock engine recorded (src/engine/evaluate.ts)
 * become the views policies read. Structural types only, so the pack does not depend on the engine.
 */
import type { ResourceView } from "./model";

/** What the recorder keeps of a resource (RecordedResourceWithRegion satisfies it). */
export interface RecordedLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly region?: string;
  /** "<provider urn>::<id>" for custom resources. */
  readonly provider?: string;
  /** Providers handed to a remote component, by package. */
  readonly providers?: Readonly<Record<string, string>>;
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly custom: boolean;
}

const providerUrn = (ref: string | undefined) => ref?.split("::").slice(0, -1).join("::");

/** Views of one stack's recorded resources, each with its provider's inputs. */
export function viewsOfRecorded(resources: readonly RecordedLike[]): ResourceView[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent,
    inputs: r.inputs,
    outputs: r.outputs ?? {},
    region: r.region,
    providerInputs: byUrn.get(providerUrn(r.provider ?? r.providers?.aws) ?? "")?.inputs,
    propertyDependencies: r.propertyDependencies ?? {},
    custom: r.custom,
  }));
}
