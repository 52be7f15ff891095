/**
 * The real workspace behind `deploy`, `destroy` and `preview`: the Pulumi Automation API over the
 * project directory (the CLI reads each `Pulumi.<stack>.yaml` itself), plus a preflight that says
 * plainly what is missing before anything runs. The Automation API drives the `pulumi` binary, so
 * it is loaded only when a command needs it: `plan` and the tests never touch it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { ChangeSummary, StackHandle, StackWorkspace } from "./orchestrator";

/** What the preflight looks at; injected in tests. */
export interface PreflightEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly platform: string;
  readonly fileExists: (file: string) => boolean;
}

export function processPreflightEnv(): PreflightEnv {
  return { env: process.env, homeDir: os.homedir(), platform: process.platform, fileExists: (f) => fs.existsSync(f) };
}

/** The `pulumi` binary on PATH, or undefined (the Automation API looks there too). */
export function findPulumiCli(e: PreflightEnv): string | undefined {
  const win = e.platform === "win32";
  const dirs = (e.env.PATH ?? e.env.Path ?? "").split(win ? ";" : ":").filter((d) => d.length > 0);
  const names = win ? ["pulumi.exe", "pulumi.cmd", "pulumi"] : ["pulumi"];
  const join = win ? path.win32.join : path.posix.join;
  for (const dir of dirs) for (const name of names) if (e.fileExists(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Where AWS credentials would come from, in the SDK's order, or undefined when nothing is set.
 * Only presence is checked, never validity: that needs a network call.
 */
export function awsCredentialSource(e: PreflightEnv): string | undefined {
  const env = e.env;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return "environment (AWS_ACCESS_KEY_ID)";
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "container credentials";
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE} (AWS_PROFILE)`;
  const sep = e.platform === "win32" ? path.win32 : path.posix;
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? sep.join(e.homeDir, ".aws", "credentials"), env.AWS_CONFIG_FILE ?? sep.join(e.homeDir, ".aws", "config")];
  const found = files.find((f) => e.fileExists(f));
  return found ? `shared file ${found}` : undefined;
}

/** Every missing prerequisite, each with how to fix it; empty when deploy can run. */
export function preflightProblems(e: PreflightEnv): string[] {
  const problems: string[] = [];
  if (!findPulumiCli(e))
    problems.push("The Pulumi CLI is not on PATH. Install it (curl -fsSL https://get.pulumi.com | sh, or see https://www.pulumi.com/docs/install/), open a new shell so `pulumi version` works, and log in to a state backend outside the regions you protect (pulumi login).");
  if (e.env.AWS_ACCESS_KEY_ID && !e.env.AWS_SECRET_ACCESS_KEY)
    problems.push("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. Export both, or unset AWS_ACCESS_KEY_ID and use a profile (AWS_PROFILE).");
  else if (e.env.AWS_WEB_IDENTITY_TOKEN_FILE && !e.env.AWS_ROLE_ARN && !awsCredentialSource(e))
    problems.push("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not. Export the ARN of the role to assume.");
  else if (!awsCredentialSource(e))
    problems.push("No AWS credentials found (none of AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, container credentials, ~/.aws/credentials or ~/.aws/config). Run `aws configure` or `aws sso login --profile <name>` and export AWS_PROFILE=<name>; on EC2 with an instance role, add a profile with credential_source = Ec2InstanceMetadata to ~/.aws/config and export AWS_PROFILE.");
  return problems;
}

/** One message naming everything missing, or undefined when deploy can run. The CLI prints it and exits 1. */
export function preflight(e: PreflightEnv = processPreflightEnv()): string | undefined {
  const problems = preflightProblems(e);
  if (problems.length === 0) return undefined;
  return `Cannot run this command here (it needs the Pulumi CLI and AWS credentials; \`npm run plan\` needs neither):\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

/** Counts what a stack manages in its exported state: everything but the stack resource and the providers. */
export function countManagedResources(deployment: unknown): number {
  const resources = (deployment as { resources?: ReadonlyArray<{ type?: string }> } | null | undefined)?.resources ?? [];
  return resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !String(r.type).startsWith("pulumi:providers:")).length;
}

/** The Automation API over a project directory; `onOutput` receives the engine's progress text. */
export function automationWorkspace(projectDir: string, onOutput: (text: string) => void = (t) => process.stdout.write(t)): StackWorkspace {
  return {
    async select(stackName, create) {
      const auto = await import("@pulumi/pulumi/automation");
      const args = { stackName, workDir: projectDir };
      try {
        const stack = create ? await auto.LocalWorkspace.createOrSelectStack(args) : await auto.LocalWorkspace.selectStack(args);
        return handleFor(stack, stackName, onOutput);
      } catch (err) {
        if (!create && err instanceof auto.StackNotFoundError) return undefined;
        throw err;
      }
    },
  };
}

function handleFor(stack: Stack, name: string, onOutput: (text: string) => void): StackHandle {
  return {
    name,
    async up() {
      return changes((await stack.up({ onOutput })).summary.resourceChanges);
    },
    async preview() {
      return changes((await stack.preview({ onOutput })).changeSummary);
    },
    async destroy() {
      return changes((await stack.destroy({ onOutput })).summary.resourceChanges);
    },
    async resourceCount() {
      return countManagedResources((await stack.exportStack()).deployment);
    },
    async outputs() {
      return Object.fromEntries(Object.entries(await stack.outputs()).map(([key, o]) => [key, o.value]));
    },
  };
}

function changes(map: Readonly<Record<string, number | undefined>> | undefined): ChangeSummary {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(map ?? {})) if (n !== undefined) out[op] = n;
  return out;
}

/** A stack's outputs as plain values (`pulumi stack output --json --show-secrets`), for drills. */
export async function readStackOutputs(projectDir: string, stackName: string): Promise<Record<string, unknown>> {
  const auto = await import("@pulumi/pulumi/automation");
  const stack = await auto.LocalWorkspace.selectStack({ stackName, workDir: projectDir });
  return Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));
}
