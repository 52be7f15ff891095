/**
 * Plan documents for diagram tests, synthesized from one evaluated plan instead of evaluating more
 * stacks: more secondary regions (clones of a secondary).
 */
import type { PlanDocument } from "../../src/plan/document";

/** Regions for synthesized secondaries, none of them the example's. */
export const EXTRA_REGIONS = ["eu-west-1", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1", "us-east-2", "ap-south-1"];

const swap = <T>(value: T, from: string, to: string, stackFrom: string, stackTo: string): T =>
  JSON.parse(JSON.stringify(value).split(`urn:pulumi:${stackFrom}::`).join(`urn:pulumi:${stackTo}::`).split(from).join(to)
    .split(`"stack":"${stackFrom}"`).join(`"stack":"${stackTo}"`)) as T;

/**
 * The document with `count` more secondaries: each a copy of `template`'s stack, resources and
 * links (including the primary's links into its region) moved to the next region of EXTRA_REGIONS.
 */
export function withMoreSecondaries(doc: PlanDocument, template: string, count: number): PlanDocument {
  const stack = doc.stacks.find((s) => s.stack === template);
  if (!stack) throw new Error(`no stack ${template} in the plan document`);
  const region = stack.region;
  const clones = EXTRA_REGIONS.slice(0, count).map((to, i) => {
    const name = `${template}${i + 2}`;
    return {
      stack: swap(stack, region, to, template, name),
      // Everything in the template's region, also what other stacks put there (the primary's replica key).
      resources: doc.resources.filter((r) => r.stack === template || r.region === region).map((r) => swap(r, region, to, template, name)),
      links: doc.links.filter((l) => l.from.region === region || l.to.region === region).map((l) => swap(l, region, to, template, name)),
    };
  });
  return {
    ...doc,
    stacks: [...doc.stacks, ...clones.map((c) => c.stack)],
    resources: [...doc.resources, ...clones.flatMap((c) => c.resources)],
    links: [...doc.links, ...clones.flatMap((c) => c.links)],
  };
}
