/** `dr drill switch`: every region's switch, and one region switched in or out of DNS, for any strategy. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Cloud, RegionSwitch, SwitchState } from "../../src/drills/cloud";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { checkSwitchesOn } from "../../src/drills/scenarios/switch";
import { StepContext } from "../../src/drills/step";
import { dr, EXAMPLE_DIR, PROJECT_DIR, projectWith, threeRegionWith } from "./harness";

describe("dr drill switch", function () {
  this.timeout(10_000);

  it("without arguments, shows every region's switch, where it lives and which record the region holds", async () => {
    const { code, out } = await dr("drill", "switch", "--simulate", "--cwd", EXAMPLE_DIR);
    expect(code).to.equal(0);
    // The primary's switch lives in the first secondary, the secondary's in the primary's region (components/dns/regionSwitch.ts).
    expect(out).to.deep.equal([
      "us-east-1 (stack primary, PRIMARY): switch on — cloudwatch-alarm, alarm orders-prod-switch-us-east-1 in us-west-2",
      "us-west-2 (stack secondary, SECONDARY): switch on — cloudwatch-alarm, alarm orders-prod-switch-us-west-2 in us-east-1",
    ]);
    const dry = await dr("drill", "switch", "--cwd", EXAMPLE_DIR);
    // Offline the default shows calls, not states, and says so, with the modes that show them.
    expect(dry.out[0]).to.match(/^# drill switch --dry-run \(the default\): the calls that would read every region's switch; no switch is read and nothing is changed\. To see the states: --execute .* or --simulate/);
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const row = readme.split("\n").find((l) => l.startsWith("| `switch` |"))!;
    expect(row).to.contain("`drill switch --execute` shows every region's switch").and.contain("the default `--dry-run` only prints the calls");
    expect(dry.out.filter((l) => !l.startsWith("#"))).to.deep.equal([
      'us-west-2 CloudWatch.DescribeAlarms AlarmNames=["orders-prod-switch-us-east-1"]',
      'us-east-1 CloudWatch.DescribeAlarms AlarmNames=["orders-prod-switch-us-west-2"]',
    ]);
  });

  it("switch <region> off writes 1 in the host region, waits until it reads off and shows the states; it works for a backup-restore pair", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: backup-restore"));
    const { code, out } = await dr("drill", "switch", "us-east-1", "off", "--simulate", "--cwd", dir);
    expect(code).to.equal(0);
    expect(out).to.include("- switch-off-primary (us-west-2): switch us-east-1 off: its record loses DNS whatever its load balancer answers, until it is switched on");
    expect(out).to.include("us-east-1 (stack primary, PRIMARY): switch off — cloudwatch-alarm, alarm orders-prod-switch-us-east-1 in us-west-2");
    const dry = await dr("drill", "switch", "us-east-1", "off", "--cwd", dir);
    expect(dry.code).to.equal(0);
    expect(dry.out).to.include("# by hand: aws cloudwatch put-metric-data --region us-west-2 --namespace DR/RegionSwitch --metric-name RegionOff --dimensions App=orders-prod,Region=us-east-1 --storage-resolution 60 --value 1");
  });

  it("switching a region that holds no failover record (a third region) says DNS does not change", async () => {
    const dir = threeRegionWith({});
    const third = readProjectStacks(dir).others.find((s) => s.stack === "tertiary")!.config.region;
    const { code, out } = await dr("drill", "switch", third, "off", "--simulate", "--cwd", dir);
    expect(code, out.join("\n")).to.equal(0);
    const step = out.find((l) => l.startsWith("- switch-off-tertiary"));
    expect(step).to.contain("holds no failover record yet, so DNS does not change");
    expect(step).to.not.contain("its record loses DNS");
    expect(out).to.include(`${third} (stack tertiary, no failover record): switch off — cloudwatch-alarm, alarm orders-prod-switch-${third} in us-east-1`);
  });

  it("refuses bad arguments with the fix, and --execute asks first", async () => {
    const bad = await dr("drill", "switch", "eu-central-1", "off", "--simulate", "--cwd", EXAMPLE_DIR);
    expect(bad.code).to.equal(1);
    expect(bad.err.join("\n")).to.include("not a region of this deployment; use one of us-east-1, us-west-2");
    const word = await dr("drill", "switch", "us-east-1", "down", "--simulate", "--cwd", EXAMPLE_DIR);
    expect(word.err.join("\n")).to.include("say on or off");
  });

  it("switch.md names the steps of 'drill switch <region> off' in order and covers reading the state, the cost and break-glass", async () => {
    const { out } = await dr("drill", "switch", "us-east-1", "off", "--cwd", EXAMPLE_DIR);
    const steps = out.filter((l) => /^# \d+\. /.test(l)).map((l) => l.split(" ")[2]);
    const text = fs.readFileSync(path.join(PROJECT_DIR, "runbooks", "switch.md"), "utf8");
    const listed = [...text.matchAll(/^### \d+\. `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect(listed).to.deep.equal(steps);
    expect(steps).to.deep.equal(["check-other-switch", "switch-off-primary", "confirm-switches"]);
    for (const must of ["describe-alarms", "get-routing-control-state", "SafetyRulesToOverride", "../README.md#region-switch-in-the-drills", "us-east-1", "## When a step fails"]) expect(text, must).to.include(must);
    expect(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")).to.match(/^### Region switch in the drills$/m);
  });
});

describe("readiness check-switches", () => {
  it("fails on a region switched off and on a switch whose state is unknown (no datum since its alarm was created or changed), with the command that fixes it", async () => {
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const states: Record<string, SwitchState> = { "us-east-1": "off", "us-west-2": "unknown" };
    const cloud = { getRegionSwitch: async (s: RegionSwitch) => states[s.region] } as unknown as Cloud;
    const problem = await checkSwitchesOn(inputs).precondition!({ inputs, cloud } as unknown as StepContext);
    expect(problem).to.include("switched off: us-east-1").and.to.include("state unknown: us-west-2").and.to.include("fix: npm run dr -- drill switch <region> on");
    states["us-east-1"] = states["us-west-2"] = "on";
    expect(await checkSwitchesOn(inputs).precondition!({ inputs, cloud } as unknown as StepContext)).to.equal(undefined);
  });
});
