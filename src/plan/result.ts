/** What one `plan` run produced: the document, where it was written, and the verdicts behind --strict. */
import type { PlanDocument } from "./document";
import type { EvaluatedStack } from "./evaluatePlan";
import type { PolicySection } from "./policies";
import type { RecoverySection } from "./recovery";

export interface PlanResult {
  readonly document: PlanDocument;
  readonly outDir: string;
  readonly evaluated: readonly EvaluatedStack[];
  readonly recovery: RecoverySection;
  /** The policy pack's outcome on every stack. */
  readonly policies: PolicySection;
  readonly seconds: number;
  /** Why --strict fails the run; empty when it passes (or was not asked for). */
  readonly strictFailures: readonly string[];
}
