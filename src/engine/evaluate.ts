/**
 * Runs a Pulumi program to completion under the mock engine, the way the language host would,
 * and returns every registered resource with the stack's outputs. Used by `plan` and by tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack, setAllConfig, setMocks } from "@pulumi/pulumi/runtime";
import { MockCloud, MockCloudOptions } from "./mockCloud";
import { RecordedInvoke, RecordedResource, RecordingMonitor } from "./recordingMonitor";

// Internal SDK entry points: the supported setMocks installs a monitor we cannot observe, and
// waitForRPCs is how the language host waits for registrations to finish.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};

export const PROJECT_NAME = "dr-platform";

export interface EvaluationRequest {
  /** Stack name, such as "primary". */
  readonly stack: string;
  /** Config as the CLI passes it: "ns:key" -> string (structured values as JSON). */
  readonly config: Readonly<Record<string, string>>;
  /** Outputs of other stacks, by the name a StackReference uses. */
  readonly stackReferences?: Readonly<Record<string, Record<string, unknown>>>;
  /** What the mock cloud answers differently, such as AZs lacking an instance type. Default none. */
  readonly cloud?: MockCloudOptions;
  /** The program; its resolved return value becomes the stack outputs. */
  readonly program: () => Promise<Record<string, unknown> | void>;
}

export interface RecordedResourceWithRegion extends RecordedResource {
  /** AWS region the resource lives in; for components the region of all their descendants ("multi-region" when mixed). */
  readonly region: string;
}

/** A data-source call with the region of the provider it went through. */
export interface RecordedInvokeWithRegion extends RecordedInvoke {
  /** Region of the provider; DEFAULT_PROVIDER_REGION when the call used the default provider. */
  readonly region: string;
}

export interface Evaluation {
  readonly stack: string;
  readonly resources: readonly RecordedResourceWithRegion[];
  /** Every invoke (data source) the program made, with its provider's region. */
  readonly invokes: readonly RecordedInvokeWithRegion[];
  readonly outputs: Record<string, unknown>;
  readonly componentOutputs: ReadonlyMap<string, Record<string, unknown>>;
  /** What the program logged with pulumi.log.warn, in order. */
  readonly warnings: readonly string[];
}

/** Without an engine the SDK prints pulumi.log.warn to console.warn with this prefix. */
const SDK_WARNING_PREFIX = "warning: [runtime] ";

/** A failed evaluation: the program's error, and what had been registered before it failed. */
export class EvaluationError extends Error {
  constructor(readonly cause: unknown, readonly resources: readonly RecordedResource[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "EvaluationError";
  }
}

let running = false;

/** Evaluates one stack. Evaluations share the SDK's global state, so they run one at a time. */
export async function evaluateStack(req: EvaluationRequest): Promise<Evaluation> {
  if (running) throw new Error("evaluateStack: another evaluation is still running; await it first");
  running = true;
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith(SDK_WARNING_PREFIX)) warnings.push(text.slice(SDK_WARNING_PREFIX.length));
    else consoleWarn(...args);
  };
  try {
    const cloud = new MockCloud(req.stackReferences, req.stack, req.cloud);
    await setMocks(cloud, PROJECT_NAME, req.stack, false);
    const monitor = new RecordingMonitor(cloud);
    settings.setMockOptions(monitor, PROJECT_NAME, req.stack, false);
    setAllConfig({ ...req.config });
    let outputs: Record<string, unknown> = {};
    let programError: unknown;
    try {
      outputs = ((await runInPulumiStack(async () => req.program())) ?? {}) as Record<string, unknown>;
    } catch (err) {
      programError = err;
    }
    await settings.waitForRPCs();
    // Let rejected promises of failed registrations surface before deciding.
    await new Promise((resolve) => setImmediate(resolve));
    // The engine stops at a duplicate URN whatever the program does with the failed registration.
    const refusal = monitor.duplicates[0];
    if (refusal || programError || failures.length) throw new EvaluationError(refusal ?? programError ?? failures[0], monitor.recorded);
    const invokes = monitor.invokes.map((i) => ({ ...i, region: cloud.regionOf(i.provider) }));
    return { stack: req.stack, resources: withRegions(monitor.recorded, cloud), invokes, outputs: plainOutputs(outputs), componentOutputs: monitor.componentOutputs, warnings };
  } finally {
    process.off("unhandledRejection", onRejection);
    console.warn = consoleWarn;
    running = false;
  }
}

function plainOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(outputs, (_k, v) => (pulumi.Resource.isInstance(v) ? undefined : v)));
}

function withRegions(resources: readonly RecordedResource[], cloud: MockCloud): RecordedResourceWithRegion[] {
  const own = new Map<string, string | undefined>();
  for (const r of resources) {
    if (r.type.startsWith("pulumi:providers:")) own.set(r.urn, typeof r.inputs.region === "string" ? r.inputs.region : undefined);
    // aws v7 lets a resource override its provider's region; such a resource lives in the override.
    else if (r.custom && r.type.startsWith("aws:")) own.set(r.urn, typeof r.inputs.region === "string" ? r.inputs.region : cloud.regionOf(r.provider));
    else if (r.providers.aws) own.set(r.urn, cloud.regionOf(r.providers.aws));
  }
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const regionOf = (r: RecordedResource): string => {
    const known = own.get(r.urn);
    if (known) return known;
    const regions = new Set((children.get(r.urn) ?? []).map(regionOf).filter((x) => x !== "global"));
    return regions.size === 0 ? "global" : regions.size === 1 ? [...regions][0] : "multi-region";
  };
  return resources.map((r) => ({ ...r, region: regionOf(r) }));
}
