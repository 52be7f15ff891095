/**
 * Aurora global write forwarding: a read-only secondary member forwards writes to the primary
 * member, which active-active needs (latency routing sends writes to both regions). Which engine
 * versions can do it. Pure: used by the config contract and by DataTier.
 *
 * Aurora PostgreSQL: "In Aurora PostgreSQL version 16 and higher major versions, global write
 * forwarding is supported in all minor versions. For earlier Aurora PostgreSQL versions, global
 * write forwarding is supported with version 15.4 and higher minor versions, and version 14.9 and
 * higher minor versions."
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-apg.html
 *
 * Aurora MySQL: "Write forwarding is supported with Aurora MySQL 2.08.1 and higher versions."
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html
 * For Aurora MySQL 3 we require 3.04.0 or later: global write forwarding reached version 3 with
 * 3.04, and 3.01-3.03 are past end of support anyway, so the stricter floor costs no real choice.
 */
import { AuroraEngine } from "./dataPlacement";
import { EngineVersionFloors, meetsVersionFloor } from "./engineVersion";

/** Lowest version of each major line that forwards writes. */
const FLOORS: EngineVersionFloors = {
  "aurora-postgresql": [[14, 9], [15, 4], [16, 0]],
  "aurora-mysql": [[2, 8, 1], [3, 4, 0]],
};

/** The floor for an engine, in words, for error messages. */
export const WRITE_FORWARDING_FLOORS: Readonly<Record<AuroraEngine, string>> = {
  "aurora-postgresql": "14.9+, 15.4+, or any 16 and later",
  "aurora-mysql": "Aurora MySQL 2.08.1+ or 3.04.0+ (such as 8.0.mysql_aurora.3.08.0)",
};

/** Whether an engine version supports global write forwarding; undefined when the version cannot be read. */
export function supportsGlobalWriteForwarding(engine: AuroraEngine, engineVersion: string): boolean | undefined {
  return meetsVersionFloor(engine, engineVersion, FLOORS);
}

/** The problem with forwarding writes on this version, or undefined when it can. */
export function writeForwardingProblem(engine: AuroraEngine, engineVersion: string): string | undefined {
  if (supportsGlobalWriteForwarding(engine, engineVersion) !== false) return undefined;
  return `${engine} ${engineVersion} cannot forward writes from a secondary region (Aurora global write forwarding needs ${WRITE_FORWARDING_FLOORS[engine]})`;
}
