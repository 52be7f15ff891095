/**
 * Every policy of the pack, found by reading the modules in `policies/`: adding a policy is adding
 * (or editing) one file there that exports `policies: readonly DrPolicy[]`. No module here
 * constructs a PolicyPack, so tests and `plan` import this freely.
 */
import * as fs from "fs";
import * as path from "path";
import { DrPolicy, PILLARS } from "./model";

export const POLICY_MODULES_DIR = path.join(__dirname, "policies");

/** Module files of a policies folder: compiled .js under build/, .ts under ts-node (pulumi preview --policy-pack). */
function moduleFiles(dir: string): string[] {
  const files = fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")).sort();
  const js = new Set(files.filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)));
  return files.filter((f) => f.endsWith(".js") || !js.has(f.slice(0, -3)));
}

function isPolicy(p: unknown): p is DrPolicy {
  const x = p as Partial<DrPolicy> | null;
  return !!x && typeof x.name === "string" && typeof x.validate === "function" && (x.kind === "resource" || x.kind === "stack") &&
    PILLARS.includes(x.pillar as (typeof PILLARS)[number]) && (x.enforcement === "mandatory" || x.enforcement === "advisory");
}

/** Loads the policies of every module in `dir`; fails naming the module that exports no valid `policies`, or a name used twice. */
export function loadPolicies(dir: string = POLICY_MODULES_DIR): DrPolicy[] {
  const out: DrPolicy[] = [];
  const problems: string[] = [];
  for (const file of moduleFiles(dir)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = (require(path.join(dir, file)) as { policies?: unknown }).policies;
    if (!Array.isArray(exported) || !exported.every(isPolicy)) {
      problems.push(`${file}: must export "policies", an array of policies each with name, description, pillar (one of ${PILLARS.join(", ")}), enforcement, kind and validate`);
      continue;
    }
    out.push(...exported);
  }
  const names = out.map((p) => p.name);
  for (const dup of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`policy name "${dup}" is used twice; names must be unique in the pack`);
  if (problems.length) throw new Error(`policy modules in ${dir}:\n  - ${problems.join("\n  - ")}`);
  return out;
}

let cached: readonly DrPolicy[] | undefined;
/** The pack's policies (loaded once). */
export function allPolicies(): readonly DrPolicy[] {
  if (!cached) cached = loadPolicies();
  return cached;
}
