import { expect } from "chai";
import { supportsGlobalWriteForwarding, writeForwardingProblem } from "../components/data/writeForwarding";

/**
 * Engine-version floors of Aurora global write forwarding, from AWS's guides:
 * PostgreSQL 14.9+, 15.4+, all 16+ (aurora-global-database-write-forwarding-apg.html);
 * MySQL 2.08.1+ (aurora-global-database-write-forwarding-ams.html), and 3.04.0+ for version 3.
 */
describe("Aurora global write forwarding floors", () => {
  const cases: Array<[engine: "aurora-postgresql" | "aurora-mysql", version: string, supported: boolean]> = [
    ["aurora-postgresql", "13.12", false],
    ["aurora-postgresql", "14.8", false],
    ["aurora-postgresql", "14.9", true],
    ["aurora-postgresql", "14.13", true],
    ["aurora-postgresql", "15.3", false],
    ["aurora-postgresql", "15.4", true],
    ["aurora-postgresql", "16.0", true],
    ["aurora-postgresql", "16.6", true],
    ["aurora-postgresql", "17.1", true],
    ["aurora-mysql", "5.7.mysql_aurora.2.08.0", false],
    ["aurora-mysql", "5.7.mysql_aurora.2.08.1", true],
    ["aurora-mysql", "5.7.mysql_aurora.2.11.2", true],
    ["aurora-mysql", "8.0.mysql_aurora.3.03.3", false],
    ["aurora-mysql", "8.0.mysql_aurora.3.04.0", true],
    ["aurora-mysql", "8.0.mysql_aurora.3.08.0", true],
  ];

  it("supports exactly the versions at or above each line's floor", () => {
    for (const [engine, version, supported] of cases) expect(supportsGlobalWriteForwarding(engine, version), `${engine} ${version}`).to.equal(supported);
  });

  it("names the engine, the version and the floor when it cannot, and nothing when it can or the version is unreadable", () => {
    expect(writeForwardingProblem("aurora-mysql", "8.0.mysql_aurora.3.02.0")).to.equal("aurora-mysql 8.0.mysql_aurora.3.02.0 cannot forward writes from a secondary region (Aurora global write forwarding needs Aurora MySQL 2.08.1+ or 3.04.0+ (such as 8.0.mysql_aurora.3.08.0))");
    expect(writeForwardingProblem("aurora-postgresql", "16.6")).to.equal(undefined);
    expect(writeForwardingProblem("aurora-postgresql", "latest")).to.equal(undefined);
  });
});
