/**
 * Drives the policy pack the way the Pulumi CLI does (pulumi/pulumi sdk/go/common/resource/plugin/
 * analyzer_plugin.go, NewPolicyAnalyzer): the `pulumi-analyzer-policy` plugin runs
 * `@pulumi/pulumi/cmd/run-policy-pack <engine address> .` in the pack's folder, with the stack's config
 * in PULUMI_CONFIG; the pack prints the port of its Analyzer gRPC server. The CLI then calls
 * Handshake, ConfigureStack, GetAnalyzerInfo and Configure, Analyze for each resource and
 * AnalyzeStack for the stack. The messages are built with the stubs @pulumi/pulumi ships.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { asFirstPreview, RecordedLike } from "../../policy/recorded";
import { UNKNOWN } from "../../policy/resources";

export const PACK_DIR = path.resolve(__dirname, "../../../policy");
/** How the engine marshals an unknown value (KeepUnknowns): the string sentinel every SDK shares. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Diagnostic {
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
  readonly mandatory: boolean;
}

/** What the analyzer sees of a resource: its inputs (Analyze) and its state (AnalyzeStack). */
type Sent = RecordedLike & { readonly dependsOn?: readonly string[] };

const toWire = (v: unknown): unknown =>
  v === UNKNOWN ? UNKNOWN_SENTINEL : Array.isArray(v) ? v.map(toWire) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)])) : v;
const struct = (v: Readonly<Record<string, unknown>>) => Struct.fromJavaScript(JSON.parse(JSON.stringify(toWire(v))) as Record<string, never>);

function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

export class RunningPack {
  private constructor(private readonly child: ChildProcess, readonly client: AnalyzerClient, readonly stderr: () => string) {}

  /** Starts the pack as the CLI does; resolves once it printed its port (its first start compiles it with ts-node). */
  static async start(stackConfig: Readonly<Record<string, string>>, stack = "primary"): Promise<RunningPack> {
    const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    const env = { ...process.env, PULUMI_CONFIG: JSON.stringify(stackConfig), PULUMI_NODEJS_PROJECT: "dr-platform", PULUMI_NODEJS_STACK: stack, PULUMI_NODEJS_DRY_RUN: "true" };
    const child = spawn(process.execPath, [entry, "127.0.0.1:0", "."], { cwd: PACK_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += String(d)));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += String(d);
        const line = out.split("\n")[0];
        if (out.includes("\n")) (/^\d+$/.test(line.trim()) ? resolve(Number(line)) : reject(new Error(`the pack printed ${JSON.stringify(line)} instead of its port; stderr: ${err}`)));
      });
      child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before printing its port: ${err}`)));
    });
    return new RunningPack(child, new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), () => err);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  /** Handshake; undefined when the pack's @pulumi/policy does not implement it (the CLI then carries on). */
  async handshake(): Promise<pb.AnalyzerHandshakeResponse | undefined> {
    const req = new pb.AnalyzerHandshakeRequest().setEngineAddress("127.0.0.1:0").setRootDirectory(PACK_DIR).setProgramDirectory(PACK_DIR);
    try {
      return await call(this.client.handshake.bind(this.client), req);
    } catch (e) {
      if ((e as grpc.ServiceError).code === grpc.status.UNIMPLEMENTED) return undefined;
      throw e;
    }
  }

  configureStack(stack: string, config: Readonly<Record<string, string>>, dryRun: boolean): Promise<unknown> {
    const req = new pb.AnalyzerStackConfigureRequest().setStack(stack).setProject("dr-platform").setOrganization("organization").setDryRun(dryRun);
    for (const [k, v] of Object.entries(config)) req.getConfigMap().set(k, v);
    return call(this.client.configureStack.bind(this.client), req);
  }

  info(): Promise<pb.AnalyzerInfo> {
    return call(this.client.getAnalyzerInfo.bind(this.client), new Empty());
  }

  /** Configure as the CLI sends it: every policy at its enforcement level, with the policy-config file's properties where it has some. */
  configure(policies: readonly pb.PolicyInfo[], file: Readonly<Record<string, Record<string, unknown>>> = {}): Promise<unknown> {
    const req = new pb.ConfigureAnalyzerRequest();
    for (const p of policies) req.getPolicyconfigMap().set(p.getName(), new pb.PolicyConfig().setEnforcementlevel(p.getEnforcementlevel()).setProperties(struct(file[p.getName()] ?? {})));
    return call(this.client.configure.bind(this.client), req);
  }

  /**
   * Analyze for every resource of the stack (or only those in `analyze`: the ones a case changed,
   * when the rest were analyzed already), then AnalyzeStack: what a preview or update asks.
   */
  async analyzeStack(resources: readonly Sent[], analyze?: ReadonlySet<string>): Promise<Diagnostic[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const provider = (r: Sent) => {
      const ref = r.provider ?? r.providers?.aws;
      const p = ref ? byUrn.get(ref.split("::").slice(0, -1).join("::")) : undefined;
      return p && new pb.AnalyzerProviderResource().setUrn(p.urn).setType(p.type).setName(p.name).setProperties(struct(p.inputs));
    };
    const options = (r: Sent) => new pb.AnalyzerResourceOptions().setParent(r.parent ?? "").setProtect(false);
    // The engine analyzes resources as their registrations arrive, many at a time.
    const out: Diagnostic[] = (await Promise.all(resources.filter((r) => !analyze || analyze.has(r.urn)).map(async (r) => {
      const req = new pb.AnalyzeRequest().setUrn(r.urn).setType(r.type).setName(r.name).setProperties(struct(r.inputs)).setOptions(options(r));
      const p = provider(r);
      if (p) req.setProvider(p);
      // The engine attributes a resource's diagnostics to it when the policy names no URN.
      return diagnostics(await call(this.client.analyze.bind(this.client), req)).map((d) => ({ ...d, urn: d.urn || r.urn }));
    }))).flat();
    const stackReq = new pb.AnalyzeStackRequest().setResourcesList(resources.map((r) => {
      const deps = r.propertyDependencies ?? {};
      const res = new pb.AnalyzerResource().setUrn(r.urn).setType(r.type).setName(r.name).setProperties(struct(r.outputs ?? r.inputs))
        .setOptions(options(r)).setParent(r.parent ?? "").setDependenciesList([...new Set([...(r.dependsOn ?? []), ...Object.values(deps).flat()])]);
      for (const [k, urns] of Object.entries(deps)) if (urns.length) res.getPropertydependenciesMap().set(k, new pb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
      const p = provider(r);
      if (p) res.setProvider(p);
      return res;
    }));
    out.push(...diagnostics(await call(this.client.analyzeStack.bind(this.client), stackReq)));
    return out;
  }
}

function diagnostics(res: pb.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), urn: d.getUrn(), message: d.getMessage(), mandatory: d.getEnforcementlevel() === pb.EnforcementLevel.MANDATORY }));
}

/** The recorded stack as the analyzer sees it in a mode: update sends outputs as recorded, preview as a first preview. */
export const inMode = (resources: readonly Sent[], mode: "preview" | "update"): Sent[] => (mode === "preview" ? asFirstPreview(resources) : [...resources]);
