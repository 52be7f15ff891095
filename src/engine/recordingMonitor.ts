/**
 * A Pulumi mock monitor that also records what a real engine would receive: every registered
 * resource with its inputs (secrets redacted), parent, provider and resource options.
 * Built on the SDK's MockMonitor so that resource construction stays the SDK's own code path.
 */
import { MockMonitor, Mocks } from "@pulumi/pulumi/runtime/mocks";

/** A resource as the engine would have received it. */
export interface RecordedResource {
  /** Type token, such as "aws:rds/cluster:Cluster" or "dr:network:RegionalNetwork". */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource (the stack for top-level resources). */
  readonly parent: string | undefined;
  /** Provider reference ("<urn>::<id>") for custom resources; undefined means the default provider. */
  readonly provider: string | undefined;
  /** Providers handed to a remote component such as awsx's VPC, by package. */
  readonly providers: Readonly<Record<string, string>>;
  readonly custom: boolean;
  /** Inputs as the provider would see them; secret values read "[secret]", unknowns "[unknown]". */
  readonly inputs: Record<string, unknown>;
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** True for resources read rather than created (stack references). */
  readonly read: boolean;
  /** Input name -> URNs of the resources its value came from (what CrossGuard calls propertyDependencies). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Outputs the mock answered with (ids, ARNs, names): what a policy matches cross-resource references against. */
  readonly outputs: Record<string, unknown>;
}

export const SECRET_PLACEHOLDER = "[secret]";
export const UNKNOWN_PLACEHOLDER = "[unknown]";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns the wire form of a property into plain data, redacting secrets. */
export function plainValue(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return UNKNOWN_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    if (obj[SIG_KEY] === RESOURCE_SIG) return obj.urn;
    if (SIG_KEY in obj) return obj.value ?? obj.path ?? obj.text ?? obj.uri;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProvidersMap?(): { toObject(): [string, string][] };
  getCustom?(): boolean;
  getObject?(): { toJavaScript(): Record<string, unknown> };
  getProperties?(): { toJavaScript(): Record<string, unknown> };
  getDependenciesList?(): string[];
  getIgnorechangesList?(): string[];
  getProtect?(): boolean | undefined;
  getRetainondelete?(): boolean | undefined;
  getPropertydependenciesMap?(): { forEach(visit: (value: { getUrnsList(): string[] }, key: string) => void): void };
}
type Callback = (err: unknown, response: unknown) => void;

function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap?.().forEach((value, key) => {
    out[key] = value.getUrnsList();
  });
  return out;
}

export class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  /** Outputs registered by components (registerOutputs), by URN. */
  readonly componentOutputs = new Map<string, Record<string, unknown>>();

  constructor(mocks: Mocks) {
    super(mocks);
  }

  async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    return super.registerResource(req, this.recording(req, false, callback));
  }

  async readResource(req: RegisterRequest, callback: Callback): Promise<void> {
    return super.readResource(req, this.recording(req, true, callback));
  }

  registerResourceOutputs(req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined }, callback: Callback): void {
    const outputs = req.getOutputs()?.toJavaScript() ?? {};
    this.componentOutputs.set(req.getUrn(), plainValue(outputs) as Record<string, unknown>);
    super.registerResourceOutputs(req, callback);
  }

  private recording(req: RegisterRequest, read: boolean, callback: Callback): Callback {
    return (err, response) => {
      if (!err) {
        const struct = (read ? req.getProperties?.() : req.getObject?.())?.toJavaScript() ?? {};
        this.recorded.push({
          type: req.getType(),
          name: req.getName(),
          urn: (response as { getUrn(): string }).getUrn(),
          parent: req.getParent() || undefined,
          provider: req.getProvider() || undefined,
          providers: Object.fromEntries(req.getProvidersMap?.().toObject() ?? []),
          custom: read ? true : (req.getCustom?.() ?? false),
          inputs: plainValue(struct) as Record<string, unknown>,
          dependsOn: req.getDependenciesList?.() ?? [],
          ignoreChanges: req.getIgnorechangesList?.() ?? [],
          protect: req.getProtect?.() ?? false,
          retainOnDelete: req.getRetainondelete?.() ?? false,
          read,
          propertyDependencies: propertyDependenciesOf(req),
          outputs: plainValue((response as { getObject?(): { toJavaScript(): Record<string, unknown> } | undefined }).getObject?.()?.toJavaScript() ?? {}) as Record<string, unknown>,
        });
      }
      callback(err, response);
    };
  }
}
