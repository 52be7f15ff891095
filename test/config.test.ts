import { expect } from "chai";
import { ConfigError, DEFAULT_HEALTH_CHECK, DrConfig, parseDrConfig, parseStackConfig, StackConfig } from "../stacks/configSchema";
import { secondaryActiveRegionCheck, sharedSettings, validateStackSet } from "../stacks/stackSet";
import { EvaluationError } from "../src/engine/evaluate";
import { readStackConfig } from "../src/engine/stackFiles";
import { EXAMPLE_DIR, givenStackFile, whenEvaluated, withOverrides } from "./harness/stack";
import { exampleDeployment } from "./harness/deployments";

const primaryFile = () => readStackConfig(EXAMPLE_DIR, "primary");
const secondaryFile = () => readStackConfig(EXAMPLE_DIR, "secondary");
const linksFile = () => readStackConfig(EXAMPLE_DIR, "links");

function problemsOf(raw: Record<string, unknown>): ConfigError {
  try {
    parseStackConfig(raw, "test config");
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, but the config parsed");
}

describe("stack configuration contract", () => {
  describe("the example stack files", () => {
    it("parse into typed configs with the documented defaults filled in", () => {
      const primary = parseStackConfig(primaryFile(), "Pulumi.primary.yaml");
      expect(primary.role).to.equal("primary");
      expect(primary.region).to.equal("us-east-1");
      expect(primary.azCount).to.equal(3);
      expect(primary.capacity.app.instanceType).to.equal("m6i.large");
      expect(primary.healthCheck.checkerRegions).to.deep.equal([]);
      const secondary = parseStackConfig(secondaryFile(), "Pulumi.secondary.yaml");
      expect(secondary.primaryStack).to.equal("organization/dr-platform/primary");
    });

    it("are consistent with each other as a stack set", () => {
      const stacks = [
        { stack: "primary", config: parseStackConfig(primaryFile(), "p") },
        { stack: "secondary", config: parseStackConfig(secondaryFile(), "s") },
      ];
      expect(() => validateStackSet(stacks)).not.to.throw();
    });

    it("fill defaults for omitted optional settings", () => {
      const minimal = withOverrides(primaryFile(), { "dr:healthCheck": undefined, "dr:azCount": undefined, "dr:database": undefined, "dr:capacity": undefined });
      const c = parseStackConfig(minimal, "minimal");
      expect(c.healthCheck.intervalSeconds).to.equal(DEFAULT_HEALTH_CHECK.intervalSeconds);
      expect(c.azCount).to.equal(3);
      expect(c.database.engine).to.equal("aurora-postgresql");
      expect(c.database.engineVersion).to.match(/^\d+\.\d+$/);
      expect(c.capacity.web.desired).to.be.at.least(c.azCount);
    });

    it("derive the MySQL default engine version when only the engine is given", () => {
      const c = parseStackConfig(withOverrides(primaryFile(), { "dr:database": { engine: "aurora-mysql" } }), "mysql");
      expect(c.database.engineVersion).to.contain("mysql_aurora");
    });
  });

  // Each row: a change to the primary's file, the key the error must name, and words of the fix.
  const badPrimaryInputs: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["unknown region", { "aws:region": "us-east-9" }, "aws:region", /not a known AWS region; use one of .*us-east-1/],
    ["CIDR too small for the subnet plan", { "dr:vpcCidr": "10.10.0.0/24" }, "dr:vpcCidr", /too small for the subnet plan.*\/16 to \/22/],
    ["CIDR larger than a VPC may be", { "dr:vpcCidr": "10.0.0.0/12" }, "dr:vpcCidr", /larger than AWS allows/],
    ["CIDR that is not a CIDR", { "dr:vpcCidr": "10.10.0/16" }, "dr:vpcCidr", /not an IPv4 CIDR such as 10.0.0.0\/16/],
    ["CIDR with host bits set", { "dr:vpcCidr": "10.10.1.0/16" }, "dr:vpcCidr", /host bits set.*network address/],
    ["AZ count below 2", { "dr:azCount": "1" }, "dr:azCount", /at least 2/],
    ["AZ count above what the region has", { "aws:region": "us-west-1", "dr:azCount": "3" }, "dr:azCount", /more than us-west-1 offers; use 2 to 2/],
    ["unknown strategy", { "dr:strategy": "hot-spare" }, "dr:strategy", /one of backup-restore, pilot-light, warm-standby, active-active/],
    ["health-check interval other than 10 or 30", { "dr:healthCheck": { intervalSeconds: 20 } }, "dr:healthCheck.intervalSeconds", /10 or 30/],
    ["failure threshold below 1", { "dr:healthCheck": { failureThreshold: 0 } }, "dr:healthCheck.failureThreshold", /from 1 to 10/],
    ["failure threshold above 10", { "dr:healthCheck": { failureThreshold: 11 } }, "dr:healthCheck.failureThreshold", /from 1 to 10/],
    // Route 53's ResourcePath holds at most 255 characters (API_HealthCheckConfig).
    ["health-check path over 255 characters", { "dr:healthCheck": { path: `/${"h".repeat(255)}` } }, "dr:healthCheck.path", /at most 255 characters/],
    ["health-check path without a leading slash", { "dr:healthCheck": { path: "healthz" } }, "dr:healthCheck.path", /starting with \//],
    ["too few health-checker regions", { "dr:healthCheck": { checkerRegions: ["us-east-1", "eu-west-1"] } }, "dr:healthCheck.checkerRegions", /at least 3/],
    ["missing domain", { "dr:domain": undefined }, "dr:domain", /is required/],
    ["domain that is not a name", { "dr:domain": "orders_example" }, "dr:domain", /fully qualified domain name/],
    ["hosted zone id of the wrong shape", { "dr:hostedZoneId": "example.com" }, "dr:hostedZoneId", /starts with Z/],
    ["burstable database class", { "dr:database": { instanceClass: "db.t4g.medium" } }, "dr:database.instanceClass", /burstable.*memory-optimized/],
    ["engine version of the other engine", { "dr:database": { engine: "aurora-mysql", engineVersion: "16.6" } }, "dr:database.engineVersion", /not an aurora-mysql version/],
    ["capacity with min above desired", { "dr:capacity": { web: { min: 5, desired: 3, max: 9 } } }, "dr:capacity.web", /min <= desired <= max/],
    ["misspelt setting", { "dr:vpcCdr": "10.0.0.0/16" }, "dr:vpcCdr", /not a setting of this platform.*dr:vpcCidr/],
    ["unknown role", { "dr:role": "standby" }, "dr:role", /primary, secondary/],
    ["app name too long for load balancer names", { "dr:appName": "orders-and-payments-platform" }, "dr:appName", /3-16 characters/],
    ["negative DNS TTL", { "dr:dnsTtl": "-5" }, "dr:dnsTtl", /0 to 172800/],
    ["primary without its golden AMI", { "dr:amiId": undefined }, "dr:amiId", /golden AMI/],
    ["single NAT gateway on the primary", { "dr:natStrategy": "single" }, "dr:natStrategy", /needs per-az/],
    ["missing recovery objectives", { "dr:objectives": undefined }, "dr:objectives", /is required/],
    ["an RPO target missing for one store", { "dr:objectives": { rtoSeconds: 120, rpoSeconds: { database: 1, objects: 900 } } }, "dr:objectives.rpoSeconds.secrets", /is required/],
    ["an RPO target for a store the platform does not have", { "dr:objectives": { rtoSeconds: 120, rpoSeconds: { database: 1, objects: 900, secrets: 60, queues: 5 } } }, "dr:objectives.rpoSeconds", /unknown field\(s\) queues/],
    // ALB limits: interval 5-300 s, thresholds 2-10 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html)
    ["target-group interval below the ALB's 5 s", { "dr:targetHealth": { intervalSeconds: 4 } }, "dr:targetHealth.intervalSeconds", /from 5 to 300/],
    ["target-group healthy threshold below the ALB's 2", { "dr:targetHealth": { healthyThreshold: 1 } }, "dr:targetHealth.healthyThreshold", /from 2 to 10/],
    ["target-group unhealthy threshold above 10", { "dr:targetHealth": { unhealthyThreshold: 11 } }, "dr:targetHealth.unhealthyThreshold", /from 2 to 10/],
    ["a warm-pool state AWS does not offer", { "dr:warmPool": { poolState: "Frozen" } }, "dr:warmPool.poolState", /Stopped, Hibernated, Running/],
    ["a warm pool asked of a strategy with nothing to fill", { "dr:strategy": "active-active", "dr:warmPool": { enabled: true } }, "dr:warmPool.enabled", /warm-standby and pilot-light/],
    ["primary naming a primary stack", { "dr:primaryStack": "organization/dr-platform/primary" }, "dr:primaryStack", /remove it/],
  ];

  for (const [what, overrides, key, fix] of badPrimaryInputs) {
    it(`rejects ${what}, naming ${key}, the value and the fix`, () => {
      const err = problemsOf(withOverrides(primaryFile(), overrides));
      const problem = err.problems.find((p) => p.key === key);
      expect(problem, `problems: ${err.message}`).to.exist;
      expect(problem!.message).to.match(fix);
      expect(err.message).to.contain(`- ${key} = `);
    });
  }

  it("refuses the old single-number RPO with the per-store replacement, and only that one problem for the key", () => {
    for (const old of [{ rtoSeconds: 900, rpoSeconds: 60 }, JSON.stringify({ rtoSeconds: 900, rpoSeconds: "60" })]) {
      const err = problemsOf(withOverrides(primaryFile(), { "dr:objectives": old }));
      const about = err.problems.filter((p) => p.key.startsWith("dr:objectives"));
      expect(about.map((p) => p.key), err.message).to.deep.equal(["dr:objectives.rpoSeconds"]);
      expect(about[0].message).to.match(/single number/).and.match(/database: 1, objects: 900, secrets: 60/);
      expect(err.message).to.contain("dr:objectives.rpoSeconds = ");
    }
  });

  it("reads per-store RPO targets, target-group health and warm-pool settings as given", () => {
    const c = parseStackConfig(withOverrides(secondaryFile(), {
      "dr:objectives": { rtoSeconds: 200, rpoSeconds: { database: 5, objects: 1800, secrets: 120 } },
      "dr:targetHealth": { intervalSeconds: 10, healthyThreshold: 3 },
      "dr:warmPool": { poolState: "Hibernated", minSize: 1 },
    }), "s");
    expect(c.objectives).to.deep.equal({ rtoSeconds: 200, rpoSeconds: { database: 5, objects: 1800, secrets: 120 } });
    // unhealthyThreshold falls back to its default of 3 (three failures ride out one slow answer).
    expect(c.targetHealth).to.deep.equal({ intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 });
    expect(c.warmPool).to.deep.equal({ poolState: "Hibernated", minSize: 1 });
  });

  it("rejects a secondary without a primary stack name", () => {
    const err = problemsOf(withOverrides(secondaryFile(), { "dr:primaryStack": undefined }));
    expect(err.problems.map((p) => p.key)).to.include("dr:primaryStack");
    expect(err.message).to.match(/required on a secondary stack/);
  });

  it("allows a single NAT gateway on a standby secondary only", () => {
    expect(() => parseStackConfig(withOverrides(secondaryFile(), { "dr:natStrategy": "single" }), "s")).not.to.throw();
    const err = problemsOf(withOverrides(secondaryFile(), { "dr:natStrategy": "single", "dr:strategy": "active-active" }));
    expect(err.problems.map((p) => p.key)).to.include("dr:natStrategy");
  });

  it("reports every problem at once, with the bad values quoted", () => {
    const err = problemsOf(withOverrides(primaryFile(), { "aws:region": "mars-1", "dr:strategy": "yolo", "dr:healthCheck": { intervalSeconds: 15 } }));
    expect(err.problems.map((p) => p.key)).to.include.members(["aws:region", "dr:strategy", "dr:healthCheck.intervalSeconds"]);
    expect(err.message).to.contain('"mars-1"').and.contain('"yolo"').and.contain("15");
    expect(err.message).to.match(/\(3 problems\)/);
  });

  describe("a value of the wrong type or shape, as a newcomer writes it", () => {
    // Each row: a change to the primary's file, the key in `pulumi config set --path` syntax, the value as printed, and the fix.
    const wrongTypes: Array<[Record<string, unknown>, string, string, string]> = [
      [{ "dr:healthCheck": { intervalSeconds: "ten" } }, "dr:healthCheck.intervalSeconds", '"ten"', "must be a number of seconds, 10 or 30 (the only intervals Route 53 offers)"],
      [{ "dr:objectives": { rtoSeconds: "fast", rpoSeconds: { database: 1, objects: 900, secrets: 60 } } }, "dr:objectives.rtoSeconds", '"fast"', "must be a whole number of seconds, written as digits only, such as 60"],
      [{ "dr:dnsTtl": "60s" }, "dr:dnsTtl", '"60s"', "must be a whole number of seconds, written as digits only, such as 60"],
      [{ "dr:dnsTtl": "1.5" }, "dr:dnsTtl", '"1.5"', "must be a whole number of seconds, written as digits only, such as 60"],
      [{ "dr:capacity": { web: { min: "three" } } }, "dr:capacity.web.min", '"three"', "must be a whole number of instances, written as digits only, such as 3"],
      [{ "dr:recovery": { approval: "yes" } }, "dr:recovery.approval", '"yes"', "must be true or false"],
      [{ "dr:createAutoScalingServiceLinkedRole": "yes" }, "dr:createAutoScalingServiceLinkedRole", '"yes"', "must be true or false"],
      [{ "dr:healthCheck": { path: 5 } }, "dr:healthCheck.path", "5", "must be a URL path starting with /"],
      [{ "dr:database": { engineVersion: 16.6 } }, "dr:database.engineVersion", "16.6", 'must be text; quote it in the stack file, such as engineVersion: "16.6"'],
      [{ "dr:tags": { "cost-center": 4711 } }, "dr:tags.cost-center", "4711", 'must be text; quote a number in the stack file, such as cost-center: "4711"'],
      [{ "dr:alerts": { email: "oncall@example.com" } }, "dr:alerts.email", '"oncall@example.com"', "must be a list of email addresses"],
      [{ "dr:healthCheck": "every ten seconds" }, "dr:healthCheck", '"every ten seconds"', "must be a map of fields"],
    ];
    for (const [overrides, key, value, fix] of wrongTypes) {
      it(`tells ${key} = ${value} what it must be, not that it is required`, () => {
        const err = problemsOf(withOverrides(primaryFile(), overrides));
        expect(err.message).to.contain(`- ${key} = ${value}: ${fix}`).and.not.contain("is required");
        expect(err.problems).to.have.length(1);
      });
    }

    it("still calls a missing number or text required, with what to set", () => {
      const err = problemsOf(withOverrides(primaryFile(), { "dr:objectives": { rpoSeconds: { database: 1, objects: 900, secrets: 60 } }, "dr:domain": undefined }));
      expect(err.message).to.contain("- dr:objectives.rtoSeconds = (not set): is required\n");
      expect(err.message).to.contain("- dr:domain = (not set): is required: the name clients resolve, such as app.example.com");
    });

    it("names list elements as pulumi config set --path reads them ([0]), and quotes a map key holding a dot", () => {
      const err = problemsOf(withOverrides(primaryFile(), {
        "dr:alerts": { email: ["oncall@example.com", "oncall"] },
        "dr:healthCheck": { checkerRegions: ["us-east-1", "eu-west-1", "mars-1"] },
        "dr:tags": { "app.example.com/team": 7 },
      }));
      expect(err.message).to.contain('- dr:alerts.email[1] = "oncall": is not an email address; use an address such as oncall@example.com');
      expect(err.message).to.contain('- dr:healthCheck.checkerRegions[2] = "mars-1": is not a Route 53 health-checker region');
      expect(err.message).to.contain('- dr:tags["app.example.com/team"] = 7: must be text');
      expect(err.message).to.contain("Fix each with: pulumi config set --path '<key>' <value>");
    });

    it("calls a region that is not shaped like one no region name, and does not offer dr:allowedRegions for it", () => {
      const err = problemsOf(withOverrides(primaryFile(), { "aws:region": "uswest2" }));
      expect(err.message).to.contain('- aws:region = "uswest2": is not an AWS region name; write it as us-west-2\n');
      expect(err.message).to.not.contain("allowedRegions");
      expect(err.problems).to.have.length(1);
      expect(problemsOf(withOverrides(primaryFile(), { "aws:region": "US West (Oregon)" })).message)
        .to.contain('- aws:region = "US West (Oregon)": is not an AWS region name such as us-west-2; use the region\'s code');
      const replica = problemsOf(withOverrides(primaryFile(), { "dr:replicaRegions": ["uswest2"] }));
      expect(replica.message).to.contain('- dr:replicaRegions[0] = "uswest2": is not an AWS region name; write it as us-west-2').and.not.contain("allowedRegions");
      // A well-formed region outside the list is still told the list; an allowed list still names a known region outside it.
      expect(problemsOf(withOverrides(primaryFile(), { "aws:region": "us-west-9" })).message).to.contain('- aws:region = "us-west-9": is not a known AWS region; use one of us-east-1');
      expect(problemsOf(withOverrides(primaryFile(), { "aws:region": "eu-west-1" })).message).to.contain("add eu-west-1 to dr:allowedRegions in every stack file");
    });
  });

  describe("active-active and Aurora global write forwarding", () => {
    const activeActive = (engine: string, engineVersion: string) => withOverrides(primaryFile(), { "dr:strategy": "active-active", "dr:database": { engine, engineVersion, instanceClass: "db.r6g.large" } });

    it("refuses an engine version that cannot forward writes, naming the floor", () => {
      const err = problemsOf(activeActive("aurora-postgresql", "14.8"));
      expect(err.problems.map((p) => p.key)).to.deep.equal(["dr:database.engineVersion"]);
      expect(err.message).to.contain("aurora-postgresql 14.8 cannot forward writes").and.contain("14.9+").and.contain("another dr:strategy");
      expect(problemsOf(activeActive("aurora-mysql", "8.0.mysql_aurora.3.03.1")).message).to.contain("3.04.0+");
    });

    it("accepts the versions AWS lists, and any version for strategies that do not forward writes", () => {
      for (const [engine, version] of [["aurora-postgresql", "14.9"], ["aurora-postgresql", "15.4"], ["aurora-postgresql", "16.1"], ["aurora-postgresql", "17.4"], ["aurora-mysql", "8.0.mysql_aurora.3.04.0"], ["aurora-mysql", "5.7.mysql_aurora.2.08.1"]]) {
        expect(() => parseStackConfig(activeActive(engine, version), "p"), version).not.to.throw();
      }
      expect(() => parseStackConfig(withOverrides(primaryFile(), { "dr:database": { engine: "aurora-postgresql", engineVersion: "14.8" } }), "p")).not.to.throw();
    });
  });

  describe("the Auto Scaling service-linked role switch", () => {
    const key = "dr:createAutoScalingServiceLinkedRole";

    it("defaults to false and accepts true on the primary", () => {
      expect(parseStackConfig(primaryFile(), "p").createAutoScalingServiceLinkedRole).to.equal(false);
      expect(parseStackConfig(withOverrides(primaryFile(), { [key]: "true" }), "p").createAutoScalingServiceLinkedRole).to.equal(true);
    });

    it("refuses it on a secondary and a value that is not a boolean", () => {
      expect(problemsOf(withOverrides(secondaryFile(), { [key]: "true" })).message).to.contain(`${key} = "true": is true on a secondary stack`).and.contain("only the primary stack may create it");
      expect(problemsOf(withOverrides(primaryFile(), { [key]: "yes" })).message).to.contain(`${key} = "yes": must be true or false`);
    });

    it("lets only one stack of the set create it, and only the primary", () => {
      const primary = parseStackConfig(withOverrides(primaryFile(), { [key]: "true" }), "p");
      const secondary = parseStackConfig(secondaryFile(), "s");
      expect(() => validateStackSet([{ stack: "primary", config: primary }, { stack: "secondary", config: secondary }])).not.to.throw();
      // A stack file that skipped the per-stack check (another role, or an edited config) is still caught across the set.
      const flagged = { ...secondary, createAutoScalingServiceLinkedRole: true };
      expect(() => validateStackSet([{ stack: "primary", config: primary }, { stack: "secondary", config: flagged }]))
        .to.throw(/createAutoScalingServiceLinkedRole = true: is true in stacks primary, secondary; the role is one per account/);
      expect(() => validateStackSet([{ stack: "primary", config: parseStackConfig(primaryFile(), "p") }, { stack: "secondary", config: flagged }]))
        .to.throw(/is true in stack secondary, but the KMS keys of the primary, stack primary, are created first/);
    });
  });

  describe("across the two stack files", () => {
    const parsed = (raw: Record<string, string>, name: string): StackConfig => parseStackConfig(raw, name);
    const set = (secondaryOverrides: Record<string, unknown>) => () => validateStackSet([
      { stack: "primary", config: parsed(primaryFile(), "p") },
      { stack: "secondary", config: parsed(withOverrides(secondaryFile(), secondaryOverrides), "s") },
    ]);

    it("rejects a secondary in the primary's region", () => {
      expect(set({ "aws:region": "us-east-1" })).to.throw(/aws:region = "us-east-1": is the region of stack primary too/);
    });

    it("rejects CIDRs that overlap between the stack files", () => {
      expect(set({ "dr:vpcCidr": "10.10.128.0/17" })).to.throw(/dr:vpcCidr = "10.10.128.0\/17": overlaps 10.10.0.0\/16 of stack primary/);
    });

    it("rejects a secondary whose domain or strategy differs from the primary's", () => {
      expect(set({ "dr:domain": "other.example.com" })).to.throw(/dr:domain .*differs/);
      expect(set({ "dr:strategy": "pilot-light" })).to.throw(/dr:strategy .*differs/);
    });

    it("rejects a secondary that points at another primary", () => {
      expect(set({ "dr:primaryStack": "organization/dr-platform/prod-east" })).to.throw(/does not name the primary stack primary/);
    });
  });

  describe("the links stack", () => {
    const linksProblems = (overrides: Record<string, unknown>): string => {
      try {
        parseDrConfig(withOverrides(linksFile(), overrides), "Pulumi.links.yaml");
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error("expected a ConfigError");
    };

    it("parses Pulumi.links.yaml: the primary and every secondary it joins, no region of its own", () => {
      const c = parseDrConfig(linksFile(), "Pulumi.links.yaml");
      expect(c.role).to.equal("links");
      expect(c).to.deep.include({ primaryStack: secondaryFile()["dr:primaryStack"], secondaryStacks: JSON.parse(linksFile()["dr:secondaryStacks"]) });
      expect(c).not.to.have.property("region");
    });

    it("names every problem at once: a region, a region-stack setting, a missing primary, a secondary named twice", () => {
      const message = linksProblems({ "aws:region": "us-east-1", "dr:vpcCidr": "10.30.0.0/16", "dr:primaryStack": undefined, "dr:secondaryStacks": ["s", "s"] });
      expect(message).to.contain("Pulumi.links.yaml").and.contain("4 problems");
      expect(message).to.match(/aws:region = "us-east-1": is set on a links stack; remove it/);
      expect(message).to.match(/dr:vpcCidr = "10.30.0.0\/16": is not a setting of this platform for a links stack/);
      expect(message).to.match(/dr:primaryStack = \(not set\): is required on a links stack/);
      expect(message).to.match(/dr:secondaryStacks = .*names a stack twice/);
    });

    it("needs at least one secondary and a known active region", () => {
      expect(linksProblems({ "dr:secondaryStacks": [] })).to.match(/dr:secondaryStacks = "\[\]": must name at least one secondary stack/);
      expect(linksProblems({ "dr:activeRegion": "mars-1" })).to.match(/dr:activeRegion = "mars-1": is not an AWS region name such as us-west-2/);
    });

    const named = (stack: string, raw: Record<string, string>): { stack: string; config: DrConfig } => ({ stack, config: parseDrConfig(raw, stack) });
    const setWith = (links: Record<string, unknown>, extra: Array<{ stack: string; config: DrConfig }> = []) => () => validateStackSet([
      named("primary", primaryFile()), named("secondary", secondaryFile()), named("links", withOverrides(linksFile(), links)), ...extra,
    ]);

    it("accepts the example files as one deployment", () => {
      expect(setWith({})).not.to.throw();
    });

    it("must name exactly the secondaries of the set, and the primary", () => {
      expect(setWith({ "dr:secondaryStacks": ["organization/dr-platform/secondary", "organization/dr-platform/eu"] }))
        .to.throw(/dr:secondaryStacks = .*names organization\/dr-platform\/eu, which is not a secondary stack of this deployment \(secondary\)/);
      const eu = named("eu", withOverrides(secondaryFile(), { "aws:region": "eu-west-1", "dr:vpcCidr": "10.30.0.0/16", "dr:allowedRegions": undefined }));
      expect(setWith({}, [eu])).to.throw(/lacks eu; add every secondary stack/);
      expect(setWith({ "dr:primaryStack": "other" })).to.throw(/dr:primaryStack = "other": does not name the primary stack primary/);
      expect(setWith({ "dr:appName": "billing" })).to.throw(/dr:appName = "billing": differs from "orders" in stack primary/);
    });

    it("allows one links stack per deployment", () => {
      expect(setWith({}, [named("links2", linksFile())])).to.throw(/more than one stack has role links/);
    });
  });

  describe("dr:activeRegion across the stack set", () => {
    const set = (overrides: Record<string, Record<string, unknown>>) => () => validateStackSet([
      { stack: "primary", config: parseStackConfig(withOverrides(primaryFile(), overrides.primary ?? {}), "p") },
      { stack: "secondary", config: parseStackConfig(withOverrides(secondaryFile(), overrides.secondary ?? {}), "s") },
      { stack: "links", config: parseDrConfig(withOverrides(linksFile(), overrides.links ?? {}), "l") },
    ]);
    const west = secondaryFile()["aws:region"];

    it("defaults to the primary's region, and may name the secondary's when set the same in every stack file", () => {
      expect(set({})).not.to.throw();
      expect(set({ primary: { "dr:activeRegion": west }, secondary: { "dr:activeRegion": west }, links: { "dr:activeRegion": west } })).not.to.throw();
    });

    it("may differ between files mid-outage (the recovery region's file records it first): the set is valid, resolveActiveRegion decides", () => {
      expect(set({ secondary: { "dr:activeRegion": west } })).not.to.throw();
      expect(set({ primary: { "dr:activeRegion": west } })).not.to.throw();
    });

    it("a secondary deploying against the primary's exports is only warned of a disagreement, in either direction, but refused a region outside the deployment", () => {
      const exported = (activeRegion: string) => ({ ...sharedSettings(parseStackConfig(primaryFile(), "p")), activeRegion });
      const east = primaryFile()["aws:region"];
      // During the outage: the secondary's file names its own region, the primary's export its own.
      const outage = secondaryActiveRegionCheck(west, exported(east), "primary");
      expect(outage.problems).to.deep.equal([]);
      expect(outage.warning).to.contain(`is ${west} in this stack`).and.contain(`last deployed with ${east}`);
      // A secondary file not updated yet after the primary was: still deployable, still told.
      const stale = secondaryActiveRegionCheck(undefined, exported(west), "primary");
      expect(stale.problems).to.deep.equal([]);
      expect(stale.warning).to.contain(`is ${east} in this stack`).and.contain(`last deployed with ${west}`);
      expect(secondaryActiveRegionCheck(west, exported(west), "primary")).to.deep.equal({ problems: [] });
      expect(secondaryActiveRegionCheck("eu-west-1", exported(east), "primary").problems.map((p) => p.message)).to.deep.equal([`is not a region of this deployment (${east}, ${west}); set it to the region that serves traffic`]);
    });

    it("must be a region of the deployment", () => {
      expect(() => parseStackConfig(withOverrides(primaryFile(), { "dr:activeRegion": "eu-west-1" }), "p")).to.throw(/dr:activeRegion = "eu-west-1": is neither us-east-1 nor one of dr:replicaRegions \(us-west-2\)/);
      expect(set({ secondary: { "dr:activeRegion": "eu-west-1" } })).to.throw(/dr:activeRegion = "eu-west-1": is not a region of this deployment \(us-east-1, us-west-2\)/);
    });
  });

  describe("in the running program", () => {
    it("fails before registering any resource, with the stack file's name in the message", async () => {
      let failure: unknown;
      try {
        await whenEvaluated("primary", givenStackFile("primary", { "dr:vpcCidr": "10.10.0.0/26", "dr:strategy": "nope" }));
      } catch (err) {
        failure = err;
      }
      expect(failure).to.be.instanceOf(EvaluationError);
      const { message, resources } = failure as EvaluationError;
      expect(message).to.contain("Pulumi.primary.yaml").and.contain("dr:vpcCidr").and.contain("dr:strategy");
      expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("stops a secondary whose region or CIDR clashes with what the primary exports, before building", async () => {
      const { primary } = await exampleDeployment();
      let failure: EvaluationError | undefined;
      try {
        await whenEvaluated("secondary", givenStackFile("secondary", { "aws:region": "us-east-1", "dr:vpcCidr": "10.10.0.0/16" }), { "organization/dr-platform/primary": primary.outputs });
      } catch (err) {
        failure = err as EvaluationError;
      }
      expect(failure?.message).to.contain("aws:region").and.contain("dr:vpcCidr");
      expect(failure!.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("dr:"))).to.deep.equal([]);
    });

    it("names the missing output and the primary stack when the primary exports too little", async () => {
      let message = "";
      try {
        await whenEvaluated("secondary", givenStackFile("secondary"), { "organization/dr-platform/primary": {} });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.contain('"shared"').and.contain("organization/dr-platform/primary").and.contain("pulumi up");
    });
  });
});
