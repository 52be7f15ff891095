/**
 * A Pulumi mock monitor that also records what a real engine would receive: every registered
 * resource with its inputs (secrets redacted), parent, provider and resource options.
 * Built on the SDK's MockMonitor so that resource construction stays the SDK's own code path.
 */
import { MockMonitor, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { getProject, getStack } from "@pulumi/pulumi/runtime/settings";

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
  /** The `import` resource option: the id of an existing resource the engine adopts instead of creating one; undefined when none. */
  readonly importId: string | undefined;
  /** True for resources read rather than created (stack references). */
  readonly read: boolean;
  /** Input name -> URNs of the resources its value came from (what CrossGuard calls propertyDependencies). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Outputs the mock answered with (ids, ARNs, names): what a policy matches cross-resource references against. */
  readonly outputs: Record<string, unknown>;
  /** The id the mock answered with (the cloud's id of a custom resource); undefined for components. */
  readonly id: string | undefined;
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
    // Assets by their text, path or URI; an archive (a Lambda's code) by its assets, so the plan shows what is deployed.
    if (SIG_KEY in obj) return obj.value ?? obj.path ?? obj.text ?? obj.uri ?? (obj.assets ? plainValue(obj.assets) : undefined);
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
  getImportid?(): string;
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

/** A data-source call as the engine would receive it: its token and the provider it goes through. */
export interface RecordedInvoke {
  /** Invoke token, such as "aws:index/getCallerIdentity:getCallerIdentity". */
  readonly token: string;
  /** Provider reference ("<urn>::<id>"); undefined means the default provider. */
  readonly provider: string | undefined;
}

/**
 * The engine's refusal of a second resource with a URN already registered in the stack (type,
 * name and parent chain make the URN). The mock monitor would silently overwrite the first; the
 * real engine stops the update. `details` is where the SDK reads a gRPC error's message from.
 */
export class DuplicateUrnError extends Error {
  readonly details: string;
  constructor(readonly urn: string) {
    super(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    this.name = "DuplicateUrnError";
    this.details = this.message;
  }
}

export class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  /** Every invoke the program made, in order, with the provider it went through. */
  readonly invokes: RecordedInvoke[] = [];
  /** Registrations the engine would refuse because their URN was taken, in order. */
  readonly duplicates: DuplicateUrnError[] = [];
  /** The engine's URN of each registration, by the URN the mock monitor gave it. */
  private readonly engineUrns = new Map<string, string>();
  private readonly urns = new Set<string>();
  private readonly pendingEngineUrns = new Map<RegisterRequest, string>();
  /** Outputs registered by components (registerOutputs), by URN. */
  readonly componentOutputs = new Map<string, Record<string, unknown>>();

  constructor(mocks: Mocks) {
    super(mocks);
  }

  async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    if (this.refuseDuplicate(req, callback)) return;
    return super.registerResource(req, this.recording(req, false, callback));
  }

  async readResource(req: RegisterRequest, callback: Callback): Promise<void> {
    if (this.refuseDuplicate(req, callback)) return;
    return super.readResource(req, this.recording(req, true, callback));
  }

  async invoke(req: { getTok(): string; getProvider(): string }, callback: Callback): Promise<void> {
    this.invokes.push({ token: req.getTok(), provider: req.getProvider() || undefined });
    return super.invoke(req, callback);
  }

  /**
   * The URN the engine gives a registration: stack, project, the types of every ancestor below the
   * stack, the type and the name. Parent NAMES are not part of it, which is why two components of
   * one type must not give their children the same name. (The mock monitor keeps only the
   * parent's own type, so its URNs are looser than the engine's.)
   */
  private urnOf(req: RegisterRequest): string {
    const parent = req.getParent();
    const parentUrn = parent ? this.engineUrns.get(parent) ?? parent : undefined;
    const parentType = parentUrn?.split("::")[2];
    const prefix = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$` : "";
    return `urn:pulumi:${getStack()}::${getProject()}::${prefix}${req.getType()}::${req.getName()}`;
  }

  private refuseDuplicate(req: RegisterRequest, callback: Callback): boolean {
    const urn = this.urnOf(req);
    if (!this.urns.has(urn)) {
      this.urns.add(urn);
      this.pendingEngineUrns.set(req, urn);
      return false;
    }
    const error = new DuplicateUrnError(urn);
    this.duplicates.push(error);
    callback(error, undefined);
    return true;
  }

  registerResourceOutputs(req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined }, callback: Callback): void {
    const outputs = req.getOutputs()?.toJavaScript() ?? {};
    this.componentOutputs.set(req.getUrn(), plainValue(outputs) as Record<string, unknown>);
    super.registerResourceOutputs(req, callback);
  }

  private recording(req: RegisterRequest, read: boolean, callback: Callback): Callback {
    return (err, response) => {
      const engineUrn = this.pendingEngineUrns.get(req);
      this.pendingEngineUrns.delete(req);
      if (!err && engineUrn) this.engineUrns.set((response as { getUrn(): string }).getUrn(), engineUrn);
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
          importId: req.getImportid?.() || undefined,
          read,
          propertyDependencies: propertyDependenciesOf(req),
          outputs: plainValue((response as { getObject?(): { toJavaScript(): Record<string, unknown> } | undefined }).getObject?.()?.toJavaScript() ?? {}) as Record<string, unknown>,
          id: (response as { getId?(): string }).getId?.() || undefined,
        });
      }
      callback(err, response);
    };
  }
}
