import { expect } from "chai";
import * as fc from "fast-check";
import { contains, formatCidr, overlaps, parseCidr, planSubnets, size, subdivide, vpcCidrProblem } from "../components/network/cidrPlan";
import { validateStackSet } from "../stacks/stackSet";
import { parseStackConfig } from "../stacks/configSchema";
import { readStackConfig } from "../src/engine/stackFiles";
import { EXAMPLE_DIR, withOverrides } from "./harness/stack";

const AZS = ["r-1a", "r-1b", "r-1c"];
const all = (plan: ReturnType<typeof planSubnets>) => plan.flatMap((s) => [s.public, s.private, s.isolated]).map((c) => parseCidr(c)!);

/** Arbitrary valid VPC CIDR from /16 to /22 with a random aligned base. */
const vpcCidrArb = fc.tuple(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 0, max: 0xffffffff })).map(([prefix, raw]) => {
  const base = (raw & ~((2 ** (32 - prefix)) - 1)) >>> 0;
  return formatCidr({ base, prefix });
});
const azListArb = fc.integer({ min: 1, max: 6 }).map((n) => Array.from({ length: n }, (_, i) => `r-1${"abcdef"[i]}`));

describe("CIDR planning", () => {
  describe("parsing", () => {
    const table: Array<[string, boolean]> = [
      ["10.0.0.0/16", true],
      ["192.168.4.0/22", true],
      ["10.0.0.1/16", false], // host bits
      ["10.0.0/16", false],
      ["256.0.0.0/16", false],
      ["10.0.0.0/33", false],
      ["10.0.0.0", false],
    ];
    for (const [text, ok] of table) {
      it(`${ok ? "accepts" : "rejects"} ${text}`, () => expect(parseCidr(text) !== undefined).to.equal(ok));
    }
    it("round-trips any aligned CIDR through format and parse", () => {
      fc.assert(fc.property(vpcCidrArb, (cidr) => formatCidr(parseCidr(cidr)!) === cidr));
    });
  });

  describe("the subnet plan for a /16 across three AZs", () => {
    const plan = planSubnets("10.10.0.0/16", AZS);
    const table: Array<[string, keyof (typeof plan)[number], string]> = [
      ["r-1a", "private", "10.10.0.0/19"],
      ["r-1b", "private", "10.10.32.0/19"],
      ["r-1c", "private", "10.10.64.0/19"],
      ["r-1a", "public", "10.10.192.0/22"],
      ["r-1c", "public", "10.10.200.0/22"],
      ["r-1a", "isolated", "10.10.224.0/22"],
      ["r-1b", "isolated", "10.10.228.0/22"],
    ];
    for (const [az, tier, cidr] of table) {
      it(`gives ${az} the ${tier} subnet ${cidr}`, () => expect(plan.find((s) => s.az === az)![tier]).to.equal(cidr));
    }
    it("keys subnets by AZ name in the given order", () => expect(plan.map((s) => s.az)).to.deep.equal(AZS));
  });

  describe("rejects what it cannot plan", () => {
    it("a VPC smaller than /22 (public subnets would drop below /28)", () => expect(vpcCidrProblem("10.0.0.0/23")).to.match(/too small/));
    it("a VPC larger than /16", () => expect(vpcCidrProblem("10.0.0.0/15")).to.match(/larger than AWS allows/));
    it("more than six AZs", () => expect(() => planSubnets("10.0.0.0/16", ["a", "b", "c", "d", "e", "f", "g"])).to.throw(/1 to 6 AZs, not 7/));
    it("duplicate AZ names", () => expect(() => planSubnets("10.0.0.0/16", ["a", "a"])).to.throw(/distinct/));
    it("a block index outside the range", () => expect(() => subdivide(parseCidr("10.0.0.0/16")!, 17, 2)).to.throw(/outside/));
  });

  describe("properties", () => {
    it("every subnet lies inside the VPC and no two subnets overlap", () => {
      fc.assert(fc.property(vpcCidrArb, azListArb, (cidr, azs) => {
        const vpc = parseCidr(cidr)!;
        const subnets = all(planSubnets(cidr, azs));
        expect(subnets.every((s) => contains(vpc, s))).to.equal(true);
        for (let i = 0; i < subnets.length; i++) for (let j = i + 1; j < subnets.length; j++) expect(overlaps(subnets[i], subnets[j])).to.equal(false);
      }));
    });

    it("every subnet is at least a /28, AWS's smallest", () => {
      fc.assert(fc.property(vpcCidrArb, azListArb, (cidr, azs) => all(planSubnets(cidr, azs)).every((s) => s.prefix <= 28)));
    });

    it("private subnets are the largest tier, since the app fleet scales there", () => {
      fc.assert(fc.property(vpcCidrArb, azListArb, (cidr, azs) => planSubnets(cidr, azs).every((s) => size(parseCidr(s.private)!) > size(parseCidr(s.public)!))));
    });

    it("adding an AZ never moves the subnets of the existing AZs", () => {
      fc.assert(fc.property(vpcCidrArb, fc.integer({ min: 1, max: 5 }), (cidr, n) => {
        const azs = Array.from({ length: n + 1 }, (_, i) => `az${i}`);
        expect(planSubnets(cidr, azs).slice(0, n)).to.deep.equal(planSubnets(cidr, azs.slice(0, n)));
      }));
    });

    it("overlap is symmetric and a range always overlaps itself", () => {
      fc.assert(fc.property(vpcCidrArb, vpcCidrArb, (a, b) => {
        const [x, y] = [parseCidr(a)!, parseCidr(b)!];
        return overlaps(x, y) === overlaps(y, x) && overlaps(x, x);
      }));
    });

    it("the two regions never overlap: the stack set rejects every overlapping pair of VPC CIDRs", () => {
      const primary = readStackConfig(EXAMPLE_DIR, "primary");
      const secondary = readStackConfig(EXAMPLE_DIR, "secondary");
      fc.assert(fc.property(vpcCidrArb, vpcCidrArb, (a, b) => {
        const stacks = [
          { stack: "primary", config: parseStackConfig(withOverrides(primary, { "dr:vpcCidr": a }), "p") },
          { stack: "secondary", config: parseStackConfig(withOverrides(secondary, { "dr:vpcCidr": b }), "s") },
        ];
        let rejected = false;
        try {
          validateStackSet(stacks);
        } catch {
          rejected = true;
        }
        return rejected === overlaps(parseCidr(a)!, parseCidr(b)!);
      }), { numRuns: 200 });
    });
  });
});
