/**
 * Writes the plan's files all-or-nothing: into a temporary folder beside the output folder, which
 * replaces the output folder only once every file is written. A failed run leaves no new or
 * partial folder; `plan` removes an earlier run's files before it starts (removePlanFiles), so
 * none of them can pass for the plan of the config that just failed.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanInputError } from "./errors";

/** The files `plan` writes into its output folder. */
export const PLAN_FILES = ["plan.json", "report.md", "topology.svg"] as const;
export type PlanFiles = Readonly<Record<(typeof PLAN_FILES)[number], string>>;

/**
 * Removes an earlier run's PLAN_FILES from `outDir`, and the folder if nothing else is left in it;
 * any other file there is the user's and stays. Returns the names removed.
 */
export function removePlanFiles(outDir: string): string[] {
  if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) return [];
  const removed = PLAN_FILES.filter((name) => fs.existsSync(path.join(outDir, name)));
  for (const name of removed) fs.rmSync(path.join(outDir, name), { force: true });
  if (removed.length && fs.readdirSync(outDir).length === 0) fs.rmdirSync(outDir);
  return removed;
}

export function writeFolderAtomically(outDir: string, files: Readonly<Record<string, string>>): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) throw new PlanInputError(`--out ${outDir} is a file, not a folder; choose another path`);
  fs.mkdirSync(parent, { recursive: true });
  // Beside the target (same file system), so the final rename is atomic.
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  let previous: string | undefined;
  try {
    // mkdtemp creates the folder private (0700); give it the permissions a plain mkdir would.
    fs.chmodSync(tmp, 0o777 & ~process.umask());
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), content);
    if (fs.existsSync(target)) {
      previous = `${tmp}.previous`;
      fs.renameSync(target, previous);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    if (previous && !fs.existsSync(target)) fs.renameSync(previous, target);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (previous) fs.rmSync(previous, { recursive: true, force: true });
}
