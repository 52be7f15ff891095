/** Time for the engine: the real clock for `--execute`, a virtual one for the simulator (no real sleeps). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(seconds: number): Promise<void>;
  /** A fraction in [0, 1) for the backoff's jitter. */
  random(): number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  random: () => Math.random(),
};

/** Advances only when slept on; the simulator reads it to decide what the cloud looks like. */
export class VirtualClock implements Clock {
  /** `random`: the jitter fraction; 1 by default, so a virtual run backs off by the cap (reproducible, the slowest case). */
  constructor(private ms: number, readonly random: () => number = () => 1) {}
  now(): number {
    return this.ms;
  }
  async sleep(seconds: number): Promise<void> {
    this.ms += Math.round(seconds * 1000);
  }
}
