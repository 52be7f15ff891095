/**
 * Test helpers that read like GIVEN config / WHEN the stack is evaluated / THEN these resources.
 * Evaluate a stack once per test file (in `before`) and assert many things on the result.
 */
import { evaluateStack, Evaluation, RecordedResourceWithRegion } from "../../src/engine/evaluate";
import { MockCloudOptions } from "../../src/engine/mockCloud";
import { readStackConfig } from "../../src/engine/stackFiles";
import { program } from "../../stacks/program";
import { EXAMPLE_DIR } from "./paths";

export { EXAMPLE_DIR, PROJECT_DIR } from "./paths";
export const PRIMARY_STACK_REF = "organization/dr-platform/primary";
export const SECONDARY_STACK_REF = "organization/dr-platform/secondary";

/** GIVEN: the config of one of the example's stack files (test/fixtures/example), with overrides ("dr:key" -> value; objects are JSON-encoded, undefined deletes). */
export function givenStackFile(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  return withOverrides(readStackConfig(EXAMPLE_DIR, stack), overrides);
}

export function withOverrides(config: Record<string, string>, overrides: Record<string, unknown>): Record<string, string> {
  const out = { ...config };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/** WHEN: the real program is evaluated under the mock engine. */
export function whenEvaluated(stack: string, config: Record<string, string>, stackReferences: Record<string, Record<string, unknown>> = {}, cloud?: MockCloudOptions): Promise<Evaluation> {
  return evaluateStack({ stack, config, stackReferences, program, cloud });
}

/** Evaluates the primary and then the secondary, the primary's outputs answering the secondary's stack reference. */
export async function whenBothEvaluated(primaryConfig = givenStackFile("primary"), secondaryConfig = givenStackFile("secondary"), cloud?: MockCloudOptions): Promise<{ primary: Evaluation; secondary: Evaluation }> {
  const primary = await whenEvaluated("primary", primaryConfig, {}, cloud);
  const secondary = await whenEvaluated("secondary", secondaryConfig, { [PRIMARY_STACK_REF]: primary.outputs }, cloud);
  return { primary, secondary };
}

/**
 * Evaluates the whole deployment in deploy order: the primary, the secondary (the primary's
 * outputs answering its reference), then the links stack (both stacks' outputs answering its references).
 */
export async function whenAllEvaluated(primaryConfig = givenStackFile("primary"), secondaryConfig = givenStackFile("secondary"), linksConfig = givenStackFile("links")): Promise<{ primary: Evaluation; secondary: Evaluation; links: Evaluation }> {
  const { primary, secondary } = await whenBothEvaluated(primaryConfig, secondaryConfig);
  const links = await whenEvaluated("links", linksConfig, { [PRIMARY_STACK_REF]: primary.outputs, [SECONDARY_STACK_REF]: secondary.outputs });
  return { primary, secondary, links };
}

/** THEN: the resources of a type (optionally filtered by logical-name pattern). */
export function resourcesOf(ev: Evaluation, type: string, name?: RegExp): RecordedResourceWithRegion[] {
  return ev.resources.filter((r) => r.type === type && (!name || name.test(r.name)));
}

/** THEN: exactly one resource of a type; fails listing what was found otherwise. */
export function oneOf(ev: Evaluation, type: string, name?: RegExp): RecordedResourceWithRegion {
  const found = resourcesOf(ev, type, name);
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` matching ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  return found[0];
}

/** The component or resource that is a resource's parent. */
export function parentOf(ev: Evaluation, r: RecordedResourceWithRegion): RecordedResourceWithRegion | undefined {
  return ev.resources.find((p) => p.urn === r.parent);
}

/** Runs an evaluation expected to fail and returns its error message. */
export async function failureOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the evaluation to fail, but it succeeded");
}
