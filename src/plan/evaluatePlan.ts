/**
 * Evaluates the stacks of a plan under the mock engine in deploy order: the primary first, then
 * each secondary with the primary's outputs answering its stack reference (the secondary's
 * `dr:primaryStack` value is the name the reference uses, so it is the key the outputs go under),
 * then the links stack with the primary's and every secondary's outputs answering its references.
 */
import { performance } from "perf_hooks";
import { evaluateStack, Evaluation } from "../engine/evaluate";
import { program } from "../../stacks/program";
import { StackEvaluationError } from "./errors";
import { isLinksConfig } from "../../stacks/configSchema";
import { referencesStack } from "../../stacks/stackSet";
import { PlannedStack } from "./stackSet";

export interface EvaluatedStack {
  readonly planned: PlannedStack;
  readonly evaluation: Evaluation;
  /** Outputs of other stacks the evaluation was given, by stack-reference name. */
  readonly stackReferences: Readonly<Record<string, Record<string, unknown>>>;
  readonly seconds: number;
}

export type ProgressListener = (done: EvaluatedStack) => void;

/** Evaluates every stack; the first failure stops the plan with the stack's name and cause. */
export async function evaluatePlan(stacks: readonly PlannedStack[], onEvaluated: ProgressListener = () => undefined): Promise<EvaluatedStack[]> {
  const results: EvaluatedStack[] = [];
  for (const planned of stacks) {
    const stackReferences = referencesAnswered(planned, results);
    const start = performance.now();
    let evaluation: Evaluation;
    try {
      evaluation = await evaluateStack({ stack: planned.stack, config: planned.rawConfig, stackReferences, program });
    } catch (err) {
      throw new StackEvaluationError(planned.stack, err);
    }
    const done: EvaluatedStack = { planned, evaluation, stackReferences, seconds: (performance.now() - start) / 1000 };
    results.push(done);
    onEvaluated(done);
  }
  return results;
}

/** The outputs of the stacks evaluated so far, under each stack-reference name this stack uses. */
function referencesAnswered(planned: PlannedStack, done: readonly EvaluatedStack[]): Record<string, Record<string, unknown>> {
  const c = planned.config;
  const names = isLinksConfig(c) ? [c.primaryStack, ...c.secondaryStacks] : c.primaryStack ? [c.primaryStack] : [];
  const answered: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const source = done.find((d) => referencesStack(name, d.planned.stack));
    if (source) answered[name] = source.evaluation.outputs;
  }
  return answered;
}
