/**
 * Evaluates the stacks of a plan under the mock engine in deploy order: the primary first, then
 * each secondary with the primary's outputs answering its stack reference (the secondary's
 * `dr:primaryStack` value is the name the reference uses, so it is the key the outputs go under).
 */
import { performance } from "perf_hooks";
import { evaluateStack, Evaluation } from "../engine/evaluate";
import { program } from "../../stacks/program";
import { StackEvaluationError } from "./errors";
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
  let primaryOutputs: Record<string, unknown> | undefined;
  for (const planned of stacks) {
    const ref = planned.config.role === "primary" ? undefined : planned.config.primaryStack;
    const stackReferences = ref && primaryOutputs ? { [ref]: primaryOutputs } : {};
    const start = performance.now();
    let evaluation: Evaluation;
    try {
      evaluation = await evaluateStack({ stack: planned.stack, config: planned.rawConfig, stackReferences, program });
    } catch (err) {
      throw new StackEvaluationError(planned.stack, err);
    }
    const done: EvaluatedStack = { planned, evaluation, stackReferences, seconds: (performance.now() - start) / 1000 };
    if (planned.config.role === "primary") primaryOutputs = evaluation.outputs;
    results.push(done);
    onEvaluated(done);
  }
  return results;
}
