/**
 * Whole deployments (primary, secondary and links evaluated in deploy order), each evaluated once
 * per mocha process and shared by every test file that asks: the mock engine costs about a second
 * per stack, so the suite pays for each configuration once, not once per file.
 */
import type { DrStrategy } from "../../stacks/configSchema";
import type { Evaluation } from "../../src/engine/evaluate";
import { examplePlan } from "./examplePlan";
import { givenStackFile, whenAllEvaluated } from "./stack";

export interface Deployment {
  readonly primary: Evaluation;
  readonly secondary: Evaluation;
  readonly links: Evaluation;
}

/** The strategy whose deployment also switches the active region to the secondary, so one evaluation covers both. */
export const SWITCHED_OVER_STRATEGY: DrStrategy = "backup-restore";

/** Routing controls on ARC instead of CloudWatch switches: the configuration arcDeployment() evaluates. */
export const ARC_SWITCH = { "dr:regionSwitch": { mechanism: "arc-routing-control" } } as const;
/** Recovery started by a person who approves the database cut-over: what personApprovalDeployment() evaluates. */
export const PERSON_APPROVAL = { "dr:recovery": { mode: "person", approval: true } } as const;

let example: Promise<Deployment> | undefined;
let arc: Promise<Deployment> | undefined;
let personApproval: Promise<Deployment> | undefined;
const byStrategy = new Map<DrStrategy, Promise<Deployment>>();

/** The example configuration (its stack files in test/fixtures/example), as `plan` evaluated it. */
export function exampleDeployment(): Promise<Deployment> {
  example ??= examplePlan().then(({ evaluated }) => {
    const of = (stack: string) => evaluated.find((e) => e.planned.stack === stack)!.evaluation;
    return { primary: of("primary"), secondary: of("secondary"), links: of("links") };
  });
  return example;
}

/**
 * The example files with every stack on `strategy`; the example's own strategy is the example. A
 * serving secondary needs per-AZ NAT, so the secondary gets it; SWITCHED_OVER_STRATEGY's stacks
 * also name the secondary's region as dr:activeRegion.
 */
export function deploymentFor(strategy: DrStrategy): Promise<Deployment> {
  if (strategy === givenStackFile("primary")["dr:strategy"]) return exampleDeployment();
  let found = byStrategy.get(strategy);
  if (!found) {
    const active = strategy === SWITCHED_OVER_STRATEGY ? { "dr:activeRegion": givenStackFile("secondary")["aws:region"] } : {};
    const common = { "dr:strategy": strategy, ...active };
    found = whenAllEvaluated(
      givenStackFile("primary", common),
      givenStackFile("secondary", { ...common, "dr:natStrategy": "per-az" }),
      givenStackFile("links", active),
    );
    byStrategy.set(strategy, found);
  }
  return found;
}

/** The example with ARC routing controls as every region's switch (primary and secondary files). */
export function arcDeployment(): Promise<Deployment> {
  arc ??= whenAllEvaluated(givenStackFile("primary", ARC_SWITCH), givenStackFile("secondary", ARC_SWITCH), givenStackFile("links"));
  return arc;
}

/** The example started by a person, with a ManualApproval before the database step. */
export function personApprovalDeployment(): Promise<Deployment> {
  personApproval ??= whenAllEvaluated(givenStackFile("primary", PERSON_APPROVAL), givenStackFile("secondary", PERSON_APPROVAL), givenStackFile("links"));
  return personApproval;
}
