/**
 * `bench`: how far `plan` is above the floor the mock engine sets. Times the evaluation part of
 * `plan` (read, validate, evaluate every stack; no files written, no SVG rendered) against the
 * mock engine registering the same number of plain resources in the same number of evaluations,
 * in the same process; then plans the three-region fixture to show how time grows with regions.
 */
import * as aws from "@pulumi/aws";
import * as path from "path";
import { performance } from "perf_hooks";
import { evaluateStack } from "../engine/evaluate";
import { evaluatePlan } from "./evaluatePlan";
import { loadStackSet, stackRegion } from "./stackSet";

export const DEFAULT_BENCH_RUNS = 3;
/** The three-region fixture, relative to the project folder. */
export const THREE_REGION_FIXTURE = path.join("test", "fixtures", "three-region");

export interface BenchOptions {
  readonly projectDir: string;
  readonly runs?: number;
  /** Folder with a primary and two secondaries; default <projectDir>/test/fixtures/three-region. */
  readonly threeRegionDir?: string;
  readonly log?: (line: string) => void;
}

export interface BenchResult {
  /** Registered resources per stack of the two-stack plan (root stack and providers included). */
  readonly resourceCounts: Readonly<Record<string, number>>;
  readonly planSeconds: readonly number[];
  readonly floorSeconds: readonly number[];
  readonly threeRegionSeconds: number;
  readonly threeRegionResources: number;
  readonly ratio: number;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(", ");

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, (performance.now() - start) / 1000];
}

/** The floor: one evaluation per stack, each registering a provider and plain topics up to the same count. */
async function floorRun(counts: readonly number[]): Promise<void> {
  for (const [i, count] of counts.entries()) {
    await evaluateStack({
      stack: `floor-${i}`,
      config: {},
      program: async () => {
        const provider = new aws.Provider("floor", { region: "us-east-1" });
        // The root stack and the provider are registered too: count - 2 topics match the plan's total.
        for (let t = 0; t < count - 2; t++) new aws.sns.Topic(`topic-${t}`, {}, { provider });
      },
    });
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? DEFAULT_BENCH_RUNS;
  const projectDir = path.resolve(options.projectDir);
  const plan = async (dir: string) => evaluatePlan(loadStackSet(dir));
  // Warm-up: module loading and JIT would otherwise be charged to whichever runs first.
  const warm = await plan(projectDir);
  const counts = warm.map((e) => e.evaluation.resources.length);
  const resourceCounts = Object.fromEntries(warm.map((e) => [e.planned.stack, e.evaluation.resources.length]));
  const total = counts.reduce((a, b) => a + b, 0);
  await floorRun(counts);
  const planSeconds: number[] = [];
  const floorSeconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    planSeconds.push((await timed(() => plan(projectDir)))[1]);
    floorSeconds.push((await timed(() => floorRun(counts)))[1]);
  }
  log(`resources: ${total} (${Object.entries(resourceCounts).map(([s, n]) => `${s} ${n}`).join(", ")}; root stacks and providers included)`);
  log(`plan (read + validate + evaluate ${warm.length} stacks, no files written), ${runs} run(s): median ${median(planSeconds).toFixed(2)} s (${fmt(planSeconds)})`);
  log(`floor (mock engine, ${total} plain aws:sns/topic:Topic resources in ${counts.length} evaluations), ${runs} run(s): median ${median(floorSeconds).toFixed(2)} s (${fmt(floorSeconds)})`);
  const ratio = median(planSeconds) / median(floorSeconds);
  log(`per resource: plan ${((median(planSeconds) * 1000) / total).toFixed(1)} ms, floor ${((median(floorSeconds) * 1000) / total).toFixed(1)} ms`);
  const threeDir = path.resolve(projectDir, options.threeRegionDir ?? THREE_REGION_FIXTURE);
  const [three, threeRegionSeconds] = await timed(() => plan(threeDir));
  const threeRegionResources = three.reduce((a, e) => a + e.evaluation.resources.length, 0);
  log(`three-region plan (${three.map((e) => `${e.planned.stack} ${stackRegion(e.planned.config)}`).join(", ")}): ${threeRegionSeconds.toFixed(2)} s, ${threeRegionResources} resources`);
  log(`plan/floor ratio: ${ratio.toFixed(2)}`);
  return { resourceCounts, planSeconds, floorSeconds, threeRegionSeconds, threeRegionResources, ratio };
}
