import { expect } from "chai";
import * as fc from "fast-check";
import * as path from "path";
import { stackCapacity } from "../components/compute/capacity";
import { readStackConfig } from "../src/engine/stackFiles";
import {
  AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, AURORA_UNPLANNED_FAILOVER_SECONDS, BACKUP_COPY_INTERVAL_SECONDS,
  ELB_ALIAS_TTL_SECONDS, estimateRecovery, formatRecovery, HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS,
  INSTANCE_LAUNCH_SECONDS, RESTORE_FROM_SNAPSHOT_SECONDS, S3_RTC_BOUND_SECONDS, TARGET_GROUP_HEALTHY_THRESHOLD, TARGET_GROUP_INTERVAL_SECONDS,
} from "../src/model/recovery";
import { DrStrategy, parseStackConfig, StackConfig } from "../stacks/configSchema";

const PROJECT_DIR = path.resolve(__dirname, "../..");
const PRIMARY = parseStackConfig(readStackConfig(PROJECT_DIR, "primary"), "Pulumi.primary.yaml");
const SECONDARY = parseStackConfig(readStackConfig(PROJECT_DIR, "secondary"), "Pulumi.secondary.yaml");
const SCALE_OUT = INSTANCE_LAUNCH_SECONDS + TARGET_GROUP_HEALTHY_THRESHOLD * TARGET_GROUP_INTERVAL_SECONDS;

/** Both stacks with the same strategy and shared overrides (what the stack-set check demands). */
function pair(strategy: DrStrategy, shared: Partial<StackConfig> = {}): { primary: StackConfig; secondary: StackConfig } {
  return { primary: { ...PRIMARY, ...shared, strategy }, secondary: { ...SECONDARY, ...shared, strategy } };
}

describe("recovery model: terms from the config", () => {
  it("detection is interval x threshold plus one checker timeout (stack files: 10 s x 3)", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(PRIMARY.healthCheck.intervalSeconds).to.equal(10);
    expect(e.terms.detection.seconds).to.equal(10 * 3 + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS);
    expect(e.terms.detection.source).to.contain("interval 10 s x threshold 3 + checker timeout 4 s");
  });

  it("detection follows a 30 s interval and threshold 5", () => {
    const e = estimateRecovery(pair("warm-standby", { healthCheck: { ...PRIMARY.healthCheck, intervalSeconds: 30, failureThreshold: 5 } }));
    expect(e.terms.detection.seconds).to.equal(30 * 5 + 4);
    expect(e.terms.detection.source).to.contain("interval 30 s x threshold 5");
  });

  it("alias records wait out ELB's 60 s TTL whatever dr:dnsTtl says; non-alias records wait dr:dnsTtl", () => {
    const shared = { dnsTtl: 300 };
    const alias = estimateRecovery(pair("warm-standby", shared));
    const plain = estimateRecovery({ ...pair("warm-standby", shared), assumptions: { dnsRecord: "non-alias" } });
    expect(alias.terms.dns.seconds).to.equal(ELB_ALIAS_TTL_SECONDS).and.equal(60);
    expect(alias.terms.dns.source).to.match(/alias/).and.match(/no TTL of its own/);
    expect(plain.terms.dns.seconds).to.equal(300);
    expect(plain.terms.dns.source).to.contain("dr:dnsTtl 300 s");
  });

  it("states switchover and failover separately, with their API names", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(e.terms.databaseSwitchover.seconds).to.equal(AURORA_SWITCHOVER_SECONDS);
    expect(e.terms.databaseSwitchover.source).to.contain("SwitchoverGlobalCluster");
    expect(e.terms.databaseFailover.seconds).to.equal(AURORA_UNPLANNED_FAILOVER_SECONDS);
    expect(e.terms.databaseFailover.source).to.contain("--allow-data-loss");
  });
});

describe("recovery model: totals by strategy (stack files: 10 s x 3, RTO 900 s, tiers 3 desired)", () => {
  const detection = 34;

  it("warm standby: capacity (launch + target-group health) dominates the parallel branch", () => {
    const e = estimateRecovery(pair("warm-standby"));
    expect(e.terms.capacity.seconds).to.equal(SCALE_OUT);
    expect(e.rto.seconds).to.equal(detection + Math.max(ELB_ALIAS_TTL_SECONDS, AURORA_UNPLANNED_FAILOVER_SECONDS, SCALE_OUT));
    expect(e.rto.dominant).to.equal("capacity");
    expect(e.rto).to.include({ targetSeconds: 900, pass: true });
  });

  it("active-active: nothing to scale, so the database failover dominates", () => {
    const e = estimateRecovery(pair("active-active"));
    expect(e.terms.capacity.seconds).to.equal(0);
    expect(e.rto.seconds).to.equal(detection + AURORA_UNPLANNED_FAILOVER_SECONDS);
    expect(e.rto.dominant).to.equal("database failover (unplanned)");
  });

  it("pilot light: the headless database first creates an instance, then fails over", () => {
    const e = estimateRecovery(pair("pilot-light"));
    expect(e.terms.databaseFailover.seconds).to.equal(AURORA_INSTANCE_CREATE_SECONDS + AURORA_UNPLANNED_FAILOVER_SECONDS);
    expect(e.terms.databaseFailover.source).to.match(/headless/);
    expect(e.rto.seconds).to.equal(detection + 720);
    expect(e.plannedSwitchoverSeconds).to.equal(AURORA_INSTANCE_CREATE_SECONDS + AURORA_SWITCHOVER_SECONDS);
  });

  it("backup-restore: the restore puts it far past a 900 s target; the tiers stand ready at 0, so nothing is deployed", () => {
    const e = estimateRecovery(pair("backup-restore"));
    expect(e.terms.databaseFailover.seconds).to.equal(RESTORE_FROM_SNAPSHOT_SECONDS + AURORA_INSTANCE_CREATE_SECONDS);
    expect(e.terms.capacity.seconds).to.equal(SCALE_OUT);
    expect(e.terms.capacity.source).not.to.contain("deploy");
    expect(e.rto.seconds).to.equal(detection + RESTORE_FROM_SNAPSHOT_SECONDS + AURORA_INSTANCE_CREATE_SECONDS);
    expect(e.rto.pass).to.equal(false);
    expect(e.warnings.join()).to.match(/exceeds the 900 s target/);
    expect(e.dataLoss.find((d) => d.store === "Aurora")?.seconds).to.equal(BACKUP_COPY_INTERVAL_SECONDS);
  });

  it("fails against a tight target and names the dominant term", () => {
    const e = estimateRecovery(pair("warm-standby", { objectives: { rtoSeconds: 150, rpoSeconds: 900 } }));
    expect(e.rto).to.include({ pass: false, targetSeconds: 150, dominant: "capacity" });
  });

  it("adds an operator's decision time to the critical path", () => {
    const base = estimateRecovery(pair("warm-standby"));
    const manual = estimateRecovery({ ...pair("warm-standby"), assumptions: { decisionSeconds: 300 } });
    expect(manual.rto.seconds - base.rto.seconds).to.equal(300);
    expect(manual.criticalPath.map((t) => t.name)).to.deep.equal(["decision", "detection", "capacity"]);
  });

  it("uses the standby plan it is given: a warm standby already at full size has nothing to scale", () => {
    const { primary, secondary } = pair("warm-standby");
    const full = stackCapacity({ ...secondary, strategy: "active-active" });
    const e = estimateRecovery({ primary, secondary, standby: full });
    expect(e.terms.capacity.seconds).to.equal(0);
  });

  it("target-group settings change the capacity term", () => {
    const e = estimateRecovery({ ...pair("pilot-light"), assumptions: { targetGroupHealthyThreshold: 5, targetGroupIntervalSeconds: 30, instanceLaunchSeconds: 90 } });
    expect(e.terms.capacity.seconds).to.equal(90 + 5 * 30);
    expect(e.terms.capacity.source).to.contain("healthy threshold 5 x interval 30 s");
  });

  it("warns when the secondary's max cannot reach the primary's desired capacity", () => {
    const { primary, secondary } = pair("pilot-light");
    const small = { ...secondary, capacity: { ...secondary.capacity, web: { ...secondary.capacity.web, min: 0, desired: 0, max: 2 } } };
    expect(estimateRecovery({ primary, secondary: small }).warnings.join()).to.match(/web tier max 2 is below the primary's desired 3/);
  });
});

describe("recovery model: data loss (RPO)", () => {
  it("bounds Aurora by the configured RPO alarm, S3 by RTC's 15 minutes; S3 dominates a 60 s target", () => {
    const e = estimateRecovery(pair("warm-standby"));
    const aurora = e.dataLoss.find((d) => d.store === "Aurora");
    expect(aurora?.seconds).to.equal(PRIMARY.objectives.rpoSeconds);
    expect(aurora?.typicalSeconds).to.be.at.most(1);
    expect(e.dataLoss.find((d) => d.store === "S3")?.seconds).to.equal(S3_RTC_BOUND_SECONDS).and.equal(900);
    expect(e.dataLoss.map((d) => d.store)).to.include("secrets");
    expect(e.rpo).to.include({ seconds: 900, targetSeconds: 60, pass: false, dominant: "S3" });
  });

  it("passes when the RPO target allows for the S3 bound", () => {
    const e = estimateRecovery(pair("warm-standby", { objectives: { rtoSeconds: 900, rpoSeconds: 900 } }));
    expect(e.rpo.pass).to.equal(true);
  });
});

describe("recovery model: properties and output", () => {
  it("property: pilot light is slower than warm standby, which is no faster than active-active", () => {
    const arb = fc.record({
      intervalSeconds: fc.constantFrom(10, 30), failureThreshold: fc.integer({ min: 1, max: 10 }), dnsTtl: fc.integer({ min: 0, max: 600 }),
      desired: fc.integer({ min: 2, max: 30 }), alias: fc.boolean(),
    });
    fc.assert(fc.property(arb, (x) => {
      const tier = { instanceType: "t3.medium", min: x.desired, desired: x.desired, max: x.desired * 3 };
      const shared: Partial<StackConfig> = { dnsTtl: x.dnsTtl, healthCheck: { ...PRIMARY.healthCheck, intervalSeconds: x.intervalSeconds, failureThreshold: x.failureThreshold }, capacity: { web: tier, app: tier } };
      const rto = (s: DrStrategy) => estimateRecovery({ ...pair(s, shared), assumptions: { dnsRecord: x.alias ? "alias" : "non-alias" } }).rto.seconds;
      return rto("pilot-light") > rto("warm-standby") && rto("warm-standby") >= rto("active-active");
    }), { numRuns: 200 });
  });

  it("formatRecovery prints every term with its value and source, the verdicts and the dominant term", () => {
    const e = estimateRecovery(pair("warm-standby"));
    const text = formatRecovery(e);
    for (const t of Object.values(e.terms)) {
      expect(text).to.contain(t.name);
      expect(text).to.contain(t.source);
    }
    expect(text).to.contain(`RTO ${34 + SCALE_OUT} s vs target 900 s: PASS; dominant term: capacity`);
    expect(text).to.match(/RPO 900 s vs target 60 s: FAIL; dominant store: S3/);
    expect(text).to.match(/detection\s+34\s/);
  });
});
