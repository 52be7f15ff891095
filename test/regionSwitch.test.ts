import { expect } from "chai";
import { DR_STRATEGIES, DrStrategy } from "../components/strategy";
import { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { ConfigError, parseStackConfig } from "../stacks/configSchema";
import { validateStackSet } from "../stacks/stackSet";
import { formatReadiness, readinessByStrategy, regionSwitchCost, regionSwitchCosts } from "../src/model/readiness";
import { readStackConfig } from "../src/engine/stackFiles";
import { ARC_SWITCH, arcDeployment, deploymentFor, exampleDeployment } from "./harness/deployments";
import { foreignRegionUse } from "./harness/staticStability";
import { EXAMPLE_DIR, failureOf, givenStackFile, oneOf, PRIMARY_STACK_REF, resourcesOf, whenEvaluated, withOverrides } from "./harness/stack";

/**
 * Issue 16, infrastructure half: every region's record health is the AND of its endpoint check and
 * a switch whose state is held outside the region. Asserted on what Route 53 and CloudWatch would
 * receive, for every strategy (the shared deployments), both mechanisms (ARC's deployment shared: harness/deployments.ts).
 */
const HEALTH = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PRIMARY_REGION = givenStackFile("primary")["aws:region"];
const SECONDARY_REGION = givenStackFile("secondary")["aws:region"];
const ARC = ARC_SWITCH;

type Ev = Evaluation;
const checkById = (evs: readonly Ev[], id: string): RecordedResourceWithRegion | undefined =>
  evs.flatMap((e) => resourcesOf(e, HEALTH)).find((h) => h.id === id);
/** The shared-name record of a stack (failover or latency member); undefined for a regional-only region. */
const sharedRecord = (ev: Ev) => resourcesOf(ev, RECORD).find((r) => r.inputs.setIdentifier !== undefined);

/**
 * Why a record's health is not AND(endpoint, switch held outside `region`), or [] when it is. `evs`:
 * every stack evaluated (a secondary's switch check lives in the primary's evaluation).
 */
function recordHealthProblems(ev: Ev, region: string, evs: readonly Ev[]): string[] {
  const record = sharedRecord(ev);
  if (!record) return [`${ev.stack}: no shared record`];
  const calc = checkById(evs, String(record.inputs.healthCheckId));
  if (!calc) return [`${ev.stack}: record health ${record.inputs.healthCheckId} not found`];
  const problems: string[] = [];
  const children = (calc.inputs.childHealthchecks as string[]).map((id) => checkById(evs, id));
  // Route 53: HealthThreshold above the child count = always unhealthy; AND of two = 2.
  if (calc.inputs.type !== "CALCULATED" || calc.inputs.childHealthThreshold !== 2 || children.length !== 2) problems.push(`${ev.stack}: not a CALCULATED check with threshold 2 over 2 children: ${JSON.stringify(calc.inputs)}`);
  // A calculated check cannot be a child of another.
  if (children.some((c) => !c || c.inputs.type === "CALCULATED")) problems.push(`${ev.stack}: a child is missing or CALCULATED`);
  const endpoint = children.find((c) => c?.inputs.type === "HTTPS");
  if (!endpoint || endpoint.inputs.fqdn !== `${region}.${record.inputs.name}`) problems.push(`${ev.stack}: no HTTPS child on ${region}.${record.inputs.name}`);
  const sw = children.find((c) => c && c !== endpoint);
  const heldOutside = sw?.inputs.type === "RECOVERY_CONTROL" || (sw?.inputs.type === "CLOUDWATCH_METRIC" && typeof sw.inputs.cloudwatchAlarmRegion === "string" && sw.inputs.cloudwatchAlarmRegion !== region);
  if (!heldOutside) problems.push(`${ev.stack}: the switch child ${JSON.stringify(sw?.inputs)} is not held outside ${region}`);
  // The alias still evaluates the ALB's target health: both must pass.
  if (!(record.inputs.aliases as Array<{ evaluateTargetHealth: boolean }>).every((a) => a.evaluateTargetHealth === true)) problems.push(`${ev.stack}: alias without evaluateTargetHealth`);
  return problems;
}

describe("region switch: every record's health is endpoint AND a switch held outside its region", function () {
  this.timeout(120_000);
  const deployments = new Map<DrStrategy, { primary: Ev; secondary: Ev; links: Ev }>();
  let arc: { primary: Ev; secondary: Ev };
  const exampleAndArc = () => [deployments.get("warm-standby")!.primary, deployments.get("warm-standby")!.secondary, arc.primary, arc.secondary];

  before(async () => {
    for (const strategy of DR_STRATEGIES) deployments.set(strategy, await deploymentFor(strategy));
    arc = await arcDeployment();
  });

  for (const strategy of DR_STRATEGIES) {
    it(`${strategy}: the primary's and the secondary's records take a CALCULATED AND(endpoint, switch held elsewhere)`, () => {
      const d = deployments.get(strategy)!;
      const evs = [d.primary, d.secondary];
      expect(recordHealthProblems(d.primary, PRIMARY_REGION, evs)).to.deep.equal([]);
      expect(recordHealthProblems(d.secondary, SECONDARY_REGION, evs)).to.deep.equal([]);
      const roles = [d.primary, d.secondary].map((e) => (sharedRecord(e)!.inputs.failoverRoutingPolicies as Array<{ type: string }> | undefined)?.[0]?.type ?? "latency");
      expect(roles).to.deep.equal(strategy === "active-active" ? ["latency", "latency"] : ["PRIMARY", "SECONDARY"]);
    });
  }

  describe("cloudwatch-alarm (the default, the example files)", () => {
    let d: { primary: Ev; secondary: Ev; links: Ev };
    before(async () => {
      d = await exampleDeployment();
    });
    const switchAlarms = (ev: Ev) => resourcesOf(ev, ALARM).filter((a) => a.inputs.namespace === "DR/RegionSwitch");

    it("hosts the primary's switch in the first secondary's region and the secondary's in the primary's, both built by the primary", () => {
      const hosts = Object.fromEntries(switchAlarms(d.primary).map((a) => [(a.inputs.dimensions as Record<string, string>).Region, a.region]));
      expect(hosts).to.deep.equal({ [PRIMARY_REGION]: SECONDARY_REGION, [SECONDARY_REGION]: PRIMARY_REGION });
      for (const ev of [d.secondary, d.links]) expect(switchAlarms(ev), ev.stack).to.deep.equal([]);
    });

    // Route 53 reads alarms on standard-resolution metrics only, with Average, Minimum, Maximum, Sum
    // or SampleCount (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html);
    // standard periods are multiples of 60 s, and period x evaluation periods at most one day
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    it("alarms in a shape Route 53 accepts: Maximum over 60 s, one period, >= 1 is off, missing data ignored", () => {
      for (const a of switchAlarms(d.primary)) {
        expect(a.inputs, a.name).to.include({ metricName: "RegionOff", statistic: "Maximum", period: 60, evaluationPeriods: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissingData: "ignore" });
        expect(["Average", "Minimum", "Maximum", "Sum", "SampleCount"]).to.include(a.inputs.statistic);
        expect(Number(a.inputs.period) % 60, a.name).to.equal(0);
        expect(Number(a.inputs.period) * Number(a.inputs.evaluationPeriods)).to.be.at.most(86_400);
        for (const field of ["extendedStatistic", "metricQueries", "thresholdMetricId"]) expect(a.inputs, field).to.not.have.property(field);
        expect(a.inputs.name).to.equal(`orders-prod-switch-${(a.inputs.dimensions as Record<string, string>).Region}`);
      }
    });

    it("watches each alarm with a CLOUDWATCH_METRIC check in the alarm's region, last known status on no data, replaced when the alarm changes", () => {
      const checks = resourcesOf(d.primary, HEALTH).filter((h) => h.inputs.type === "CLOUDWATCH_METRIC");
      expect(checks).to.have.length(2);
      for (const h of checks) {
        const alarm = switchAlarms(d.primary).find((a) => a.inputs.name === h.inputs.cloudwatchAlarmName)!;
        expect(alarm, h.name).to.not.equal(undefined);
        expect(h.inputs.cloudwatchAlarmRegion).to.equal(alarm.region);
        // New checks without a last status are healthy: a deploy switches nothing off.
        expect(h.inputs.insufficientDataHealthStatus).to.equal("LastKnownStatus");
        expect(JSON.parse(String((h.inputs.triggers as Record<string, string>).alarm))).to.include({ statistic: "Maximum", threshold: 1, period: 60 });
        expect(h.dependsOn).to.include(alarm.urn);
      }
    });

    it("exports every switch through the contract, and each region's record health next to its endpoint check", () => {
      const exported = d.primary.outputs.regionSwitch as { mechanism: string; switches: Record<string, { healthCheckId: string; hostRegion: string; alarmName: string }> };
      expect(exported.mechanism).to.equal("cloudwatch-alarm");
      expect(Object.keys(exported.switches).sort()).to.deep.equal([PRIMARY_REGION, SECONDARY_REGION].sort());
      for (const [region, s] of Object.entries(exported.switches)) {
        const check = checkById([d.primary], s.healthCheckId)!;
        expect(check.inputs).to.include({ type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: s.alarmName, cloudwatchAlarmRegion: s.hostRegion });
        expect(s.hostRegion, region).to.not.equal(region);
      }
      for (const ev of [d.primary, d.secondary]) {
        const regional = ev.outputs.regional as { healthCheckId: string; recordHealthCheckId: string };
        expect(sharedRecord(ev)!.inputs.healthCheckId, ev.stack).to.equal(regional.recordHealthCheckId);
        expect(checkById([ev], regional.healthCheckId)!.inputs.type, ev.stack).to.equal("HTTPS");
      }
    });

    it("keeps the secondary static: its switch is an id from the primary's exports, nothing of it in another region", () => {
      expect(resourcesOf(d.secondary, "pulumi:providers:aws").map((p) => p.inputs.region)).to.deep.equal([SECONDARY_REGION]);
      expect(foreignRegionUse(d.secondary, SECONDARY_REGION)).to.deep.equal([]);
      expect(resourcesOf(d.secondary, HEALTH).map((h) => h.inputs.type).sort()).to.deep.equal(["CALCULATED", "HTTPS"]);
    });
  });

  describe("arc-routing-control (evaluated once)", () => {
    const arcOf = (type: string) => resourcesOf(arc.primary, `aws:route53recoverycontrol/${type}`);

    it("builds one cluster and control panel, a routing control per region, and an 'at least one On' assertion over all of them", () => {
      const cluster = oneOf(arc.primary, "aws:route53recoverycontrol/cluster:Cluster");
      const panel = oneOf(arc.primary, "aws:route53recoverycontrol/controlPanel:ControlPanel");
      expect(panel.inputs.clusterArn).to.equal(cluster.outputs.arn);
      const controls = arcOf("routingControl:RoutingControl");
      expect(controls.map((c) => c.inputs.name).sort()).to.deep.equal([`orders-prod-${PRIMARY_REGION}`, `orders-prod-${SECONDARY_REGION}`].sort());
      for (const c of controls) expect(c.inputs).to.include({ clusterArn: cluster.outputs.arn, controlPanelArn: panel.outputs.arn });
      // Assertion rule: ruleConfig {type ATLEAST|AND|OR, threshold, inverted}; ATLEAST 1 not inverted = at least one On
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-route53recoverycontrol-safetyrule-ruleconfig.html).
      const rule = oneOf(arc.primary, "aws:route53recoverycontrol/safetyRule:SafetyRule");
      expect(rule.inputs.ruleConfig).to.deep.equal({ type: "ATLEAST", threshold: 1, inverted: false });
      expect((rule.inputs.assertedControls as string[]).slice().sort()).to.deep.equal(controls.map((c) => c.outputs.arn).sort());
      expect(rule.inputs).to.not.have.property("gatingControls");
      expect(rule.inputs.controlPanelArn).to.equal(panel.outputs.arn);
      expect(rule.inputs.waitPeriodMs).to.be.a("number").and.greaterThan(0);
    });

    // RECOVERY_CONTROL checks take the routing control's ARN and no endpoint settings
    // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
    it("watches each control with a RECOVERY_CONTROL check that is the switch child of its region's record health", () => {
      const checks = resourcesOf(arc.primary, HEALTH).filter((h) => h.inputs.type === "RECOVERY_CONTROL");
      expect(checks).to.have.length(2);
      const controls = arcOf("routingControl:RoutingControl").map((c) => c.outputs.arn);
      for (const h of checks) {
        expect(controls).to.include(h.inputs.routingControlArn);
        for (const field of ["requestInterval", "failureThreshold", "measureLatency", "cloudwatchAlarmName", "fqdn"]) expect(h.inputs, field).to.not.have.property(field);
      }
      const evs = [arc.primary, arc.secondary];
      expect(recordHealthProblems(arc.primary, PRIMARY_REGION, evs)).to.deep.equal([]);
      expect(recordHealthProblems(arc.secondary, SECONDARY_REGION, evs)).to.deep.equal([]);
      expect(resourcesOf(arc.primary, ALARM).filter((a) => a.inputs.namespace === "DR/RegionSwitch")).to.deep.equal([]);
    });

    it("exports the cluster's endpoints, the control panel and each region's routing control; the secondary stays static", () => {
      const exported = arc.primary.outputs.regionSwitch as { mechanism: string; clusterEndpoints: Array<{ endpoint: string; region: string }>; controlPanelArn: string; switches: Record<string, { routingControlArn: string; healthCheckId: string }> };
      expect(exported.mechanism).to.equal("arc-routing-control");
      expect(exported.clusterEndpoints).to.have.length(5);
      expect(exported.controlPanelArn).to.equal(oneOf(arc.primary, "aws:route53recoverycontrol/controlPanel:ControlPanel").outputs.arn);
      for (const s of Object.values(exported.switches)) expect(checkById([arc.primary], s.healthCheckId)!.inputs.routingControlArn).to.equal(s.routingControlArn);
      expect(foreignRegionUse(arc.secondary, SECONDARY_REGION)).to.deep.equal([]);
    });

    it("refuses a secondary naming another mechanism than its primary built, naming dr:regionSwitch and the fix", async () => {
      const message = await failureOf(() => whenEvaluated("secondary", givenStackFile("secondary"), { [PRIMARY_STACK_REF]: arc.primary.outputs }));
      expect(message).to.contain("dr:regionSwitch").and.contain("cloudwatch-alarm").and.contain("arc-routing-control").and.contain("same dr:regionSwitch.mechanism in every stack file");
    });
  });

  // `pulumi up` must never reset a switch a drill changed: no resource input holds a switch's state.
  it("holds no switch state in any resource input (metric data and routing-control state stay outside Pulumi)", () => {
    const all = [...deployments.values()].flatMap((d) => [d.primary, d.secondary, d.links]).concat([arc.primary, arc.secondary]).flatMap((e) => e.resources);
    // No resource writes metric data or a routing-control state.
    expect(all.filter((r) => /MetricData|RoutingControlState|routingControlState/i.test(r.type)).map((r) => r.type)).to.deep.equal([]);
    for (const r of all.filter((x) => x.type.startsWith("aws:route53recoverycontrol/"))) expect(Object.keys(r.inputs).filter((k) => /state/i.test(k)), r.name).to.deep.equal([]);
    // A disabled or inverted check would be a second switch that every deploy resets.
    for (const h of all.filter((x) => x.type === HEALTH)) {
      expect(h.inputs.disabled ?? false, h.name).to.equal(false);
      expect(h.inputs.invertHealthcheck ?? false, h.name).to.equal(false);
    }
    // The records' health never follows dr:activeRegion: backup-restore's deployment is switched over.
    const switched = deployments.get("backup-restore")!;
    expect((sharedRecord(switched.primary)!.inputs.failoverRoutingPolicies as Array<{ type: string }>)[0].type).to.equal("PRIMARY");
  });

  // https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: letters, digits, spaces and _ . : / = + - @.
  it("names every health check with a Name tag AWS accepts", () => {
    const checks = [...exampleAndArc()].flatMap((e) => resourcesOf(e, HEALTH));
    expect(checks.length).to.be.greaterThan(4);
    for (const h of checks) expect((h.inputs.tags as Record<string, string>).Name, h.name).to.match(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u);
  });

  describe("stack files", () => {
    const parsed = (stack: string, overrides: Record<string, unknown> = {}) => ({ stack, config: parseStackConfig(withOverrides(readStackConfig(EXAMPLE_DIR, stack), overrides), `Pulumi.${stack}.yaml`) });

    it("state the mechanism explicitly in both example files", () => {
      for (const stack of ["primary", "secondary"]) expect(JSON.parse(readStackConfig(EXAMPLE_DIR, stack)["dr:regionSwitch"])).to.deep.equal({ mechanism: "cloudwatch-alarm" });
    });

    it("refuses a set whose files name different mechanisms, naming each file, its value and the fix", () => {
      expect(() => validateStackSet([parsed("primary"), parsed("secondary")])).to.not.throw();
      expect(() => validateStackSet([parsed("primary"), parsed("secondary", ARC)])).to.throw(Error)
        .with.property("message").that.contains("Pulumi.primary.yaml: dr:regionSwitch.mechanism is cloudwatch-alarm")
        .and.contains("Pulumi.secondary.yaml: dr:regionSwitch.mechanism is arc-routing-control")
        .and.contains("pulumi config set --path dr:regionSwitch.mechanism cloudwatch-alarm")
        .and.contains("(the primary, stack primary, builds every region's switch, so all must name one mechanism)")
        .and.not.match(/\b(primary|secondary|stack) \1\b/);
    });

    it("refuses an unknown mechanism with one clear error naming the key, the value and the choices", () => {
      let error: unknown;
      try {
        parseStackConfig(withOverrides(readStackConfig(EXAMPLE_DIR, "primary"), { "dr:regionSwitch": { mechanism: "dns-weights" } }), "Pulumi.primary.yaml");
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.contain("dr:regionSwitch.mechanism").and.contain("dns-weights").and.contain("cloudwatch-alarm, arc-routing-control");
    });
  });

  describe("cost (the readiness table's switch rows)", () => {
    // List prices written here: Route 53 health check $0.50/month, CloudWatch standard alarm $0.10
    // and custom metric $0.30 a month, ARC cluster $2.50/hour, 730 h a month.
    it("prices each mechanism per month: a few dollars for CloudWatch, the ARC cluster-hours for ARC", () => {
      expect(regionSwitchCost("cloudwatch-alarm", 2).usdPerMonth).to.be.closeTo(2 * (0.1 + 0.3) + 4 * 0.5, 0.001);
      expect(regionSwitchCost("arc-routing-control", 2).usdPerMonth).to.be.closeTo(730 * 2.5 + 4 * 0.5, 0.001);
      expect(regionSwitchCost("cloudwatch-alarm", 3)).to.include({ alarms: 3, metrics: 3, healthChecks: 6, clusterHours: 0 });
    });

    it("adds one row per mechanism to the readiness table, the configured one marked", () => {
      const primary = parseStackConfig(readStackConfig(EXAMPLE_DIR, "primary"), "primary");
      const secondary = parseStackConfig(readStackConfig(EXAMPLE_DIR, "secondary"), "secondary");
      const table = formatReadiness(readinessByStrategy(primary, secondary), secondary.strategy, { costs: regionSwitchCosts(primary), configured: "cloudwatch-alarm" });
      expect(table).to.contain("| region switch (any strategy): **cloudwatch-alarm** (configured, in the totals) | - | - | - | - | 2.80 |");
      expect(table).to.contain("| region switch (any strategy): arc-routing-control | - | - | - | - | 1827.00 |");
      // The configured mechanism's charges are rows of every strategy's cost, with their sources.
      expect(table).to.contain("| region switch: CloudWatch alarms (one per region, hosted outside it) | 2 | alarm-months | 0.1 | 0.20 | https://aws.amazon.com/cloudwatch/pricing/ |");
      expect(table).to.contain("| region switch: Route 53 switch and calculated record checks (two per region) | 4 | health-check-months | 0.5 | 2.00 | https://aws.amazon.com/route53/pricing/ |");
    });
  });
});
