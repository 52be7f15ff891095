/** Time for the engine: the real clock for `--execute`, a virtual one for the simulator (no real sleeps). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(seconds: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
};

/** Advances only when slept on; the simulator reads it to decide what the cloud looks like. */
export class VirtualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  async sleep(seconds: number): Promise<void> {
    this.ms += Math.round(seconds * 1000);
  }
}
