/**
 * The plan's output files: written whole or not at all (writePlanFiles), and removed before a run
 * starts (removePlanFiles), so none of an earlier run's can pass for the plan of a config that
 * just failed. Nothing else in the output folder is touched: it may be the user's own folder.
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

/**
 * Writes the plan's files into `outDir` (created if missing), each through a temporary file beside
 * it and a rename, so a reader never sees a half-written file and a failed write leaves the earlier
 * file. Only these files are touched: `--out` may name a folder that holds other files (`--out .`
 * writes into the project folder and removes nothing of it).
 */
export function writePlanFiles(outDir: string, files: Readonly<Record<string, string>>): void {
  const target = path.resolve(outDir);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) throw new PlanInputError(`--out ${outDir} is a file, not a folder; choose another path`);
  fs.mkdirSync(target, { recursive: true });
  // Every file is written before any is renamed: a failure while writing changes nothing.
  const written: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const tmp = path.join(target, `.${name}.tmp-${process.pid}`);
      // Listed before writing, so a failed write (a full disk) leaves no temporary file either.
      written.push([tmp, path.join(target, name)]);
      fs.writeFileSync(tmp, content);
    }
    for (const [tmp, final] of written) fs.renameSync(tmp, final);
  } finally {
    for (const [tmp] of written) fs.rmSync(tmp, { force: true });
  }
}
