import { expect } from "chai";
import * as path from "path";
import { capacityFor } from "../components/compute/capacity";
import { deadTargetRemovalSeconds, newTargetServingSeconds, resolveTargetHealth } from "../components/compute/targetHealth";
import { poolCoversScaleOut, stackWarmPools, warmPoolFor, warmPoolProblems } from "../components/compute/warmPool";
import { readStackConfig } from "../src/engine/stackFiles";
import { readinessByStrategy } from "../src/model/readiness";
import { parseStackConfig } from "../stacks/configSchema";

const PROJECT_DIR = path.resolve(__dirname, "../..");

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
    const config = parseStackConfig(readStackConfig(PROJECT_DIR, "secondary"), "secondary");
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
  it("prices the example: running instances by the hour, stopped pool instances by their EBS only, the reader by the hour", () => {
    const primary = parseStackConfig(readStackConfig(PROJECT_DIR, "primary"), "primary");
    const secondary = parseStackConfig(readStackConfig(PROJECT_DIR, "secondary"), "secondary");
    const rows = Object.fromEntries(readinessByStrategy(primary, secondary).map((r) => [r.strategy, r]));
    // Prices written here from the public pages (us-west-2 on-demand Linux): t3.medium $0.0416/h,
    // m6i.large $0.096/h, gp3 $0.08/GiB-month, Aurora db.r6g.large $0.26/h; 730 h a month; 8 GiB roots.
    const warm = 730 * 0.0416 + 730 * 0.096 + (2 + 4) * 8 * 0.08 + 730 * 0.26;
    expect(rows["warm-standby"]).to.include({ instanceHours: 2 * 730, pooledInstances: 4, ebsGibMonths: 48, databaseInstanceHours: 730 });
    expect(rows["warm-standby"].usdPerMonth).to.be.closeTo(warm, 0.01);
    expect(rows["backup-restore"].usdPerMonth).to.equal(0);
    expect(rows["active-active"].usdPerMonth).to.be.closeTo(3 * 730 * 0.0416 + 3 * 730 * 0.096 + 6 * 8 * 0.08 + 2 * 730 * 0.26, 0.01);
    expect(rows["warm-standby"].rtoSeconds).to.be.below(rows["pilot-light"].rtoSeconds);
  });
});
