/**
 * Which failures are the user's to fix (bad config, a missing stack file, a program that rejects
 * its inputs) and which are bugs. The CLI prints the former as a plain message without a stack
 * trace; only an unexpected error deserves one, and only when asked for (DR_DEBUG=1).
 */
import { EvaluationError } from "../engine/evaluate";
import { StackFileError } from "../engine/stackFiles";
import { ConfigError } from "../../stacks/configSchema";

/** A problem with the plan's inputs (stack files, the stack set, the output folder). */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanInputError";
  }
}

/** A stack's program failed under the mock engine; names the stack and keeps the cause. */
export class StackEvaluationError extends Error {
  constructor(readonly stack: string, readonly cause: unknown) {
    super(`stack "${stack}" failed to evaluate:\n${indent(messageOf(cause))}`);
    this.name = "StackEvaluationError";
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof EvaluationError) return messageOf(err.cause);
  if (err instanceof Error) return err.message;
  return String(err);
}

function indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}

/** True for errors a user fixes by editing config or arguments; these print without a stack trace. */
export function isUserError(err: unknown): boolean {
  return err instanceof PlanInputError || err instanceof StackFileError || err instanceof ConfigError || err instanceof StackEvaluationError;
}
