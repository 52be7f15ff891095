/** Drill inputs: stack outputs parsed with zod, one clear error per problem naming the output and the fix. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { runDrill, resumeDrill } from "../../src/drills/drill";
import { DrillError } from "../../src/drills/errors";
import { DrillInputError } from "../../src/drills/inputs";
import { loadInputs, parseOutputsOption, readProjectStacks } from "../../src/drills/load";
import { EXAMPLE_DIR, FIXTURE_OUTPUTS, fixtureInputs, FIXTURES, projectWith, simulate, tempDir } from "./harness";

const failure = async (p: Promise<unknown>): Promise<Error> => p.then(() => { throw new Error("expected a failure"); }, (e: Error) => e);

describe("drill inputs", () => {
  it("reads both stacks' outputs and tells the web and app groups apart by name", async () => {
    const inputs = await fixtureInputs();
    expect(inputs.globalClusterIdentifier).to.equal("orders-prod");
    expect(inputs.secondary.dbClusterArn).to.equal("arn:aws:rds:us-west-2:123456789012:cluster:orders-prod-us-west-2");
    expect(inputs.secondary.groups).to.deep.equal([{ name: "orders-web-asg-1a2b3c4", tier: "web" }, { name: "orders-app-asg-4c3b2a1", tier: "app" }]);
    // Every stack file in the project (links included): dr:activeRegion is set in each of them.
    expect(inputs.stackNames).to.deep.equal(["links", "primary", "secondary"]);
  });

  it("requires dbClusterArn, naming the output, the stack and the fix", async () => {
    const err = await failure(loadInputs(readProjectStacks(EXAMPLE_DIR), "files", { ...FIXTURE_OUTPUTS, secondary: path.join(FIXTURES, "secondary-without-arn.json") }));
    expect(err).to.be.instanceOf(DrillInputError);
    expect(err.message).to.include('output regional.dbClusterArn of stack "secondary" is missing');
    expect(err.message).to.include("pulumi up --stack secondary");
  });

  it("calls an output of the wrong type invalid, not missing", async () => {
    const outputs = JSON.parse(fs.readFileSync(FIXTURE_OUTPUTS.secondary, "utf8"));
    outputs.regional.autoScalingGroupNames = "orders-web-asg-1a2b3c4";
    const file = path.join(tempDir(), "secondary-wrong-type.json");
    fs.writeFileSync(file, JSON.stringify(outputs));
    const err = await failure(loadInputs(readProjectStacks(EXAMPLE_DIR), "files", { ...FIXTURE_OUTPUTS, secondary: file }));
    expect(err.message).to.include('output regional.autoScalingGroupNames of stack "secondary" is invalid (').and.not.include("is missing");
  });

  it("refuses outputs of the wrong stack, and --outputs that is not <stack>=<file>", async () => {
    const swapped = await failure(loadInputs(readProjectStacks(EXAMPLE_DIR), "files", { primary: FIXTURE_OUTPUTS.primary, secondary: FIXTURE_OUTPUTS.primary }));
    expect(swapped.message).to.match(/output regional.region of stack "secondary" is us-east-1 but its stack file says aws:region us-west-2/);
    expect(() => parseOutputsOption(["primary.json"])).to.throw(/--outputs primary.json is not <stack>=<file>/);
    const missing = await failure(loadInputs(readProjectStacks(EXAMPLE_DIR), "files", { primary: FIXTURE_OUTPUTS.primary }));
    expect(missing.message).to.include('no --outputs for stack "secondary"');
  });

  it("refuses a strategy without a global database (backup-restore), pointing at the restore drill", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: backup-restore"));
    const err = await failure(runDrill({ scenario: "switchover", mode: "simulate", cwd: dir, journal: path.join(tempDir(), "j.jsonl"), log: () => undefined }));
    expect(err.message).to.match(/exports no globalClusterIdentifier: strategy backup-restore .* use the restore drill/);
  });

  it("prints the dr:activeRegion commands for every stack file, the links stack's too, without parsing it", async () => {
    const dir = projectWith((t) => t);
    fs.writeFileSync(path.join(dir, "Pulumi.links.yaml"), "config:\n  dr:role: links\n  dr:primaryStack: primary\n");
    expect(readProjectStacks(dir).stackNames).to.deep.equal(["links", "primary", "secondary"]);
  });

  it("reads dr:activeRegion from the stack files: the drill runs from the region that is active", async () => {
    const dir = projectWith((t) => t.replace("dr:role: primary", "dr:role: primary\n  dr:activeRegion: us-west-2"));
    expect(readProjectStacks(dir).activeRegion).to.equal("us-west-2");
    const lines: string[] = [];
    await runDrill({ scenario: "switchover", mode: "dry-run", cwd: dir, log: (l) => lines.push(l) });
    expect(lines.find((l) => l.startsWith("# drill "))).to.match(/^# drill switchover --dry-run: us-west-2 -> us-east-1; nothing is changed/);
    // Only the primary's file records it: the drill says which files lag behind, with the commands.
    expect(lines.join("\n")).to.include("Pulumi.secondary.yaml says nothing").and.to.include("pulumi config set dr:activeRegion us-west-2 --stack secondary");
  });

  it("stack files that disagree on dr:activeRegion: the one recording a recovery wins (resolveActiveRegion), whichever file it is", () => {
    const dir = projectWith((t) => t.replace("dr:role: primary", "dr:role: primary\n  dr:activeRegion: us-west-2").replace("dr:role: secondary", "dr:role: secondary\n  dr:activeRegion: us-east-1"));
    expect(readProjectStacks(dir).activeRegion).to.equal("us-west-2");
    expect(readProjectStacks(dir).activeRegionWarning).to.include("Pulumi.secondary.yaml says us-east-1");
    // Files that agree (or name it once) work as before.
    expect(readProjectStacks(projectWith((t) => t.replace(/dr:role: (primary|secondary)/, (m) => `${m}\n  dr:activeRegion: us-west-2`))).activeRegion).to.equal("us-west-2");
  });

  it("operator mistakes are DrillErrors with the fix: unknown scenario, a fault outside simulation, a journal that exists, a resume in another mode", async () => {
    const log = () => undefined;
    expect(await failure(runDrill({ scenario: "restore-from-tape", mode: "dry-run", cwd: EXAMPLE_DIR, log }))).to.be.instanceOf(DrillError).and.to.have.property("message").that.includes("use one of switchover, failover, failback, dns, readiness, restore");
    expect((await failure(runDrill({ scenario: "switchover", mode: "dry-run", faults: ["throttling"], cwd: EXAMPLE_DIR, log }))).message).to.include("only applies with --simulate");
    const done = await simulate("dns");
    expect((await failure(runDrill({ scenario: "dns", mode: "simulate", cwd: EXAMPLE_DIR, journal: done.journalFile, log }))).message).to.include(`resume it with 'drill resume ${done.journalFile}'`);
    expect((await failure(resumeDrill(done.journalFile, { mode: "execute", log }))).message).to.include("resume it with --simulate");
    expect(fs.readdirSync(path.dirname(done.journalFile)).filter((f) => f.startsWith("drill-report-dns-"))).to.have.length(2);
  });
});

describe("drill inputs through the Automation API", () => {
  it("reads each stack's outputs in the project folder, and turns a failure into the fix", async () => {
    const asked: string[] = [];
    const files: Record<string, string> = FIXTURE_OUTPUTS;
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "automation", {}, async (dir, stack) => {
      asked.push(`${dir}:${stack}`);
      return JSON.parse(fs.readFileSync(files[stack], "utf8")) as Record<string, unknown>;
    });
    expect(asked).to.deep.equal([`${EXAMPLE_DIR}:primary`, `${EXAMPLE_DIR}:secondary`]);
    expect(inputs.primary.dbClusterArn).to.equal("arn:aws:rds:us-east-1:123456789012:cluster:orders-prod-us-east-1");
    const err = await failure(loadInputs(readProjectStacks(EXAMPLE_DIR), "automation", {}, async () => { throw new Error("no stack named 'primary' found"); }));
    expect(err).to.be.instanceOf(DrillInputError);
    expect(err.message).to.include("pulumi login").and.include("--outputs primary=<file>");
  });
});

describe("drill --execute", () => {
  it("asks first; a wrong answer changes nothing: no journal, no AWS client", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    const questions: string[] = [];
    let clients = 0;
    const result = await runDrill({
      scenario: "failover", mode: "execute", cwd: EXAMPLE_DIR, outputs: FIXTURE_OUTPUTS, journal, log: () => undefined,
      confirm: async (q) => (questions.push(q), false),
      awsCloud: () => { clients++; throw new Error("must not be built"); },
    });
    expect(result.exitCode).to.equal(4);
    expect(questions).to.have.length(1);
    expect(questions[0]).to.include("us-east-1 -> us-west-2").and.include('Type "failover"');
    expect(fs.existsSync(journal)).to.equal(false);
    expect(clients).to.equal(0);
  });
});

describe("drill journal", () => {
  it("writes JSON Lines of {at, step, event, operation, region[, detail]} with the events start, done, failed, skipped", async () => {
    const r = await simulate("failover", { faults: ["primary-region-down"] });
    const lines = fs.readFileSync(r.journalFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) {
      expect(Object.keys(l).filter((k) => k !== "detail")).to.deep.equal(["at", "step", "event", "operation", "region"]);
      expect(["start", "done", "failed", "skipped"]).to.include(l.event);
      expect(Number.isNaN(Date.parse(String(l.at)))).to.equal(false);
    }
    expect(lines.filter((l) => l.event === "skipped").map((l) => l.step)).to.deep.equal(["switch-on-secondary", "write-canary", "check-canary"]);
  });
});
