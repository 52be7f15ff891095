import { expect } from "chai";
import * as fc from "fast-check";
import { stackCapacity } from "../components/compute/capacity";
import { readStackConfig } from "../src/engine/stackFiles";
import { estimateRecovery, formatRecovery } from "../src/model/recovery";
import { failoverTimings } from "../src/model/timeline";
import { recoverySection } from "../src/plan/recovery";
import type { PlannedStack } from "../src/plan/stackSet";
import { DrStrategy, parseStackConfig, StackConfig } from "../stacks/configSchema";
import { ALIAS_TTL, AURORA_FAILOVER, CONNECT_TIMEOUT, DB_INSTANCE_CREATE, FRESH_LAUNCH, WARM_POOL_START } from "./harness/citedFigures";
import { EXAMPLE_DIR } from "./harness/paths";

const PRIMARY = parseStackConfig(readStackConfig(EXAMPLE_DIR, "primary"), "Pulumi.primary.yaml");
const SECONDARY = parseStackConfig(readStackConfig(EXAMPLE_DIR, "secondary"), "Pulumi.secondary.yaml");

// Cited figures, written here rather than read from the model, so a changed constant fails a test.
/** A newly registered ALB target serves after one passing check, at most one interval (ALB target-group health checks). */
const NEW_TARGET_CHECKS = 1;
/** S3 RTC: 99.99 % of objects within 15 minutes. */
const S3_RTC = 15 * 60;
/** Route 53's HealthCheckStatus metric is published per minute; an alarm on it waits at least one period. */
const METRIC_PERIOD = 60;
/** Snapshot restore (1 h), the model's stated assumption. */
const RESTORE = 3600;

/** Both stacks with the same strategy and shared overrides (what the stack-set check demands). */
function pair(strategy: DrStrategy, shared: Partial<StackConfig> = {}, secondaryOnly: Partial<StackConfig> = {}): { primary: StackConfig; secondary: StackConfig } {
  return { primary: { ...PRIMARY, ...shared, strategy }, secondary: { ...SECONDARY, ...shared, ...secondaryOnly, strategy } };
}

/** The two stacks as `plan` hands them to its recovery section. */
function planned(primary: StackConfig, secondary: StackConfig): PlannedStack[] {
  return [
    { stack: "primary", file: "Pulumi.primary.yaml", config: primary, rawConfig: {} },
    { stack: "secondary", file: "Pulumi.secondary.yaml", config: secondary, rawConfig: {} },
  ];
}

describe("recovery model: terms from the config", () => {
  it("detection is interval x threshold plus one checker timeout (stack files: 10 s x 3)", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(PRIMARY.healthCheck).to.include({ intervalSeconds: 10, failureThreshold: 3 });
    expect(e.terms.detection.seconds).to.equal(10 * 3 + CONNECT_TIMEOUT);
    expect(e.terms.detection.source).to.contain("interval 10 s x threshold 3 + checker timeout 4 s");
  });

  it("detection follows a 30 s interval and threshold 5, and says what the fast interval would give", () => {
    const e = estimateRecovery(pair("warm-standby", { healthCheck: { ...PRIMARY.healthCheck, intervalSeconds: 30, failureThreshold: 5 } }));
    expect(e.terms.detection.seconds).to.equal(30 * 5 + CONNECT_TIMEOUT);
    expect(e.terms.detection.note).to.contain(`cuts this to ${10 * 5 + CONNECT_TIMEOUT} s`);
  });

  it("a failure threshold of 1 states the false-failover trade-off", () => {
    const e = estimateRecovery(pair("warm-standby", { healthCheck: { ...PRIMARY.healthCheck, failureThreshold: 1 } }));
    expect(e.terms.detection.seconds).to.equal(10 + CONNECT_TIMEOUT);
    expect(e.terms.detection.note).to.match(/single lost check \(a brief blip\)/);
  });

  it("alias records wait out ELB's 60 s TTL whatever dr:dnsTtl says; non-alias records wait dr:dnsTtl", () => {
    const shared = { dnsTtl: 300 };
    const alias = estimateRecovery(pair("warm-standby", shared));
    const plain = estimateRecovery({ ...pair("warm-standby", shared), assumptions: { dnsRecord: "non-alias" } });
    expect(alias.terms.dns.seconds).to.equal(ALIAS_TTL);
    expect(plain.terms.dns.seconds).to.equal(300);
    expect(plain.terms.dns.source).to.contain("dr:dnsTtl 300 s");
  });

  it("states switchover and failover separately, with their API names and AWS's figure", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(e.terms.databaseSwitchover.source).to.contain("SwitchoverGlobalCluster");
    expect(e.terms.databaseFailover.seconds).to.equal(AURORA_FAILOVER);
    expect(e.terms.databaseFailover.source).to.contain("--allow-data-loss").and.contain("less than a minute");
  });
});

describe("recovery model: capacity follows the warm pools and target health the stacks build", () => {
  it("warm standby starts stopped pool instances: start + one 5 s target-group check", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(SECONDARY.targetHealth.intervalSeconds).to.equal(5);
    expect(e.terms.capacity.seconds).to.equal(WARM_POOL_START + NEW_TARGET_CHECKS * 5);
    expect(e.terms.capacity.source).to.contain("web 1 -> 3 from the warm pool").and.contain("app 1 -> 3 from the warm pool");
  });

  it("without a warm pool the same scale-out launches fresh instances", () => {
    const e = estimateRecovery(pair("warm-standby", {}, { warmPool: { enabled: false } }));
    expect(e.terms.capacity.seconds).to.equal(FRESH_LAUNCH + 5);
    expect(e.terms.capacity.source).to.contain("by fresh launch");
    expect(e.rto).to.include({ seconds: 10 * 3 + CONNECT_TIMEOUT + FRESH_LAUNCH + 5, dominant: "capacity" });
  });

  it("a slower target-group interval in dr:targetHealth lengthens the capacity term", () => {
    const e = estimateRecovery(pair("warm-standby", {}, { targetHealth: { intervalSeconds: 30, healthyThreshold: 2, unhealthyThreshold: 3 } }));
    expect(e.terms.capacity.seconds).to.equal(WARM_POOL_START + 30);
  });

  it("pilot light may opt in: its whole fleet then starts from the pool", () => {
    const off = estimateRecovery(pair("pilot-light"));
    const on = estimateRecovery(pair("pilot-light", {}, { warmPool: { enabled: true } }));
    expect(off.terms.capacity.seconds).to.equal(FRESH_LAUNCH + 5);
    expect(on.terms.capacity.seconds).to.equal(WARM_POOL_START + 5);
    expect(on.terms.capacity.source).to.contain("web 0 -> 3 from the warm pool");
  });

  it("uses the standby plan it is given: a warm standby already at full size has nothing to scale", () => {
    const { primary, secondary } = pair("warm-standby");
    const e = estimateRecovery({ primary, secondary, standby: stackCapacity({ ...secondary, strategy: "active-active" }) });
    expect(e.terms.capacity.seconds).to.equal(0);
  });

  it("warns when the secondary's max cannot reach the primary's desired capacity", () => {
    const { primary, secondary } = pair("pilot-light");
    const small = { ...secondary, capacity: { ...secondary.capacity, web: { ...secondary.capacity.web, min: 0, desired: 0, max: 2 } } };
    expect(estimateRecovery({ primary, secondary: small }).warnings.join()).to.match(/web tier max 2 is below the primary's desired 3/);
  });
});

describe("recovery model: totals by strategy (stack files: 10 s x 3, RTO target 180 s; a drill run at detection unless said)", () => {
  const detection = 10 * 3 + CONNECT_TIMEOUT;

  it("warm standby run at detection models RTO <= 120 s: detection + the slowest of DNS, database and warm-pool capacity", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(e.rto.seconds).to.equal(detection + Math.max(ALIAS_TTL, AURORA_FAILOVER, WARM_POOL_START + 5)).and.be.at.most(120);
    expect(e.rto).to.include({ targetSeconds: 180, pass: true });
    expect(e.criticalPath.map((t) => t.name)).to.deep.equal(["detection", "dns"]);
  });

  it("started by the one-minute health-check alarm instead of automation, the database branch waits a metric period", () => {
    const e = estimateRecovery({ ...pair("warm-standby", { objectives: { ...PRIMARY.objectives, rtoSeconds: 120 } }), assumptions: { trigger: "health-check-alarm" } });
    expect(e.rto.seconds).to.equal(detection + METRIC_PERIOD + AURORA_FAILOVER);
    expect(e.rto.pass).to.equal(false);
    expect(e.criticalPath.map((t) => t.name)).to.deep.equal(["detection", "decision", "database failover (unplanned)"]);
  });

  it("an operator's decision time adds to the database and capacity branches, not to DNS", () => {
    const e = estimateRecovery({ ...pair("warm-standby"), assumptions: { decisionSeconds: 300 } });
    expect(e.rto.seconds).to.equal(detection + 300 + AURORA_FAILOVER);
    expect(e.rto.dominant).to.equal("decision");
  });

  it("active-active: nothing to scale; DNS and the database failover bound it", () => {
    const e = estimateRecovery(pair("active-active"));
    expect(e.terms.capacity.seconds).to.equal(0);
    expect(e.rto.seconds).to.equal(detection + Math.max(ALIAS_TTL, AURORA_FAILOVER));
  });

  it("pilot light: the headless database first creates an instance, then fails over", () => {
    const e = estimateRecovery(pair("pilot-light"));
    expect(e.terms.databaseFailover.seconds).to.equal(DB_INSTANCE_CREATE + AURORA_FAILOVER);
    expect(e.rto.seconds).to.equal(detection + DB_INSTANCE_CREATE + AURORA_FAILOVER);
    expect(e.rto.dominant).to.equal("database failover (unplanned)");
  });

  it("backup-restore: restore and deployment put it far past the target, and its database loses a day", () => {
    const e = estimateRecovery(pair("backup-restore"));
    expect(e.rto.seconds).to.equal(detection + RESTORE + DB_INSTANCE_CREATE);
    expect(e.rto.pass).to.equal(false);
    expect(e.dataLoss.find((d) => d.store === "database")?.seconds).to.equal(24 * 3600);
    expect(e.stores.find((v) => v.store === "database")?.pass).to.equal(false);
  });

  it("property: pilot light is slower than warm standby, which is no faster than active-active", () => {
    const arb = fc.record({
      intervalSeconds: fc.constantFrom(10, 30), failureThreshold: fc.integer({ min: 1, max: 10 }), dnsTtl: fc.integer({ min: 0, max: 600 }),
      desired: fc.integer({ min: 2, max: 30 }), alias: fc.boolean(), pool: fc.boolean(),
    });
    fc.assert(fc.property(arb, (x) => {
      const tier = { instanceType: "t3.medium", min: x.desired, desired: x.desired, max: x.desired * 3 };
      const shared: Partial<StackConfig> = { dnsTtl: x.dnsTtl, healthCheck: { ...PRIMARY.healthCheck, intervalSeconds: x.intervalSeconds, failureThreshold: x.failureThreshold }, capacity: { web: tier, app: tier } };
      const rto = (s: DrStrategy) => estimateRecovery({ ...pair(s, shared, { warmPool: { enabled: x.pool && s !== "active-active" } }), assumptions: { dnsRecord: x.alias ? "alias" : "non-alias" } }).rto.seconds;
      return rto("pilot-light") > rto("warm-standby") && rto("warm-standby") >= rto("active-active");
    }), { numRuns: 100 });
  });
});

describe("recovery model: data loss per store", () => {
  const rpo = (database: number, objects: number, secrets: number, rtoSeconds = 180) => ({ objectives: { rtoSeconds, rpoSeconds: { database, objects, secrets } } });

  it("the stack files ask each store for what it can promise: database 1 s, objects 900 s (RTC), secrets 60 s", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(e.stores.map((v) => [v.store, v.boundSeconds, v.targetSeconds, v.pass])).to.deep.equal([
      ["database", 1, 1, true], ["objects", S3_RTC, S3_RTC, true], ["secrets", 60, 60, true]]);
    expect(e.rpo.pass).to.equal(true);
  });

  it("objects asked for less than RTC's 15 minutes fail, naming the store, its bound and its source", () => {
    const e = estimateRecovery(pair("warm-standby", rpo(1, 60, 60)));
    const objects = e.stores.find((v) => v.store === "objects")!;
    expect(objects.pass).to.equal(false);
    expect(objects.message).to.contain("objects (S3)").and.contain(`${S3_RTC} s`).and.contain("Replication Time Control").and.contain("dr:objectives.rpoSeconds.objects");
    expect(e.rpo).to.include({ pass: false, dominant: "objects", seconds: S3_RTC, targetSeconds: 60 });
  });

  it("a verdict with RTO passing and RPO failing is not met, and neither is the reverse", () => {
    const stacks = (p: StackConfig, s: StackConfig) => planned(p, s);
    const rpoFails = pair("warm-standby", rpo(1, 60, 60));
    const rtoFails = pair("warm-standby", rpo(1, S3_RTC, 60, 60));
    const both = pair("warm-standby");
    const a = recoverySection(stacks(rpoFails.primary, rpoFails.secondary));
    expect(a.estimates[0].estimate.rto.pass).to.equal(true);
    expect(a.objectivesMet).to.equal(false);
    expect(a.failures.join()).to.contain("objects (S3)");
    const b = recoverySection(stacks(rtoFails.primary, rtoFails.secondary));
    expect(b.estimates[0].estimate.rpo.pass).to.equal(true);
    expect(b.objectivesMet).to.equal(false);
    expect(b.failures.join()).to.contain(`exceeds the 60 s target`);
    expect(recoverySection(stacks(both.primary, both.secondary))).to.include({ objectivesMet: true }).and.have.property("failures").that.deep.equals([]);
  });
});

describe("recovery model: the RTO verdict's boundary", () => {
  it("an RTO exactly on target passes, one second over fails (a target is a maximum, not a strict bound)", () => {
    const rto = estimateRecovery(pair("warm-standby")).rto.seconds;
    const verdictAt = (rtoSeconds: number) => estimateRecovery(pair("warm-standby", { objectives: { rtoSeconds, rpoSeconds: { database: 1, objects: S3_RTC, secrets: 60 } } })).rto;
    expect(verdictAt(rto)).to.include({ seconds: rto, targetSeconds: rto, pass: true });
    expect(verdictAt(rto - 1)).to.include({ seconds: rto, targetSeconds: rto - 1, pass: false });
  });
});

describe("recovery model: output", () => {
  it("formatRecovery prints every term with its value and source, the verdicts per store and the dominant term", () => {
    const e = estimateRecovery(pair("warm-standby"));
    const text = formatRecovery(e);
    for (const t of Object.values(e.terms)) expect(text).to.contain(t.name).and.contain(t.source);
    const rto = 10 * 3 + CONNECT_TIMEOUT + ALIAS_TTL;
    expect(text).to.contain(`RTO ${rto} s vs target 180 s: PASS; dominant term: dns`);
    expect(text).to.match(/objects \(S3\)\s+900\s+900 PASS/);
    expect(text).to.match(/detection\s+34\s/);
    expect(text).to.contain(`parallel branches after detection: dns ${ALIAS_TTL} s, decision + database ${AURORA_FAILOVER} s, decision + capacity ${WARM_POOL_START + 5} s`);
  });

  it("the plan section judges the configured start (dr:recovery.mode), shows a person's start beside it, and a slower database failover", () => {
    const section = recoverySection(planned(PRIMARY, SECONDARY));
    const detection = 10 * 3 + CONNECT_TIMEOUT;
    const estimate = section.estimates[0].estimate;
    expect(estimate.startMode).to.equal(PRIMARY.recovery.mode);
    const decision = estimate.terms.decision.seconds;
    const person = METRIC_PERIOD + PRIMARY.recovery.personReactionSeconds + (PRIMARY.recovery.approval ? PRIMARY.recovery.approvalSeconds : 0);
    expect(section.markdown).to.match(new RegExp(`\\| person \\(paged, then starts recovery\\) \\| ${person} \\| ${detection + person + AURORA_FAILOVER} \\|`));
    expect(section.markdown).to.contain(`database failover taking ${2 * AURORA_FAILOVER} s instead of ${AURORA_FAILOVER} s: RTO ${detection + decision + 2 * AURORA_FAILOVER} s`);
    expect(section.markdown).to.contain("#### Cost of readiness by strategy");
  });
});

describe("failover timings for the drill simulator", () => {
  it("gives each step of the example's warm-standby failover its cited duration", () => {
    const t = failoverTimings(PRIMARY, SECONDARY);
    expect(t).to.deep.include({ detectionSeconds: 10 * 3 + CONNECT_TIMEOUT, dnsCacheSeconds: ALIAS_TTL, triggerSeconds: 0, databaseSeconds: AURORA_FAILOVER, deploySeconds: 0, newTargetServingSeconds: 5 });
    expect(t.web).to.deep.equal({ from: 1, to: 3, fromWarmPool: true, instanceReadySeconds: WARM_POOL_START });
    expect(t.app).to.deep.equal({ from: 1, to: 3, fromWarmPool: true, instanceReadySeconds: WARM_POOL_START });
  });

  it("agrees with the model: steps run as the model overlaps them sum to the model's RTO, for every strategy", () => {
    for (const strategy of ["pilot-light", "warm-standby", "active-active"] as const) {
      for (const assumptions of [{}, { trigger: "health-check-alarm" as const }]) {
        const { primary, secondary } = pair(strategy);
        const t = failoverTimings(primary, secondary, assumptions);
        const tierReady = Math.max(...[t.web, t.app].map((x) => (x.to > x.from ? x.instanceReadySeconds + t.newTargetServingSeconds : 0)));
        const rto = t.detectionSeconds + Math.max(t.dnsCacheSeconds, t.triggerSeconds + t.databaseSeconds, t.triggerSeconds + t.deploySeconds + tierReady);
        expect(rto, `${strategy} ${JSON.stringify(assumptions)}`).to.equal(estimateRecovery({ primary, secondary, assumptions }).rto.seconds);
      }
    }
  });
});
