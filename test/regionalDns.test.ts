import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fc from "fast-check";
import { regionalDnsProblems, RegionalDns, RegionalDnsArgs, validateRegionalDnsArgs } from "../components/dns/regionalDns";
import { Evaluation, evaluateStack } from "../src/engine/evaluate";
import { HEALTH_CHECKER_REGIONS } from "../components/regions";
import { oneOf, parentOf, resourcesOf } from "./harness/stack";

const ZONE = "Z0123456789ABCDEFGHIJ";
const DOMAIN = "orders.example.com";
const RECORD = "aws:route53/record:Record";
const HEALTH = "aws:route53/healthCheck:HealthCheck";

/** Two regions' worth of inputs, as each stack would pass them. */
const SITES = {
  primary: { region: "us-east-1", alb: "web-east-0123456789.us-east-1.elb.amazonaws.com", albZone: "Z35SXDOTRQ7X7K", role: "PRIMARY" as const,
    healthCheck: { path: "/healthz", intervalSeconds: 10, failureThreshold: 3, checkerRegions: ["us-east-1", "us-west-2", "eu-west-1"] } },
  secondary: { region: "us-west-2", alb: "web-west-0123456789.us-west-2.elb.amazonaws.com", albZone: "Z1H1FL5HABSF5", role: "SECONDARY" as const,
    healthCheck: { path: "/ready", intervalSeconds: 30, failureThreshold: 2, checkerRegions: [] as string[] } },
};

function argsFor(site: (typeof SITES)["primary" | "secondary"], routing: "failover" | "latency"): RegionalDnsArgs {
  return {
    hostedZoneId: ZONE,
    domain: DOMAIN,
    region: site.region,
    routing,
    failoverRole: routing === "failover" ? site.role : undefined,
    loadBalancerDnsName: site.alb,
    loadBalancerZoneId: site.albZone,
    healthCheck: site.healthCheck,
    zoneName: "example.com",
    // The switch check is built elsewhere (the primary stack); any id stands for it here.
    switchHealthCheckId: `switch-${site.region}`,
  };
}

async function evaluatePair(routing: "failover" | "latency"): Promise<Evaluation> {
  return evaluateStack({
    stack: `dns-${routing}`,
    config: {},
    program: async () => {
      for (const [key, site] of Object.entries(SITES)) {
        const provider = new aws.Provider(`${key}-provider`, { region: site.region });
        new RegionalDns(key, argsFor(site, routing), { provider });
      }
    },
  });
}

const validArgs = (): RegionalDnsArgs => argsFor(SITES.primary, "failover");

describe("RegionalDns", () => {
  let failover: Evaluation;
  let latency: Evaluation;

  before(async () => {
    failover = await evaluatePair("failover");
    latency = await evaluatePair("latency");
  });

  const sharedOf = (ev: Evaluation, key: string) => oneOf(ev, RECORD, new RegExp(`^${key}-shared$`));
  const regionalOf = (ev: Evaluation, key: string) => oneOf(ev, RECORD, new RegExp(`^${key}-regional$`));
  const healthOf = (ev: Evaluation, key: string) => oneOf(ev, HEALTH, new RegExp(`^${key}-health$`));
  const recordHealthOf = (ev: Evaluation, key: string) => oneOf(ev, HEALTH, new RegExp(`^${key}-record-health$`));
  const outputsOf = (ev: Evaluation, key: string) => {
    const component = oneOf(ev, "dr:dns:RegionalDns", new RegExp(`^${key}$`));
    return ev.componentOutputs.get(component.urn) ?? {};
  };

  describe("failover pair (one per stack)", () => {
    it("gives both failover records the same name and zone, one PRIMARY and one SECONDARY", () => {
      const p = sharedOf(failover, "primary").inputs;
      const s = sharedOf(failover, "secondary").inputs;
      expect(p.name).to.equal(DOMAIN);
      expect(s.name).to.equal(p.name);
      expect(p.zoneId).to.equal(ZONE);
      expect(s.zoneId).to.equal(p.zoneId);
      expect(p.failoverRoutingPolicies).to.deep.equal([{ type: "PRIMARY" }]);
      expect(s.failoverRoutingPolicies).to.deep.equal([{ type: "SECONDARY" }]);
      expect(p.latencyRoutingPolicies ?? []).to.be.empty;
    });

    it("gives each stack's member its own set identifier, the region", () => {
      const p = sharedOf(failover, "primary").inputs.setIdentifier;
      const s = sharedOf(failover, "secondary").inputs.setIdentifier;
      expect(p).to.equal(SITES.primary.region);
      expect(s).to.equal(SITES.secondary.region);
      expect(p).to.not.equal(s);
    });

    it("makes every record an alias to its own region's ALB with evaluateTargetHealth and no TTL or literal records", () => {
      for (const [key, site] of Object.entries(SITES)) {
        for (const record of [sharedOf(failover, key), regionalOf(failover, key)]) {
          expect(record.inputs.type, record.name).to.equal("A");
          expect(record.inputs.aliases, record.name).to.deep.equal([{ name: site.alb, zoneId: site.albZone, evaluateTargetHealth: true }]);
          expect(record.inputs, record.name).to.not.have.property("ttl");
          expect(record.inputs, record.name).to.not.have.property("records");
        }
      }
    });

    it("attaches each region's own record health to its failover record (a failover member needs one)", () => {
      const ids = Object.keys(SITES).map((key) => {
        const id = sharedOf(failover, key).inputs.healthCheckId;
        expect(id, key).to.be.a("string").and.not.empty;
        expect(id, key).to.equal(outputsOf(failover, key).recordHealthCheckId);
        expect(id, key).to.not.equal(outputsOf(failover, key).healthCheckId);
        return id;
      });
      expect(ids[0]).to.not.equal(ids[1]);
    });

    // Route 53: a CALCULATED check is healthy while at least HealthThreshold children are; a
    // threshold above the child count is always unhealthy, 0 always healthy, and a calculated check
    // cannot be a child (https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html).
    it("makes each record's health a CALCULATED AND of the endpoint check and the region's switch (threshold = 2 = children)", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const calc = recordHealthOf(failover, key);
        expect(calc.inputs.type).to.equal("CALCULATED");
        expect(calc.inputs.childHealthchecks).to.deep.equal([outputsOf(failover, key).healthCheckId, `switch-${site.region}`]);
        expect(calc.inputs.childHealthThreshold).to.equal((calc.inputs.childHealthchecks as string[]).length);
        expect(calc.inputs.childHealthThreshold).to.equal(2);
        // The endpoint child is an endpoint check, never another calculated one.
        expect(healthOf(failover, key).inputs.type).to.equal("HTTPS");
        // Calculated checks take no endpoint settings; a disabled or inverted parent would hide both children.
        for (const field of ["fqdn", "port", "requestInterval", "failureThreshold", "invertHealthcheck", "disabled"]) expect(calc.inputs, field).to.not.have.property(field);
      }
    });

    it("refuses a record without a switch, naming the input and the fix", () => {
      const problems = regionalDnsProblems({ ...validArgs(), switchHealthCheckId: "" });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.contain("switchHealthCheckId is missing").and.contain("stacks/regionSwitch.ts");
    });

    it("checks each region over HTTPS on 443 at its regional name, with the configured interval, threshold, path and SNI", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const hc = healthOf(failover, key).inputs;
        expect(hc.type).to.equal("HTTPS");
        expect(hc.port).to.equal(443);
        expect(hc.fqdn).to.equal(`${site.region}.${DOMAIN}`);
        expect(hc.resourcePath).to.equal(site.healthCheck.path);
        expect(hc.requestInterval).to.equal(site.healthCheck.intervalSeconds);
        expect(hc.failureThreshold).to.equal(site.healthCheck.failureThreshold);
        expect(hc.enableSni).to.equal(true);
        expect(hc.measureLatency).to.equal(false);
        expect(hc.tags).to.have.property("Name", `${site.region}.${DOMAIN}`);
      }
    });

    it("passes checker regions only when some are chosen (an empty list means Route 53's default set)", () => {
      expect(healthOf(failover, "primary").inputs.regions).to.deep.equal(SITES.primary.healthCheck.checkerRegions);
      expect(healthOf(failover, "secondary").inputs).to.not.have.property("regions");
    });

    it("creates the regional name the health check probes as a plain alias, outside the failover set", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const regional = regionalOf(failover, key).inputs;
        expect(regional.name).to.equal(healthOf(failover, key).inputs.fqdn);
        expect(regional.name).to.equal(`${site.region}.${DOMAIN}`);
        expect(regional.zoneId).to.equal(ZONE);
        expect(regional).to.not.have.property("setIdentifier");
        expect(regional).to.not.have.property("failoverRoutingPolicies");
        expect(regional).to.not.have.property("healthCheckId");
      }
    });

    it("never overwrites records another stack owns", () => {
      const records = resourcesOf(failover, RECORD);
      expect(records).to.have.length(4);
      for (const r of records) expect(r.inputs.allowOverwrite, r.name).to.equal(false);
    });

    it("registers every resource under its component with the provider it was given", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const children = [sharedOf(failover, key), regionalOf(failover, key), healthOf(failover, key), recordHealthOf(failover, key)];
        for (const child of children) {
          expect(parentOf(failover, child)?.name, child.name).to.equal(key);
          expect(child.region, child.name).to.equal(site.region);
        }
      }
    });

    it("exports the names, set identifier and detection time (interval x threshold) a drill needs", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const out = outputsOf(failover, key);
        expect(out.recordName).to.equal(DOMAIN);
        expect(out.regionalName).to.equal(`${site.region}.${DOMAIN}`);
        expect(out.setIdentifier).to.equal(site.region);
        expect(out.detectionSeconds).to.equal(site.healthCheck.intervalSeconds * site.healthCheck.failureThreshold);
      }
    });
  });

  describe("latency pair (active-active)", () => {
    it("routes each member by its own region, with no failover policy", () => {
      for (const [key, site] of Object.entries(SITES)) {
        const r = sharedOf(latency, key).inputs;
        expect(r.name).to.equal(DOMAIN);
        expect(r.latencyRoutingPolicies).to.deep.equal([{ region: site.region }]);
        expect(r.setIdentifier).to.equal(site.region);
        expect(r).to.not.have.property("failoverRoutingPolicies");
      }
    });

    it("still gives each latency member a health check and a TTL-less alias with evaluateTargetHealth", () => {
      for (const key of Object.keys(SITES)) {
        const r = sharedOf(latency, key).inputs;
        expect(r.healthCheckId).to.equal(outputsOf(latency, key).recordHealthCheckId);
        expect(r).to.not.have.property("ttl");
        expect((r.aliases as { evaluateTargetHealth: boolean }[])[0].evaluateTargetHealth).to.equal(true);
      }
      // An endpoint check and the calculated record health per region.
      expect(resourcesOf(latency, HEALTH)).to.have.length(4);
    });
  });

  describe("validation (before anything is registered)", () => {
    const cases: { what: string; change: Partial<RegionalDnsArgs> & { hc?: Partial<RegionalDnsArgs["healthCheck"]> }; input: string; value: string; fix: RegExp }[] = [
      { what: "failover without a role", change: { failoverRole: undefined }, input: "failoverRole", value: "missing", fix: /set PRIMARY .* SECONDARY/ },
      { what: "latency with a role", change: { routing: "latency", failoverRole: "PRIMARY" }, input: "failoverRole", value: "\"PRIMARY\"", fix: /remove it/ },
      { what: "interval 20", change: { hc: { intervalSeconds: 20 } }, input: "healthCheck.intervalSeconds", value: "20", fix: /use 10 or 30/ },
      { what: "threshold 0", change: { hc: { failureThreshold: 0 } }, input: "healthCheck.failureThreshold", value: "0", fix: /from 1 to 10/ },
      { what: "threshold 11", change: { hc: { failureThreshold: 11 } }, input: "healthCheck.failureThreshold", value: "11", fix: /from 1 to 10/ },
      { what: "two checker regions", change: { hc: { checkerRegions: ["us-east-1", "us-west-2"] } }, input: "healthCheck.checkerRegions", value: "us-east-1, us-west-2", fix: /at least 3/ },
      { what: "a checker region Route 53 does not run", change: { hc: { checkerRegions: ["us-east-1", "us-west-2", "eu-central-1"] } }, input: "healthCheck.checkerRegions", value: "eu-central-1", fix: /use us-east-1/ },
      { what: "a bare word as domain", change: { domain: "orders" }, input: "domain", value: "\"orders\"", fix: /such as orders\.example\.com/ },
      { what: "a domain with a bad label", change: { domain: "-orders.example.com" }, input: "domain", value: "-orders.example.com", fix: /use a name/ },
      { what: "a domain outside the zone", change: { domain: "orders.example.org" }, input: "zoneName", value: "example.com", fix: /use a domain under example\.com/ },
      { what: "a hosted zone id that is not one", change: { hostedZoneId: "zone-1" }, input: "hostedZoneId", value: "zone-1", fix: /starts with Z/ },
      { what: "a path without a slash", change: { hc: { path: "healthz" } }, input: "healthCheck.path", value: "healthz", fix: /starting with \// },
    ];

    for (const c of cases) {
      it(`rejects ${c.what}, naming the input, its value and the fix`, () => {
        const base = validArgs();
        const { hc, ...rest } = c.change;
        const args: RegionalDnsArgs = { ...base, ...rest, healthCheck: { ...base.healthCheck, ...hc } };
        expect(() => validateRegionalDnsArgs(args)).to.throw(/^RegionalDns: invalid arguments/);
        const problems = regionalDnsProblems(args);
        expect(problems, JSON.stringify(problems)).to.have.length(1);
        expect(problems[0]).to.contain(c.input).and.contain(c.value).and.match(c.fix);
      });
    }

    it("accepts both stacks' arguments as given", () => {
      for (const site of Object.values(SITES)) {
        expect(regionalDnsProblems(argsFor(site, "failover"))).to.deep.equal([]);
        expect(regionalDnsProblems(argsFor(site, "latency"))).to.deep.equal([]);
      }
    });

    it("reports every problem in one error rather than stopping at the first", () => {
      const base = validArgs();
      const args: RegionalDnsArgs = { ...base, domain: "nope", failoverRole: undefined, healthCheck: { ...base.healthCheck, intervalSeconds: 60, failureThreshold: 0 } };
      let message = "";
      try {
        validateRegionalDnsArgs(args);
      } catch (err) {
        message = (err as Error).message;
      }
      for (const input of ["domain", "failoverRole", "healthCheck.intervalSeconds", "healthCheck.failureThreshold"]) expect(message).to.contain(input);
    });

    it("accepts exactly the intervals and thresholds Route 53 offers (property)", () => {
      fc.assert(fc.property(fc.integer({ min: -5, max: 120 }), fc.integer({ min: -3, max: 15 }), (interval, threshold) => {
        const base = validArgs();
        const problems = regionalDnsProblems({ ...base, healthCheck: { ...base.healthCheck, intervalSeconds: interval, failureThreshold: threshold } });
        const intervalOk = interval === 10 || interval === 30;
        const thresholdOk = threshold >= 1 && threshold <= 10;
        expect(problems.some((p) => p.startsWith("healthCheck.intervalSeconds"))).to.equal(!intervalOk);
        expect(problems.some((p) => p.startsWith("healthCheck.failureThreshold"))).to.equal(!thresholdOk);
      }));
    });

    it("accepts any 3 or more distinct checker regions Route 53 runs, or none (property)", () => {
      fc.assert(fc.property(fc.subarray([...HEALTH_CHECKER_REGIONS]), (regions) => {
        const base = validArgs();
        const problems = regionalDnsProblems({ ...base, healthCheck: { ...base.healthCheck, checkerRegions: regions } });
        expect(problems.length === 0).to.equal(regions.length === 0 || regions.length >= 3);
      }));
    });
  });
});
