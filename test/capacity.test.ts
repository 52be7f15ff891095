import { expect } from "chai";
import * as fc from "fast-check";
import {
  capacityFor, databaseCapacityFor, stackCapacity, TierSizing,
  WARM_STANDBY_FLEET_DIVISOR, WARM_STANDBY_MIN_INSTANCES,
} from "../components/compute/capacity";
import { DR_STRATEGIES, DrStrategy, Role } from "../stacks/configSchema";

const TIER: TierSizing = { instanceType: "t3.medium", min: 3, desired: 3, max: 9 };
const BIG: TierSizing = { instanceType: "m6i.large", min: 4, desired: 7, max: 20 };

describe("capacityFor: compute tiers by strategy and role", () => {
  // Expected values from the rules: primary as configured; pilot light 0/0/max; warm standby
  // ceil(n/3) with at least 1, max kept; active-active as configured; backup-restore at 0 like pilot light.
  const table: Array<[DrStrategy, Role, TierSizing, { min: number; desired: number; max: number; builds: boolean }]> = [
    ["backup-restore", "primary", TIER, { min: 3, desired: 3, max: 9, builds: true }],
    ["backup-restore", "secondary", TIER, { min: 0, desired: 0, max: 9, builds: true }],
    ["pilot-light", "primary", TIER, { min: 3, desired: 3, max: 9, builds: true }],
    ["pilot-light", "secondary", TIER, { min: 0, desired: 0, max: 9, builds: true }],
    ["warm-standby", "primary", TIER, { min: 3, desired: 3, max: 9, builds: true }],
    ["warm-standby", "secondary", TIER, { min: 1, desired: 1, max: 9, builds: true }],
    ["active-active", "primary", TIER, { min: 3, desired: 3, max: 9, builds: true }],
    ["active-active", "secondary", TIER, { min: 3, desired: 3, max: 9, builds: true }],
    ["warm-standby", "secondary", BIG, { min: 2, desired: 3, max: 20, builds: true }],
    ["pilot-light", "secondary", BIG, { min: 0, desired: 0, max: 20, builds: true }],
    ["active-active", "secondary", BIG, { min: 4, desired: 7, max: 20, builds: true }],
    ["warm-standby", "secondary", { instanceType: "t3.small", min: 0, desired: 2, max: 5 }, { min: 1, desired: 1, max: 5, builds: true }],
  ];
  for (const [strategy, role, tier, want] of table) {
    it(`${strategy} ${role} ${tier.min}/${tier.desired}/${tier.max} -> ${want.min}/${want.desired}/${want.max}${want.builds ? "" : " (not built)"}`, () => {
      const got = capacityFor(strategy, role, tier, 3);
      expect({ min: got.min, desired: got.desired, max: got.max, builds: got.builds }).to.deep.equal(want);
      expect(got.instanceType).to.equal(tier.instanceType);
    });
  }

  it("warns that a one-instance warm standby serves from one AZ until it scales", () => {
    const w = capacityFor("warm-standby", "secondary", TIER, 3, "web").warnings;
    expect(w).to.have.length(1);
    expect(w[0]).to.match(/web tier runs 1 instance for 3 AZs/).and.match(/one AZ/).and.match(/until it scales/);
  });

  it("does not warn when the scaled-down warm standby still covers every AZ", () => {
    expect(capacityFor("warm-standby", "secondary", { instanceType: "t3.medium", min: 9, desired: 9, max: 12 }, 3).warnings).to.deep.equal([]);
  });

  it("warns that a pilot-light or backup-restore tier serves only after instances launch (backup-restore: after the restore)", () => {
    expect(capacityFor("pilot-light", "secondary", TIER, 3, "app").warnings.join()).to.match(/app tier runs 0 instances \(pilot light\)/);
    expect(capacityFor("backup-restore", "secondary", TIER, 3, "app").warnings.join()).to.match(/app tier runs 0 instances \(backup-restore\): after the database is restored/);
  });

  it("gives a full primary no warnings", () => {
    expect(capacityFor("warm-standby", "primary", TIER, 3).warnings).to.deep.equal([]);
  });

  it("rejects unusable sizing, naming every problem at once", () => {
    expect(() => capacityFor("warm-standby", "secondary", { instanceType: "t3.medium", min: -1, desired: 2.5, max: 0 }, 3, "web"))
      .to.throw(/web\.min = -1[\s\S]*web\.desired = 2\.5[\s\S]*web\.max = 0/);
    expect(() => capacityFor("active-active", "primary", { instanceType: "t3.medium", min: 5, desired: 3, max: 9 }, 3, "app"))
      .to.throw(/app = 5\/3\/9.*min <= desired <= max/);
  });

  it("property: every plan keeps min <= desired <= max and the configured max", () => {
    fc.assert(fc.property(sizing(), fc.constantFrom(...DR_STRATEGIES), fc.constantFrom<Role>("primary", "secondary"), fc.integer({ min: 2, max: 6 }), (tier, strategy, role, azs) => {
      const p = capacityFor(strategy, role, tier, azs);
      return p.min <= p.desired && p.desired <= p.max && p.max === tier.max && p.min >= 0;
    }), { numRuns: 300 });
  });

  it("property: a secondary never runs more than the primary", () => {
    fc.assert(fc.property(sizing(1), fc.constantFrom(...DR_STRATEGIES), (tier, strategy) => {
      const primary = capacityFor(strategy, "primary", tier);
      const secondary = capacityFor(strategy, "secondary", tier);
      return secondary.desired <= primary.desired && secondary.max <= primary.max;
    }), { numRuns: 300 });
  });

  it("property: warm standby runs ceil(desired / divisor), never fewer than one instance", () => {
    fc.assert(fc.property(sizing(), (tier) => {
      const p = capacityFor("warm-standby", "secondary", tier);
      return p.desired === Math.max(WARM_STANDBY_MIN_INSTANCES, Math.ceil(tier.desired / WARM_STANDBY_FLEET_DIVISOR)) && p.desired >= 1;
    }), { numRuns: 300 });
  });
});

describe("databaseCapacityFor: the Aurora member by strategy and role", () => {
  const table: Array<[DrStrategy, Role, { instances: number; headless: boolean; builds: boolean }]> = [
    ["backup-restore", "primary", { instances: 2, headless: false, builds: true }],
    ["backup-restore", "secondary", { instances: 0, headless: false, builds: false }],
    ["pilot-light", "primary", { instances: 2, headless: false, builds: true }],
    ["pilot-light", "secondary", { instances: 0, headless: true, builds: true }],
    ["warm-standby", "primary", { instances: 2, headless: false, builds: true }],
    ["warm-standby", "secondary", { instances: 1, headless: false, builds: true }],
    ["active-active", "primary", { instances: 2, headless: false, builds: true }],
    ["active-active", "secondary", { instances: 2, headless: false, builds: true }],
  ];
  for (const [strategy, role, want] of table) {
    it(`${strategy} ${role} with 2 configured -> ${want.instances}${want.headless ? " (headless)" : ""}${want.builds ? "" : " (not built)"}`, () => {
      const got = databaseCapacityFor(strategy, role, 2, 3);
      expect({ instances: got.instances, headless: got.headless, builds: got.builds }).to.deep.equal(want);
    });
  }

  it("warns of one AZ of readers for a one-instance database and for warm standby's single reader", () => {
    expect(databaseCapacityFor("active-active", "primary", 1, 3).warnings.join()).to.match(/one AZ of readers/);
    expect(databaseCapacityFor("warm-standby", "secondary", 4, 3).warnings.join()).to.match(/one AZ of readers/);
    expect(databaseCapacityFor("warm-standby", "primary", 2, 3).warnings).to.deep.equal([]);
  });

  it("warns that a headless pilot-light secondary must create an instance before promotion", () => {
    expect(databaseCapacityFor("pilot-light", "secondary", 2).warnings.join()).to.match(/headless.*create a DB instance/);
  });

  it("rejects an instance count Aurora cannot run", () => {
    expect(() => databaseCapacityFor("warm-standby", "primary", 0)).to.throw(/instances = 0/);
  });

  it("property: a secondary never runs more DB instances than the primary", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 15 }), fc.constantFrom(...DR_STRATEGIES), (n, strategy) =>
      databaseCapacityFor(strategy, "secondary", n).instances <= databaseCapacityFor(strategy, "primary", n).instances), { numRuns: 200 });
  });
});

describe("stackCapacity: the whole stack and its warnings", () => {
  const inputs = {
    role: "secondary" as const, strategy: "warm-standby" as const, azCount: 3, natStrategy: "single" as const,
    capacity: { web: TIER, app: BIG }, database: { instances: 2 },
  };

  it("sizes web, app and database from the same rules and collects every warning once", () => {
    const plan = stackCapacity(inputs);
    expect([plan.web.desired, plan.app.desired, plan.database.instances]).to.deep.equal([1, 3, 1]);
    expect(plan.warnings.filter((w) => /web tier/.test(w))).to.have.length(1);
    expect(plan.warnings.filter((w) => /app tier/.test(w))).to.have.length(0);
    expect(plan.warnings.filter((w) => /one AZ of readers/.test(w))).to.have.length(1);
  });

  it("warns about a single NAT gateway, and not about per-AZ NAT", () => {
    expect(stackCapacity(inputs).warnings.join("\n")).to.match(/one NAT gateway for 3 AZs/);
    expect(stackCapacity({ ...inputs, natStrategy: "per-az" }).warnings.join("\n")).to.not.match(/NAT/);
  });
});

function sizing(minDesired = 0): fc.Arbitrary<TierSizing> {
  return fc.integer({ min: Math.max(1, minDesired), max: 60 }).chain((max) =>
    fc.integer({ min: minDesired, max }).chain((desired) =>
      fc.integer({ min: 0, max: desired }).map((min) => ({ instanceType: "t3.medium", min, desired, max }))));
}
