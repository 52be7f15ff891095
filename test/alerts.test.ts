/**
 * Alarms that reach a person (dr:alerts), with a runbook, covering backups, freshness, lag,
 * replication, health and capacity; thresholds that follow the active region; dashboards drawn from
 * the same alarm list; and `plan --strict` refusing a stack whose alarms reach nobody.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { RUNBOOK_ANCHORS } from "../components/observability/alarmCatalogue";
import { alertDestinations, PLACEHOLDER_ALERT_EMAIL } from "../components/observability/alertDestinations";
import { metricRow, showableIn } from "../components/observability/dashboardBody";
import { parseDrConfig } from "../stacks/configSchema";
import type { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { plannedAlarms, renderAlarms } from "../src/plan/alarms";
import { dashboardSvg, plannedDashboards } from "../src/plan/dashboard";
import type { PlanDocument } from "../src/plan/document";
import type { PlanResult } from "../src/plan/result";
import { runPlan } from "../src/plan/runPlan";
import { Deployment, deploymentFor, exampleDeployment, SWITCHED_OVER_STRATEGY } from "./harness/deployments";
import { examplePlan } from "./harness/examplePlan";
import { EXAMPLE_DIR, givenStackFile, PROJECT_DIR, resourcesOf } from "./harness/stack";
import { res, stackOf } from "./harness/policyResources";
import { alarmDestinationProblems } from "../policy/policies/alerting";
import type { StackView } from "../policy/model";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
type Inputs = Record<string, unknown>;
const dims = (a: RecordedResourceWithRegion) => (a.inputs.dimensions ?? {}) as Record<string, string>;
const arnOf = (r: RecordedResourceWithRegion) => String(r.outputs?.arn);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorsOf = (markdown: string) => [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, h]) => h.trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-"));

describe("dr:alerts: where alarms go", () => {
  const primary = (alerts: unknown) => ({ ...givenStackFile("primary"), "dr:alerts": JSON.stringify(alerts) });

  it("parses email and https destinations, each subscription keyed by protocol and a digest of the endpoint", () => {
    const c = parseDrConfig(primary({ email: ["a@example.com"], https: ["https://events.pagerduty.com/integration/abc/enqueue"] }), "t");
    const d = alertDestinations("alerts" in c ? c.alerts : undefined);
    expect(d.map((x) => [x.protocol, x.endpoint, x.autoConfirms])).to.deep.equal([
      ["email", "a@example.com", false],
      ["https", "https://events.pagerduty.com/integration/abc/enqueue", true],
    ]);
    expect(d[0].key).to.match(/^email-[0-9a-f]{8}$/);
    // A stable key, not a list position: reordering the list keeps every subscription's name.
    expect(alertDestinations({ email: ["b@example.com", "a@example.com"], https: [] })[1].key).to.equal(d[0].key);
  });

  it("refuses an address that is no email and a plain-http endpoint, naming the key, the value and the fix", () => {
    let message = "";
    try {
      parseDrConfig(primary({ email: ["oncall"], https: ["http://hooks.example.com/x"], slack: "x" }), "Pulumi.primary.yaml");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain('dr:alerts.email[0] = "oncall": is not an email address');
    expect(message).to.contain('dr:alerts.https[0] = "http://hooks.example.com/x": is not an https:// URL');
    expect(message).to.contain("dr:alerts").and.contain("unknown field(s) slack");
  });

  it("names a placeholder destination in every example stack file", () => {
    for (const stack of ["primary", "secondary", "links"])
      expect(JSON.parse(givenStackFile(stack)["dr:alerts"]).email, stack).to.deep.equal([PLACEHOLDER_ALERT_EMAIL]);
  });
});

describe("alarms on the evaluated example", function () {
  this.timeout(60_000);
  let example: Deployment;
  let plan: PlanResult;
  let stacks: [string, Evaluation][];
  before(async () => {
    [example, plan] = await Promise.all([exampleDeployment(), examplePlan()]);
    stacks = [["primary", example.primary], ["secondary", example.secondary], ["links", example.links]];
  });

  it("gives every SNS topic of every stack at least one subscription, created in the topic's own region", () => {
    let topics = 0;
    for (const [name, ev] of stacks) {
      for (const topic of resourcesOf(ev, TOPIC)) {
        topics++;
        const subs = resourcesOf(ev, SUBSCRIPTION).filter((s) => s.inputs.topic === arnOf(topic));
        expect(subs.length, `${name}: ${topic.name}`).to.be.greaterThan(0);
        // SNS keeps a subscription with its topic: made through another region's provider it would fail.
        for (const s of subs) expect(s.region, `${name}: ${s.name}`).to.equal(topic.region);
      }
    }
    // The primary's and secondary's region topics, the links stack's us-east-1 topic for the secondary's
    // health check, its Region switch plan events topics (us-east-1 and us-west-2, the plan's regions),
    // and one topic per region switch in its host region (the primary stack builds both).
    expect(topics).to.equal(7);
  });

  it("gives every alarm an action on a topic with a subscription, and a runbook link to a section that exists", () => {
    const runbook = fs.readFileSync(path.join(PROJECT_DIR, "runbooks", "alerts.md"), "utf8");
    const anchors = anchorsOf(runbook);
    expect(anchors).to.include.members([...RUNBOOK_ANCHORS]);
    const subscribedTopics = new Set(stacks.flatMap(([, ev]) => resourcesOf(ev, SUBSCRIPTION).map((s) => String(s.inputs.topic))));
    const alarms = stacks.flatMap(([name, ev]) => resourcesOf(ev, ALARM).map((a) => [name, a] as const));
    expect(alarms.length).to.be.greaterThan(30);
    for (const [name, a] of alarms) {
      const actions = a.inputs.alarmActions as string[];
      expect(actions.some((t) => subscribedTopics.has(t)), `${name}: ${a.name} notifies ${actions}`).to.equal(true);
      // The topic lives in the alarm's region (CloudWatch notifies topics of its own region only).
      for (const t of actions) expect(t.split(":")[3], a.name).to.equal(a.region);
      const link = /Runbook: (runbooks\/[\w.-]+\.md)#([a-z0-9-]+)/.exec(String(a.inputs.alarmDescription));
      expect(link, `${name}: ${a.name} has no runbook link`).to.not.equal(null);
      expect(fs.existsSync(path.join(PROJECT_DIR, link![1])), link![1]).to.equal(true);
      expect(anchors, `${a.name}: #${link![2]}`).to.include(link![2]);
      // AWS caps AlarmDescription at 1024 characters.
      expect(String(a.inputs.alarmDescription).length, a.name).to.be.at.most(1024);
    }
  });

  it("alarms on expired jobs and on freshness for every vault, and on copy freshness into every destination vault", () => {
    const all = stacks.flatMap(([, ev]) => resourcesOf(ev, ALARM));
    const vaults = stacks.flatMap(([, ev]) => resourcesOf(ev, "aws:backup/vault:Vault"));
    expect(vaults.map((v) => v.region)).to.have.members(["us-east-1", "us-west-2"]);
    for (const vault of vaults) {
      const name = String(vault.inputs.name);
      const on = (metric: string) => all.filter((a) => a.inputs.metricName === metric && dims(a).BackupVaultName === name);
      const expired = on("NumberOfBackupJobsExpired");
      expect(expired.map((a) => a.region), name).to.deep.equal([vault.region]);
      const fresh = on("NumberOfBackupJobsCompleted");
      // One Aurora cluster and one bucket per vault: freshness per protected resource.
      expect(fresh.map((a) => dims(a).ResourceType), name).to.have.members(["S3", "Aurora"]);
      for (const a of fresh) expect(a.region).to.equal(vault.region);
      // Copies INTO this vault run in the other region and are reported there under this (destination) vault's name.
      const copies = on("NumberOfCopyJobsCompleted");
      expect(copies.length, `copies into ${name}`).to.equal(1);
      expect(copies[0].region, name).to.not.equal(vault.region);
      // Silence means no completed job: breaching, hour by hour over the whole window.
      for (const a of [...fresh, ...copies]) expect(a.inputs).to.include({ treatMissingData: "breaching", comparisonOperator: "LessThanThreshold", threshold: 1, period: 3600 });
    }
  });

  it("states a missing-data rule for every alarm, by what silence means for its metric", () => {
    const rules: [RegExp, string][] = [
      [/HealthCheckStatus|GroupInServiceInstances|NumberOfBackupJobsCompleted|NumberOfCopyJobsCompleted/, "breaching"],
      [/AuroraGlobalDB|ReplicationLatency/, "missing"],
      [/Failed|Expired|Aborted|UnHealthyHostCount|5XX|CPUUtilization|FreeableMemory/, "notBreaching"],
      // A region switch: silence (no writer reaches the host region) changes nothing.
      [/RegionOff/, "ignore"],
      // An event rule pages on each event: no event, nothing to page on.
      [/^event aws\.arc-region-switch:/, "n/a: no event, no page"],
    ];
    for (const a of plannedAlarms(plan.document)) {
      const rule = rules.find(([pattern]) => pattern.test(a.metric));
      expect(rule, `${a.name}: ${a.metric} has no stated rule`).to.not.equal(undefined);
      expect(a.missingData, a.name).to.equal(rule![1]);
    }
  });

  it("exports every region stack's alarms and dashboard, what an operator opens in an outage", () => {
    for (const [name, ev] of stacks.slice(0, 2)) {
      const regional = ev.outputs.regional as { alarmArns: string[]; dashboardName: string; region: string };
      expect([...regional.alarmArns].sort(), name).to.deep.equal(resourcesOf(ev, ALARM).map(arnOf).sort());
      expect(regional.dashboardName).to.equal(`orders-prod-dr-${regional.region}`);
    }
  });

  it("exports the links stack's topics by the region their alarm watches", () => {
    const topics = example.links.outputs.alarmTopicArns as Record<string, string>;
    expect(Object.keys(topics)).to.deep.equal(["us-west-2"]);
    expect(topics["us-west-2"]).to.match(/^arn:aws:sns:us-east-1:/);
  });

  it("lists every alarm in the report with stack, region, metric, threshold, missing data, destination and runbook", () => {
    const alarms = plannedAlarms(plan.document);
    const report = fs.readFileSync(path.join(plan.outDir, "report.md"), "utf8");
    expect(report).to.contain("| stack | region | alarm | metric | threshold | missing data | destination | runbook |");
    expect(report).to.contain("Every alarm has a destination.");
    for (const a of alarms) expect(report, a.name).to.contain(`| ${a.stack} | ${a.region} | ${a.name} |`);
    const lag = alarms.find((a) => a.name.endsWith("us-west-2-aurora-replication-lag"))!;
    expect(lag).to.include({ threshold: "> 1000 for 3 x 60 s", missingData: "missing" });
    expect(lag.destinations).to.deep.equal([`email:${PLACEHOLDER_ALERT_EMAIL}`]);
  });

  it("draws one dashboard per region stack, in its region, naming only metrics an alarm of that region watches (Route 53's from us-east-1)", () => {
    const dashboards = plannedDashboards(plan.document);
    expect(dashboards.map((d) => [d.stack, d.region])).to.deep.equal([["primary", "us-east-1"], ["secondary", "us-west-2"]]);
    const alarms = plan.document.resources.filter((r) => r.type === ALARM);
    // Every metric an alarm of the plan reads, with the region it is published in (the alarm's).
    const alarmed = new Set(alarms.flatMap((a) => metricKeys(a.inputs, a.region)));
    for (const d of dashboards) {
      const widgets = d.body.widgets.filter((w) => w.type === "metric");
      const titles = widgets.map((w) => w.properties.title).join(" | ");
      // Each region shows the switch its CloudWatch holds (cloudwatch-alarm, the example's mechanism).
      for (const panel of [/health-check status/, /Region switch state/, /Aurora global database lag/, /Capacity per tier/, /Backup freshness/])
        expect(titles, d.region).to.match(panel);
      for (const w of widgets) {
        for (const row of w.properties.metrics) {
          const [namespace] = row as string[];
          expect(showableIn(d.region, { namespace, region: w.properties.region }), `${d.region}: ${row.join(" ")} from ${w.properties.region}`).to.equal(true);
          expect(alarmed.has(`${w.properties.region} ${rowKey(row)}`), `${d.region}: ${JSON.stringify(row)} is watched by no alarm in ${w.properties.region}`).to.equal(true);
        }
      }
      const states = d.body.widgets.find((w) => w.type === "alarm");
      const own = alarms.filter((a) => a.stack === d.stack && a.region === d.region).length;
      expect(states?.type === "alarm" && states.properties.alarms.length, d.region).to.equal(own);
    }
    // S3 latency is drawn where S3 publishes it: the secondary's dashboard (destination of the primary's rule).
    const secondary = dashboards.find((d) => d.stack === "secondary")!;
    expect(JSON.stringify(secondary.body)).to.contain("ReplicationLatency");
  });

  it("matches the committed docs/dashboard-<region>.svg pictures (regenerate with `npm run diagram`)", () => {
    for (const d of plannedDashboards(plan.document)) {
      const committed = fs.readFileSync(path.join(PROJECT_DIR, "docs", `dashboard-${d.region}.svg`), "utf8");
      expect(committed === dashboardSvg(d), `docs/dashboard-${d.region}.svg is not what the plan draws: run \`npm run diagram\``).to.equal(true);
    }
  });
});

/** A dashboard row as a key: the order of dimensions does not change the metric. */
function rowKey(row: readonly unknown[]): string {
  const [namespace, name, ...rest] = row.filter((c): c is string => typeof c === "string");
  const pairs: string[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) pairs.push(`${rest[i]}=${rest[i + 1]}`);
  return JSON.stringify([namespace, name, pairs.sort(), row.find((c) => typeof c === "object")]);
}

/** Each metric an alarm's inputs name, keyed like a dashboard row and its region. */
function metricKeys(inputs: Inputs, region: string): string[] {
  const one = (m: Inputs, stat: unknown) => `${region} ${rowKey(metricRow({ namespace: String(m.namespace), metricName: String(m.metricName), dimensions: (m.dimensions ?? {}) as Record<string, string>, stat: String(stat), region }))}`;
  if (inputs.metricName) return [one(inputs, inputs.statistic)];
  return ((inputs.metricQueries ?? []) as { metric?: Inputs }[]).filter((q) => q.metric).map((q) => one(q.metric!, q.metric!.stat));
}

describe("alarms that follow the active region", function () {
  this.timeout(60_000);
  let example: Deployment;
  let switched: Deployment;
  before(async () => {
    [example, switched] = await Promise.all([exampleDeployment(), deploymentFor(SWITCHED_OVER_STRATEGY)]);
  });
  const required = (ev: Evaluation, tier: string) => {
    const alarm = resourcesOf(ev, ALARM, new RegExp(`-alarms-${tier}-in-service$`))[0];
    return ((alarm.inputs.metricQueries as { id: string; expression?: string }[]).find((q) => q.id === "required")!).expression;
  };

  it("requires the standby's own count while the primary serves, and the full configured count once dr:activeRegion fails over", () => {
    const full = (JSON.parse(givenStackFile("secondary")["dr:capacity"]) as Record<string, { desired: number }>);
    // Warm standby: ceil(3 / 3) = 1 in service while the primary serves.
    expect(required(example.secondary, "web")).to.equal("IF(FILL(desired, 0) > 1, FILL(desired, 0), 1)");
    // Failed over (dr:activeRegion = us-west-2): the secondary must hold its full configured desired count.
    for (const tier of ["web", "app"])
      expect(required(switched.secondary, tier)).to.equal(`IF(FILL(desired, 0) > ${full[tier].desired}, FILL(desired, 0), ${full[tier].desired})`);
  });
});

describe("plan --strict and alarms that reach nobody", function () {
  this.timeout(60_000);
  let result: PlanResult;
  let doc: PlanDocument;
  before(async () => {
    // The primary alone, without dr:alerts, after a failover to us-west-2: its member is being rebuilt as a secondary.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-no-alerts-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const file = parse(fs.readFileSync(path.join(EXAMPLE_DIR, "Pulumi.primary.yaml"), "utf8")) as { config: Record<string, unknown> };
    delete file.config["dr:alerts"];
    file.config["dr:activeRegion"] = "us-west-2";
    fs.writeFileSync(path.join(dir, "Pulumi.primary.yaml"), stringify(file));
    result = await runPlan({ projectDir: dir, stacks: ["primary"], strict: true });
    doc = result.document;
  });

  it("refuses the stack, naming it and the config key", () => {
    const failure = result.strictFailures.join("\n");
    expect(failure).to.contain("[alarm-destinations] primary:");
    expect(failure).to.contain("stack primary has alarms").and.contain("has no subscription").and.contain("dr:alerts").and.contain("Pulumi.primary.yaml");
  });

  it("flags every alarm without a destination in the report", () => {
    const alarms = plannedAlarms(doc);
    expect(alarms.every((a) => a.destinations.length === 0)).to.equal(true);
    const section = renderAlarms(alarms);
    expect(section).to.contain(`**${alarms.length} alarm(s) without a destination**`);
    expect(section).to.contain("| **NONE** |");
  });

  it("keeps a demoted member's lag alarms evaluating but notifying nobody while it rebuilds", () => {
    const lag = doc.resources.filter((r) => r.type === ALARM && /AuroraGlobalDB/.test(String(r.inputs.metricName)));
    expect(lag.map((a) => a.inputs.metricName)).to.have.members(["AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag"]);
    for (const a of lag) {
      expect(a.inputs.actionsEnabled, a.name).to.equal(false);
      expect(String(a.inputs.alarmDescription)).to.contain("Notifications off").and.contain("rebuilt as a secondary");
    }
    // Every other alarm still pages.
    for (const a of doc.resources.filter((r) => r.type === ALARM && !lag.includes(r))) expect(a.inputs.actionsEnabled, a.name).to.not.equal(false);
  });

  it("pages for lag on every member of the example, where no member is rebuilding", async () => {
    const example = await exampleDeployment();
    const lag = [example.primary, example.secondary].flatMap((ev) => resourcesOf(ev, ALARM).filter((a) => /AuroraGlobalDB/.test(String(a.inputs.metricName))));
    expect(lag).to.have.length(4);
    for (const a of lag) expect(a.inputs.actionsEnabled, a.name).to.equal(true);
  });
});

describe("policy alarm-destinations", () => {
  const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:orders-alarms-topic";
  const topic = res("aws:sns/topic:Topic", "orders-alarms-topic", {}, { outputs: { arn: TOPIC_ARN } });
  const alarm = (name: string, actions: string[], stack = "primary") => res(ALARM, name, { alarmActions: actions }, { stack });
  const sub = (region: string) => res(SUBSCRIPTION, `sub-${region}`, { topic: TOPIC_ARN, protocol: "email", endpoint: "a@example.com" }, { region, deps: { topic: [topic.urn] } });
  const problems = (stack: StackView, peers?: StackView[]) => alarmDestinationProblems(stack, peers).map((p) => p.message);

  it("passes a topic subscribed in its own region, and finds the subscription at a first preview by property dependency alone", () => {
    expect(problems(stackOf([topic, sub("us-east-1"), alarm("a", [TOPIC_ARN])]))).to.deep.equal([]);
    const preview = res(SUBSCRIPTION, "sub", { protocol: "email", endpoint: "a@example.com" }, { deps: { topic: [topic.urn] } });
    // At a first preview the ARNs are unknown: the alarm's action and the subscription's topic are property dependencies.
    expect(problems(stackOf([topic, preview, res(ALARM, "a", {}, { deps: { alarmActions: [topic.urn] } })]))).to.deep.equal([]);
  });

  it("refuses a topic without a subscription, or subscribed only through another region, naming the stack and dr:alerts", () => {
    for (const subs of [[], [sub("us-west-2")]]) {
      const [message] = problems(stackOf([topic, ...subs, alarm("a", [TOPIC_ARN])]));
      expect(message).to.contain("stack primary has alarms").and.contain("no subscription").and.contain("dr:alerts").and.contain("Pulumi.primary.yaml");
    }
  });

  it("refuses an alarm with no action, and an alarm on a peer stack's topic that reaches nobody, naming the owner's file", () => {
    expect(problems(stackOf([topic, sub("us-east-1"), alarm("silent", [])]))[0]).to.contain("MetricAlarm silent has no alarm action");
    const links = stackOf([alarm("s3-failed", [TOPIC_ARN], "links")], { stack: "links", role: "links" });
    expect(problems(links, [stackOf([topic, sub("us-east-1")])])).to.deep.equal([]);
    const [message] = problems(links, [stackOf([topic])]);
    expect(message).to.contain("stack links: MetricAlarm s3-failed notifies Topic orders-alarms-topic of stack primary").and.contain("Pulumi.primary.yaml");
    // CrossGuard sees one stack: without peers the peer's topic is not judged.
    expect(problems(links)).to.deep.equal([]);
  });
});
