import { expect } from "chai";
import { Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { registerDeployCommands } from "../src/cli/deployCommands";
import { countManagedResources, PreflightEnv, preflight } from "../src/deploy/automation";
import { PreflightAws } from "../src/deploy/preflight/awsPort";
import {
  ChangeSummary, deployOrder, deployStacks, destroyOrder, destroyStacks, OrchestrationError, orderStacks, previewStacks, StackHandle, StackWorkspace,
} from "../src/deploy/orchestrator";
import { EXAMPLE_DIR, PROJECT_DIR } from "./harness/paths";

/** A workspace that records every call; stacks exist with a resource count, operations can be made to fail. */
class FakeWorkspace implements StackWorkspace {
  readonly calls: string[] = [];
  constructor(readonly resources: Record<string, number> = {}, readonly failing: Record<string, string> = {}, readonly destroyEmpties = true) {}
  async select(stack: string, create: boolean): Promise<StackHandle | undefined> {
    this.calls.push(`select ${stack}${create ? " create" : ""}`);
    if (!(stack in this.resources)) {
      if (!create) return undefined;
      this.resources[stack] = 0;
    }
    const op = async (name: string, effect: () => void): Promise<ChangeSummary> => {
      this.calls.push(`${name} ${stack}`);
      if (this.failing[`${name} ${stack}`]) throw new Error(this.failing[`${name} ${stack}`]);
      effect();
      return { create: 2 };
    };
    return {
      name: stack,
      up: () => op("up", () => { this.resources[stack] = 10; }),
      preview: () => op("preview", () => undefined),
      destroy: () => op("destroy", () => { if (this.destroyEmpties) this.resources[stack] = 0; }),
      resourceCount: async () => {
        this.calls.push(`count ${stack}`);
        return this.resources[stack];
      },
    };
  }
  ops(): string[] {
    return this.calls.filter((c) => /^(up|preview|destroy) /.test(c));
  }
}

async function failure(fn: () => Promise<unknown>): Promise<OrchestrationError> {
  try {
    await fn();
  } catch (err) {
    return err as OrchestrationError;
  }
  throw new Error("expected a failure");
}

describe("deploy order", () => {
  it("orders the primary first whatever order the stacks are named in", () => {
    expect(orderStacks([{ name: "west", role: "secondary" }, { name: "main", role: "primary" }, { name: "eu", role: "secondary" }]))
      .to.deep.equal({ primary: "main", secondaries: ["west", "eu"], links: undefined });
  });

  it("puts the links stack last on deploy and first on destroy, whatever order the stacks are named in", () => {
    const order = orderStacks([{ name: "links", role: "links" }, { name: "west", role: "secondary" }, { name: "main", role: "primary" }, { name: "eu", role: "secondary" }]);
    expect(deployOrder(order)).to.deep.equal(["main", "west", "eu", "links"]);
    expect(destroyOrder(order)).to.deep.equal(["links", "eu", "west", "main"]);
    expect(() => orderStacks([{ name: "l1", role: "links" }, { name: "l2", role: "links" }])).to.throw(/l1 and l2 both have dr:role links/);
  });

  it("rejects two primaries and a stack named twice", () => {
    expect(() => orderStacks([{ name: "a", role: "primary" }, { name: "b", role: "primary" }])).to.throw(/a and b both have dr:role primary/);
    expect(() => orderStacks([{ name: "a", role: "primary" }, { name: "a", role: "primary" }])).to.throw();
    expect(() => orderStacks([{ name: "s", role: "secondary" }, { name: "s", role: "secondary" }])).to.throw(/s is named twice/);
  });

  it("deploys the primary, then each secondary in order, then links", async () => {
    const ws = new FakeWorkspace();
    const outcomes = await deployStacks(ws, { primary: "primary", secondaries: ["secondary", "tertiary"], links: "links" });
    expect(ws.ops()).to.deep.equal(["up primary", "up secondary", "up tertiary", "up links"]);
    expect(ws.calls).to.include("select primary create");
    expect(outcomes.map((o) => o.stack)).to.deep.equal(["primary", "secondary", "tertiary", "links"]);
  });

  it("stops at the first failure, naming the stack, what was deployed and what was not attempted", async () => {
    const ws = new FakeWorkspace({}, { "up secondary": "AccessDenied: rds:CreateDBCluster" });
    const err = await failure(() => deployStacks(ws, { primary: "primary", secondaries: ["secondary", "tertiary"] }));
    expect(ws.ops()).to.deep.equal(["up primary", "up secondary"]);
    expect(err).to.be.instanceOf(OrchestrationError);
    expect(err.failedStack).to.equal("secondary");
    expect(err.completed).to.deep.equal(["primary"]);
    expect(err.message).to.contain("deploy of stack secondary failed: AccessDenied: rds:CreateDBCluster");
    expect(err.message).to.contain("already deployed: primary");
    expect(err.message).to.contain("not attempted: tertiary");
  });

  it("deploys no secondary when the primary fails", async () => {
    const ws = new FakeWorkspace({}, { "up primary": "boom" });
    const err = await failure(() => deployStacks(ws, { primary: "primary", secondaries: ["secondary"] }));
    expect(ws.ops()).to.deep.equal(["up primary"]);
    expect(err.message).to.contain("already deployed: none");
  });

  it("previews every stack in deploy order without deploying", async () => {
    const ws = new FakeWorkspace();
    await previewStacks(ws, { primary: "primary", secondaries: ["secondary"] });
    expect(ws.ops()).to.deep.equal(["preview primary", "preview secondary"]);
  });
});

describe("destroy order and refusal", () => {
  it("destroys links first, then the secondaries last-first, then the primary", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30, tertiary: 20, links: 9 });
    await destroyStacks(ws, { primary: "primary", secondaries: ["secondary", "tertiary"], links: "links" });
    expect(ws.ops()).to.deep.equal(["destroy links", "destroy tertiary", "destroy secondary", "destroy primary"]);
    expect(ws.calls.filter((c) => c.startsWith("select")).every((c) => !c.endsWith("create"))).to.equal(true);
  });

  it("refuses before destroying anything while a secondary outside the run has resources, naming it and --force", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30 });
    const err = await failure(() => destroyStacks(ws, { primary: "primary", secondaries: [] }, { otherSecondaries: ["secondary"] }));
    expect(ws.ops()).to.deep.equal([]);
    expect(err.message).to.contain("Refusing to destroy the primary stack primary");
    expect(err.message).to.contain("secondary (30 resources)");
    expect(err.message).to.contain("--force");
    expect(err.message).to.contain("dr destroy --stacks secondary");
  });

  it("refuses to destroy the primary when a destroyed secondary still holds resources", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30 }, {}, false);
    const err = await failure(() => destroyStacks(ws, { primary: "primary", secondaries: ["secondary"] }));
    expect(ws.ops()).to.deep.equal(["destroy secondary"]);
    expect(err.message).to.contain("Already destroyed: secondary");
    expect(err.completed).to.deep.equal(["secondary"]);
  });

  it("destroys the primary anyway with force, without counting resources", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30 });
    await destroyStacks(ws, { primary: "primary", secondaries: [] }, { force: true, otherSecondaries: ["secondary"] });
    expect(ws.ops()).to.deep.equal(["destroy primary"]);
    expect(ws.calls.some((c) => c.startsWith("count"))).to.equal(false);
  });

  it("treats a secondary stack that does not exist as empty, and skips destroying a missing stack", async () => {
    const ws = new FakeWorkspace({ primary: 40 });
    const lines: string[] = [];
    await destroyStacks(ws, { primary: "primary", secondaries: ["secondary"] }, { otherSecondaries: ["eu"] }, (l) => lines.push(l));
    expect(ws.ops()).to.deep.equal(["destroy primary"]);
    expect(lines.join("\n")).to.contain("stack secondary does not exist; nothing to destroy");
  });

  it("destroying only secondaries checks only a links stack outside the run (it replicates into their buckets)", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30, links: 9 });
    const err = await failure(() => destroyStacks(ws, { secondaries: ["secondary"] }, { otherLinks: ["links"] }));
    expect(ws.ops()).to.deep.equal([]);
    expect(err.message).to.contain("Refusing to destroy secondary stack secondary").and.contain("links (9 resources)").and.contain("--force");
    await destroyStacks(ws, { secondaries: ["secondary"] });
    expect(ws.ops()).to.deep.equal(["destroy secondary"]);
    expect(ws.calls.filter((c) => c.startsWith("count"))).to.deep.equal(["count links"]);
  });

  it("refuses to destroy the primary while a links stack outside the run has resources", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 0, links: 9 });
    const err = await failure(() => destroyStacks(ws, { primary: "primary", secondaries: ["secondary"] }, { otherSecondaries: ["links"], otherLinks: ["links"] }));
    expect(ws.ops()).to.deep.equal([]);
    expect(err.message).to.contain("Refusing to destroy the primary stack primary").and.contain("links (9 resources)");
  });

  it("stops when a secondary's destroy fails and leaves the primary alone", async () => {
    const ws = new FakeWorkspace({ primary: 40, secondary: 30, tertiary: 5 }, { "destroy secondary": "DependencyViolation" });
    const err = await failure(() => destroyStacks(ws, { primary: "primary", secondaries: ["secondary", "tertiary"] }));
    expect(ws.ops()).to.deep.equal(["destroy tertiary", "destroy secondary"]);
    expect(err.message).to.contain("already destroyed: tertiary");
    expect(err.message).to.contain("not attempted: none");
  });
});

describe("preflight", () => {
  const env = (vars: Record<string, string>, files: string[] = [], platform = "linux"): PreflightEnv =>
    ({ env: vars, homeDir: "/home/op", platform, fileExists: (f) => files.includes(f) });
  const CLI = "/usr/local/bin/pulumi";
  const problemLines = (msg: string | undefined) => (msg ?? "").split("\n").filter((l) => l.startsWith("  - "));

  it("says the Pulumi CLI is missing and how to install it", () => {
    const msg = preflight(env({ PATH: "/usr/bin:/bin", AWS_PROFILE: "prod" }));
    expect(msg).to.match(/Pulumi CLI is not on PATH/).and.match(/get\.pulumi\.com/);
    expect(problemLines(msg)).to.have.length(1);
  });

  it("says AWS credentials are missing and how to provide them", () => {
    const msg = preflight(env({ PATH: "/usr/local/bin" }, [CLI]));
    expect(msg).to.match(/No AWS credentials found/).and.match(/AWS_PROFILE/).and.match(/aws configure/);
    expect(problemLines(msg)).to.have.length(1);
  });

  it("names both problems in one message", () => {
    const lines = problemLines(preflight(env({ PATH: "" })));
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/Pulumi CLI/);
    expect(lines[1]).to.match(/AWS credentials/);
  });

  it("passes with the CLI on PATH and any credential source", () => {
    expect(preflight(env({ PATH: "/opt:/usr/local/bin", AWS_PROFILE: "prod" }, [CLI]))).to.equal(undefined);
    expect(preflight(env({ PATH: "/usr/local/bin", AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "x" }, [CLI]))).to.equal(undefined);
    expect(preflight(env({ PATH: "/usr/local/bin", AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:aws:iam::1:role/r" }, [CLI]))).to.equal(undefined);
    expect(preflight(env({ PATH: "/usr/local/bin" }, [CLI, "/home/op/.aws/credentials"]))).to.equal(undefined);
    expect(preflight(env({ PATH: "/usr/local/bin", AWS_CONFIG_FILE: "/etc/aws.cfg" }, [CLI, "/etc/aws.cfg"]))).to.equal(undefined);
  });

  it("points out a half-set access key", () => {
    expect(preflight(env({ PATH: "/usr/local/bin", AWS_ACCESS_KEY_ID: "AKIA" }, [CLI]))).to.match(/AWS_SECRET_ACCESS_KEY is not/);
  });

  it("finds pulumi.exe on a Windows PATH", () => {
    expect(preflight(env({ Path: "C:\\tools;C:\\Pulumi\\bin", AWS_PROFILE: "p" }, ["C:\\Pulumi\\bin\\pulumi.exe"], "win32"))).to.equal(undefined);
  });

  it("counts a stack's managed resources without the stack and its providers", () => {
    expect(countManagedResources({ resources: [
      { type: "pulumi:pulumi:Stack" }, { type: "pulumi:providers:aws" }, { type: "aws:s3/bucket:Bucket" }, { type: "dr:network:Network" },
    ] })).to.equal(2);
    expect(countManagedResources({})).to.equal(0);
  });
});

describe("dr deploy / destroy / preview commands", () => {
  // The account already has the Auto Scaling service-linked role; the fake stacks have no outputs, so the destroy preflight asks nothing.
  const roleExists = { roleExists: async () => true, clustersInSubnetGroup: async () => [], dbCluster: async () => undefined } as unknown as PreflightAws;
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-deploy-"));
    for (const s of ["primary", "secondary", "links"]) fs.copyFileSync(path.join(EXAMPLE_DIR, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], ws: FakeWorkspace, preflightMessage?: string, aws: PreflightAws = roleExists): Promise<{ out: string[]; err: string[]; code: number }> {
    const out: string[] = [];
    const err: string[] = [];
    let code = 0;
    const program = new Command("dr").exitOverride();
    registerDeployCommands(program, { workspaceFor: () => ws, preflight: () => preflightMessage, out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: (c) => { code = c; }, preflightAws: async () => aws });
    await program.parseAsync(["node", "dr", ...args, "--cwd", dir]);
    return { out, err, code };
  }

  it("deploys the stack whose config says primary first and links last, whatever order --stacks gives", async () => {
    const ws = new FakeWorkspace();
    const r = await run(["deploy", "--stacks", "links", "secondary", "primary"], ws);
    expect(r.code).to.equal(0);
    expect(ws.ops()).to.deep.equal(["up primary", "up secondary", "up links"]);
    expect(r.out.join("\n")).to.contain("deploy order: primary -> secondary -> links");
  });

  it("deploys and destroys primary, secondary and links by default, links destroyed first", async () => {
    const ws = new FakeWorkspace();
    expect((await run(["deploy"], ws)).code).to.equal(0);
    expect(ws.ops()).to.deep.equal(["up primary", "up secondary", "up links"]);
    const destroyed = await run(["destroy"], ws);
    expect(destroyed.code, destroyed.err.join()).to.equal(0);
    expect(ws.ops().slice(3)).to.deep.equal(["destroy links", "destroy secondary", "destroy primary"]);
  });

  it("deploys and destroys every stack file by default: a region added by the README's recipe needs no --stacks", async () => {
    const threeRegions = path.join(PROJECT_DIR, "test", "fixtures", "three-region");
    const stackFiles = fs.readdirSync(threeRegions).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    expect(stackFiles).to.have.length(4);
    const ws = new FakeWorkspace();
    const err: string[] = [];
    const program = new Command("dr").exitOverride();
    registerDeployCommands(program, { workspaceFor: () => ws, preflight: () => undefined, out: () => undefined, err: (l) => err.push(l), setExitCode: () => undefined, preflightAws: async () => roleExists });
    await program.parseAsync(["node", "dr", "deploy", "--cwd", threeRegions]);
    expect(err, err.join("\n")).to.deep.equal([]);
    expect(ws.ops()).to.have.length(stackFiles.length);
    expect(ws.ops()[0]).to.equal("up primary");
    expect(ws.ops()[stackFiles.length - 1]).to.equal("up links");
    await program.parseAsync(["node", "dr", "destroy", "--cwd", threeRegions]);
    expect(err, err.join("\n")).to.deep.equal([]);
    expect(ws.ops().slice(stackFiles.length)).to.have.length(stackFiles.length);
    expect(ws.ops()[stackFiles.length]).to.equal("destroy links");
  });

  it("exits 1 with the preflight message and touches no stack when the CLI or credentials are missing", async () => {
    const ws = new FakeWorkspace();
    const r = await run(["deploy"], ws, "The Pulumi CLI is not on PATH.");
    expect(r.code).to.equal(1);
    expect(r.err.join()).to.contain("Pulumi CLI is not on PATH");
    expect(ws.calls).to.deep.equal([]);
  });

  it("deploys and previews a secondary and links while IAM (us-east-1) answers nothing: the role check is the primary's alone", async () => {
    let asked = 0;
    const iamDown = { ...roleExists, roleExists: async () => { asked++; throw new Error("connect ETIMEDOUT iam.amazonaws.com"); } } as unknown as PreflightAws;
    const ws = new FakeWorkspace();
    const deployed = await run(["deploy", "--stacks", "secondary", "links"], ws, undefined, iamDown);
    expect(deployed.code, deployed.err.join()).to.equal(0);
    expect((await run(["preview", "--stacks", "secondary"], ws, undefined, iamDown)).code).to.equal(0);
    expect(asked).to.equal(0);
    expect(ws.ops().filter((o) => o.startsWith("up"))).to.deep.equal(["up secondary", "up links"]);
    const withPrimary = await run(["deploy"], new FakeWorkspace(), undefined, iamDown);
    expect(withPrimary.code).to.equal(1);
    expect(asked).to.equal(1);
  });

  it("exits 1 naming a missing stack file", async () => {
    const ws = new FakeWorkspace();
    const r = await run(["preview", "--stacks", "primary", "nosuch"], ws);
    expect(r.code).to.equal(1);
    expect(r.err.join()).to.contain("Pulumi.nosuch.yaml");
    expect(ws.calls).to.deep.equal([]);
  });

  it("refuses to destroy the primary while a secondary stack file not named in --stacks still has resources; --force overrides", async () => {
    fs.copyFileSync(path.join(dir, "Pulumi.secondary.yaml"), path.join(dir, "Pulumi.eu.yaml"));
    try {
      const ws = new FakeWorkspace({ primary: 40, secondary: 30, eu: 12 });
      const refused = await run(["destroy", "--stacks", "primary", "secondary"], ws);
      expect(refused.code).to.equal(1);
      expect(refused.err.join()).to.contain("eu (12 resources)").and.contain("--force");
      expect(ws.ops()).to.deep.equal([]);
      const forced = await run(["destroy", "--stacks", "primary", "secondary", "--force"], ws);
      expect(forced.code).to.equal(0);
      expect(ws.ops()).to.deep.equal(["destroy secondary", "destroy primary"]);
    } finally {
      fs.rmSync(path.join(dir, "Pulumi.eu.yaml"));
    }
  });

  it("documents --stacks, --cwd and --force in the help", () => {
    const program = new Command("dr");
    registerDeployCommands(program, {});
    const help = (name: string) => program.commands.find((c) => c.name() === name)?.helpInformation() ?? "";
    for (const name of ["deploy", "destroy", "preview"]) expect(help(name)).to.contain("--stacks <names...>").and.contain("--cwd <dir>");
    expect(help("destroy")).to.contain("--force");
    expect(help("deploy")).to.not.contain("--force");
  });
});
