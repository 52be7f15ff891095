import { expect } from "chai";
import { capacityFor, stackCapacity } from "../components/compute/capacity";
import { deadTargetRemovalSeconds, newTargetServingSeconds, resolveTargetHealth } from "../components/compute/targetHealth";
import { poolCoversScaleOut, stackWarmPools, warmPoolFor, warmPoolProblems } from "../components/compute/warmPool";
import { readStackConfig } from "../src/engine/stackFiles";
import { costRows, COST_ROW_SOURCES, DEFAULT_READINESS_USAGE, formatReadiness, readinessByStrategy, readinessCost } from "../src/model/readiness";
import { ratesFor } from "../src/model/prices";
import { parseStackConfig } from "../stacks/configSchema";
import { EXAMPLE_DIR } from "./harness/paths";


describe("warm pool planning (pure)", () => {
  const tier = { desired: 1, max: 9, fullDesired: 3 };

  // Each row: strategy, role, settings, expected plan (undefined: no pool).
  const rows: Array<[string, Parameters<typeof warmPoolFor>[0], Parameters<typeof warmPoolFor>[1], Parameters<typeof warmPoolFor>[3], object | undefined]> = [
    ["warm-standby secondary keeps one by default: stopped, filling the gap to full size", "warm-standby", "secondary", {},
      { poolState: "Stopped", minSize: 0, maxGroupPreparedCapacity: 3, reuseOnScaleIn: true, pooledInstances: 2 }],
    ["warm standby may turn it off", "warm-standby", "secondary", { enabled: false }, undefined],
    ["pilot light keeps none unless it opts in", "pilot-light", "secondary", {}, undefined],
    ["the primary never keeps one", "warm-standby", "primary", { enabled: true }, undefined],
    ["active-active runs full size: nothing to pool", "active-active", "secondary", { enabled: true }, undefined],
    ["a minimum above the gap keeps that many", "warm-standby", "secondary", { minSize: 4, poolState: "Hibernated", reuseOnScaleIn: false },
      { poolState: "Hibernated", minSize: 4, maxGroupPreparedCapacity: 3, reuseOnScaleIn: false, pooledInstances: 4 }],
  ];
  for (const [what, strategy, role, settings, expected] of rows) {
    it(what, () => expect(warmPoolFor(strategy, role, tier, settings)).to.deep.equal(expected));
  }

  it("pilot light opting in pools its whole configured fleet (it runs none)", () => {
    expect(warmPoolFor("pilot-light", "secondary", { desired: 0, max: 9, fullDesired: 3 }, { enabled: true })).to.include({ pooledInstances: 3, maxGroupPreparedCapacity: 3 });
  });

  it("names each problem: a pool that would exceed the group's max, a negative minimum, a full size above max", () => {
    expect(warmPoolProblems({ minSize: 9 }, tier).join()).to.match(/minSize = 9.*exceed its max 9/);
    expect(warmPoolProblems({ minSize: -1 }, tier).join()).to.match(/minSize = -1: use a whole number/);
    expect(warmPoolProblems({}, { desired: 1, max: 2, fullDesired: 3 }).join()).to.match(/full size 3 exceeds its max 2/);
    expect(() => warmPoolFor("warm-standby", "secondary", tier, { minSize: 9 })).to.throw(/Invalid warm pool/);
  });

  it("covers a scale-out only when it holds every instance the scale-out adds", () => {
    const plan = warmPoolFor("warm-standby", "secondary", tier)!;
    expect(poolCoversScaleOut(plan, 1, 3)).to.equal(true);
    expect(poolCoversScaleOut(plan, 1, 4)).to.equal(false);
    expect(poolCoversScaleOut(undefined, 1, 3)).to.equal(false);
  });

  it("a stack's pools follow its capacity plan: the example secondary pools 2 per tier (3 configured, 1 running)", () => {
    const config = parseStackConfig(readStackConfig(EXAMPLE_DIR, "secondary"), "secondary");
    const plans = { web: capacityFor(config.strategy, config.role, config.capacity.web), app: capacityFor(config.strategy, config.role, config.capacity.app) };
    const pools = stackWarmPools(config, plans);
    expect(pools.web?.pooledInstances).to.equal(config.capacity.web.desired - Math.ceil(config.capacity.web.desired / 3));
    expect(pools.app?.maxGroupPreparedCapacity).to.equal(config.capacity.app.desired);
  });
});

describe("target-group health (pure)", () => {
  it("defaults to ALB's fastest safe settings: 5 s interval, 2 healthy, 3 unhealthy", () => {
    expect(resolveTargetHealth()).to.deep.equal({ intervalSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 });
  });

  it("a new target serves after one check; a dead one leaves after unhealthy threshold x interval", () => {
    const s = resolveTargetHealth({ intervalSeconds: 10 });
    expect(newTargetServingSeconds(s)).to.equal(10);
    expect(deadTargetRemovalSeconds(s)).to.equal(30);
  });
});

describe("cost of readiness by strategy", () => {
  const primary = parseStackConfig(readStackConfig(EXAMPLE_DIR, "primary"), "primary");
  const secondary = parseStackConfig(readStackConfig(EXAMPLE_DIR, "secondary"), "secondary");
  const rows = Object.fromEntries(readinessByStrategy(primary, secondary).map((r) => [r.strategy, r]));
  const usd = (strategy: string, item: RegExp) => rows[strategy].rows.filter((r) => item.test(r.item)).reduce((n, r) => n + r.usdPerMonth, 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  // Prices written here from the public pages (us-west-2, on demand): t3.medium $0.0416/h, m6i.large $0.096/h,
  // gp3 $0.08/GiB-month, Aurora db.r6g.large $0.26/h, NAT gateway $0.045/h, ALB $0.0225/h, Aurora storage
  // $0.10/GB-month and I/O $0.20 per million, AWS Backup (Aurora) $0.021/GB-month, KMS $1 per key-month and
  // $0.03 per 10,000 requests, Secrets Manager $0.40 per secret-month and $0.05 per 10,000 calls; 730 h a month.
  it("prices the example's warm standby: running instances, stopped pool instances' EBS, the reader, NAT, ALBs, Aurora storage and I/O, backups, KMS, Secrets Manager", () => {
    const w = rows["warm-standby"];
    expect(w).to.include({ region: "us-west-2", estimated: false, instanceHours: 2 * 730, pooledInstances: 4, databaseInstanceHours: 730 });
    expect(usd("warm-standby", /^web instances/)).to.be.closeTo(730 * 0.0416, 0.01);
    expect(usd("warm-standby", /^app instances/)).to.be.closeTo(730 * 0.096, 0.01);
    expect(usd("warm-standby", /^root volumes/)).to.be.closeTo((2 + 4) * 8 * 0.08, 0.01);
    expect(usd("warm-standby", /^Aurora DB instances/)).to.be.closeTo(730 * 0.26, 0.01);
    expect(usd("warm-standby", /^NAT gateways/)).to.be.closeTo(3 * 730 * 0.045, 0.01); // dr:natStrategy per-az over 3 AZs
    expect(usd("warm-standby", /^Application Load Balancers/)).to.be.closeTo(2 * 730 * 0.0225, 0.01);
    expect(usd("warm-standby", /^Aurora storage/)).to.be.closeTo(100 * 0.1, 0.01); // dr:database.sizeGiB 100
    expect(usd("warm-standby", /^Aurora I\/O/)).to.be.closeTo(10 * 0.2, 0.01);
    expect(usd("warm-standby", /^backup vault/)).to.be.closeTo(100 * 0.021, 0.01);
    expect(usd("warm-standby", /^KMS replica key/)).to.be.closeTo(1, 0.01);
    expect(usd("warm-standby", /^KMS requests/)).to.be.closeTo(10 * 0.03, 0.01);
    expect(usd("warm-standby", /^Secrets Manager replica/)).to.be.closeTo(0.4, 0.01);
    expect(usd("warm-standby", /^Secrets Manager API/)).to.be.closeTo(1 * 0.05, 0.01);
    expect(w.usdPerMonth).to.be.closeTo(sum(w.rows.map((r) => r.usdPerMonth)), 0.01);
    expect(w.rows.filter((r) => r.usdPerMonth > 0)).to.have.length(w.rows.length);
  });

  it("backup-restore pays for what stands (NAT, ALBs, backups, key, secret) but no instance, DB instance or Aurora storage", () => {
    const b = rows["backup-restore"];
    for (const item of [/^web instances/, /^app instances/, /^Aurora DB instances/, /^Aurora storage/, /^Aurora I\/O/]) expect(usd("backup-restore", item), String(item)).to.equal(0);
    // ... and the region switch (cloudwatch-alarm, two regions: 2 alarms at $0.10, 2 metrics at $0.30, 4 checks at $0.50).
    expect(b.usdPerMonth).to.be.closeTo(3 * 730 * 0.045 + 2 * 730 * 0.0225 + 100 * 0.021 + 1 + 0.3 + 0.4 + 0.05 + 2 * 0.1 + 2 * 0.3 + 4 * 0.5, 0.01);
    expect(rows["active-active"].usdPerMonth).to.be.greaterThan(rows["warm-standby"].usdPerMonth);
    expect(rows["warm-standby"].rtoSeconds).to.be.below(rows["pilot-light"].rtoSeconds);
  });

  it("prices a region without rates of its own at the reference region's, flagged estimated in the row and the table", () => {
    const eu = readinessCost(primary, { ...secondary, region: "eu-south-2" }, "warm-standby");
    expect(eu.estimated).to.equal(true);
    expect(eu.usdPerMonth).to.be.closeTo(rows["warm-standby"].usdPerMonth, 0.01);
    const table = formatReadiness([eu], "warm-standby");
    expect(table).to.contain("**estimated**: eu-south-2 has no rates").and.contain("(estimated)");
    expect(formatReadiness([rows["warm-standby"]], "warm-standby")).to.not.contain("estimated");
  });

  it("the table lists each charge with its unit price and source, and a total", () => {
    const table = formatReadiness(readinessByStrategy(primary, secondary), "warm-standby");
    for (const r of rows["warm-standby"].rows) expect(table).to.contain(`| ${r.item}`).and.contain(r.source);
    expect(table).to.match(new RegExp(`\\| \\*\\*total\\*\\* \\| \\| \\| \\| \\*\\*${rows["warm-standby"].usdPerMonth.toFixed(2)}\\*\\*`));
  });

  it("adds a charge by listing one more row function (COST_ROW_SOURCES is the whole cost)", () => {
    const base = readinessCost(primary, secondary, "warm-standby");
    const plan = stackCapacity({ ...secondary });
    const input = { primary, secondary, plan, pools: stackWarmPools(secondary, plan), rates: ratesFor("us-west-2").rates, usage: DEFAULT_READINESS_USAGE };
    expect(costRows(input)).to.deep.equal(base.rows);
    const extra = costRows(input, [...COST_ROW_SOURCES, () => [{ item: "switch", quantity: 1, unit: "month", usdPerUnit: 7, usdPerMonth: 7, source: "x" }]]);
    expect(extra).to.have.length(base.rows.length + 1);
  });
});
