/**
 * Whether an Aurora engine version reaches a feature's version floor. Pure: shared by the features
 * that depend on the engine version (global write forwarding, the AuroraGlobalDBRPOLag metric).
 */
import { AuroraEngine } from "./dataPlacement";

/** Per engine, the lowest version of each major line that has the feature; majors above the newest listed have it, majors below the oldest do not. */
export interface EngineVersionFloors {
  /** Aurora PostgreSQL [major, minor]; empty means every version. */
  readonly "aurora-postgresql": ReadonlyArray<readonly [major: number, minor: number]>;
  /** Aurora MySQL [major, minor, patch] of the Aurora version (3.04.0 in 8.0.mysql_aurora.3.04.0); empty means every version. */
  readonly "aurora-mysql": ReadonlyArray<readonly [major: number, minor: number, patch: number]>;
}

const compare = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** The comparable version: PostgreSQL [major, minor]; Aurora MySQL "<mysql>.mysql_aurora.<aurora>" gives the Aurora [major, minor, patch]. */
function parse(engine: AuroraEngine, engineVersion: string): number[] | undefined {
  const m = engine === "aurora-postgresql" ? /^(\d+)\.(\d+)/.exec(engineVersion) : /mysql_aurora\.(\d+)\.(\d+)\.(\d+)$/.exec(engineVersion);
  return m ? m.slice(1).map(Number) : undefined;
}

/** Whether the version reaches the floor of its major line; undefined when the version cannot be read. */
export function meetsVersionFloor(engine: AuroraEngine, engineVersion: string, floors: EngineVersionFloors): boolean | undefined {
  const version = parse(engine, engineVersion);
  if (!version) return undefined;
  const lines: ReadonlyArray<readonly number[]> = floors[engine];
  if (lines.length === 0) return true;
  const floor = lines.find((f) => f[0] === version[0]);
  if (floor) return compare(version, floor) >= 0;
  return version[0] > lines[lines.length - 1][0];
}
