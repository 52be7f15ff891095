/** An error the operator fixes (inputs, journal, flags): the CLI prints its message, never a stack trace. */
export class DrillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrillError";
  }
}
