/** An error the operator fixes (inputs, journal, flags): the CLI prints its message, never a stack trace. */
export class DrillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrillError";
  }
}

/**
 * A failure a resume cannot get past (a restore job that FAILED: resuming would wait on the same
 * job again); the next step is a new run of the drill, after the fix.
 */
export class RerunRequired extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RerunRequired";
  }
}
