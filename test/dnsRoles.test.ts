import { expect } from "chai";
import { DR_STRATEGIES, DrStrategy } from "../components/strategy";
import { parseDrConfig } from "../stacks/configSchema";
import { failoverRecordsOf, failoverTransitionProblems } from "../stacks/dnsRoles";
import { NamedStackConfig } from "../stacks/stackSet";
import { deployOrder, orderStacks } from "../src/deploy/orchestrator";
import { givenStackFile } from "./harness/stack";

/**
 * Route 53 keeps one PRIMARY and one SECONDARY failover record per name
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html), and each
 * stack's `pulumi up` changes only its own record. These tests walk a stack set from one
 * configuration to the next, stack by stack, in every order an operator can deploy it.
 */

const SECONDARY_REGION = givenStackFile("secondary")["aws:region"];

/** The example stack files on `strategy`, with dr:activeRegion set in every file when given. */
function stackSet(strategy: DrStrategy, activeRegion?: string): NamedStackConfig[] {
  const active = activeRegion ? { "dr:activeRegion": activeRegion } : {};
  return [
    { stack: "primary", config: parseDrConfig(givenStackFile("primary", { "dr:strategy": strategy, ...active }), "Pulumi.primary.yaml") },
    { stack: "secondary", config: parseDrConfig(givenStackFile("secondary", { "dr:strategy": strategy, "dr:natStrategy": "per-az", ...active }), "Pulumi.secondary.yaml") },
    { stack: "links", config: parseDrConfig(givenStackFile("links", active), "Pulumi.links.yaml") },
  ];
}

const order = deployOrder(orderStacks(stackSet("warm-standby").map((s) => ({ name: s.stack, role: s.config.role }))));
/** Every order an operator can deploy in: the usual one, the reverse, and the outage's (only the secondary). */
const ORDERS: readonly (readonly string[])[] = [order, [...order].reverse(), ["secondary"]];

describe("failover record roles across deploys (Route 53: one PRIMARY and one SECONDARY per name)", () => {
  it("the walk refuses the old rule (roles following dr:activeRegion) in either deploy order", () => {
    // The records a rule following the active region would give before and after a flip to the secondary's region.
    const before = { primary: "PRIMARY", secondary: "SECONDARY" } as const;
    const after = { primary: "SECONDARY", secondary: "PRIMARY" } as const;
    expect(failoverTransitionProblems(before, after, ["primary", "secondary"])).to.deep.equal([
      "after deploying primary: stacks primary and secondary both hold a SECONDARY failover record; Route 53 accepts one PRIMARY and one SECONDARY per name",
    ]);
    expect(failoverTransitionProblems(before, after, ["secondary", "primary"])).to.deep.equal([
      "after deploying secondary: stacks primary and secondary both hold a PRIMARY failover record; Route 53 accepts one PRIMARY and one SECONDARY per name",
    ]);
  });

  for (const strategy of DR_STRATEGIES) {
    it(`${strategy}: flipping dr:activeRegion to ${SECONDARY_REGION} and back passes every intermediate state in every deploy order`, () => {
      const normal = failoverRecordsOf(stackSet(strategy));
      const switched = failoverRecordsOf(stackSet(strategy, SECONDARY_REGION));
      for (const o of ORDERS) {
        expect(failoverTransitionProblems(normal, switched, o), `failover, order ${o.join(",")}`).to.deep.equal([]);
        expect(failoverTransitionProblems(switched, normal, o), `failback, order ${o.join(",")}`).to.deep.equal([]);
      }
      // What each stack owns, from the README's ownership table (latency records for active-active).
      const expected = strategy === "active-active" ? { primary: undefined, secondary: undefined, links: undefined } : { primary: "PRIMARY", secondary: "SECONDARY", links: undefined };
      expect(switched).to.deep.equal(expected);
      expect(normal).to.deep.equal(expected);
    });
  }
});
