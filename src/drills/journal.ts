/**
 * The drill journal: JSON Lines, appended as the drill runs, so a crashed or stopped drill resumes
 * at its first unfinished step (`drill resume <journal>`). The first line records how the drill
 * was started; each step then logs start, and done, failed or skipped.
 */
import * as fs from "fs";
import * as path from "path";
import { DrillError } from "./errors";
import { Facts, Gate } from "./step";

export type JournalEvent = "start" | "done" | "failed" | "skipped";

export interface JournalEntry {
  readonly at: string;
  readonly step: string;
  readonly event: JournalEvent;
  readonly operation: string;
  readonly region: string;
  readonly detail?: string | JournalDetail | DrillHeader;
}

export interface JournalDetail {
  readonly note?: string;
  readonly facts?: Facts;
  readonly retries?: number;
}

/** Which deployment a journal belongs to: resume and undo refuse a journal of another one. */
export interface DeploymentIdentity {
  /** `name` in Pulumi.yaml. */
  readonly project: string;
  readonly primaryStack: string;
  readonly secondaryStack: string;
  readonly globalClusterIdentifier: string;
  readonly domain: string;
}

/** The header's detail: everything `resume` needs to rebuild the drill. */
export interface DrillHeader {
  readonly scenario: string;
  readonly mode: "simulate" | "execute";
  readonly from: string;
  readonly to: string;
  readonly faults: readonly string[];
  readonly force: readonly Gate[];
  readonly outputs: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Absent in journals written before it was recorded. */
  readonly deployment?: DeploymentIdentity;
  /** Wall-clock ISO time the drill was started (a simulation's own clock starts at a fixed instant): its report's name. */
  readonly startedAt?: string;
  /** `--cutover-timeout`, kept so a resumed drill waits as long. */
  readonly cutoverTimeoutSeconds?: number;
}

export const HEADER_STEP = "drill";

export class Journal {
  constructor(readonly file: string) {}

  static create(file: string): Journal {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (fs.existsSync(file)) throw new DrillError(`journal ${file} already exists; resume it with 'drill resume ${file}' or name another with --journal`);
    fs.writeFileSync(file, "");
    return new Journal(file);
  }

  append(entry: JournalEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  entries(): JournalEntry[] {
    return readJournal(this.file);
  }
}

/**
 * The journal's entries. A last line that is not JSON is what a crash in the middle of an append
 * leaves (the entry was never complete, so its step never counted as started or done): it is
 * dropped with a warning, and `repair` cuts it from the file so the next append starts on a line
 * of its own. Any other damaged line is refused.
 */
export function readJournal(file: string, warn?: (line: string) => void, repair = false): JournalEntry[] {
  if (!fs.existsSync(file)) throw new DrillError(`journal ${file} does not exist; pass the file a drill wrote (default folder drills/)`);
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");
  const entries: JournalEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      entries.push(JSON.parse(lines[i]) as JournalEntry);
    } catch {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      if (!last) throw new DrillError(`journal ${file} line ${i + 1} is not JSON; the file is damaged`);
      warn?.(`warning: journal ${file} line ${i + 1} is incomplete (the drill stopped while writing it); dropping it: ${lines[i].slice(0, 80)}`);
      if (repair) fs.writeFileSync(file, lines.slice(0, i).filter((l) => l.trim()).map((l) => `${l}\n`).join(""));
    }
  }
  return entries;
}

export function journalHeader(entries: readonly JournalEntry[], file: string): DrillHeader {
  const head = entries[0];
  if (!head || head.step !== HEADER_STEP || typeof head.detail !== "object") throw new DrillError(`journal ${file} has no drill header on its first line; it was not written by 'drill'`);
  return head.detail as unknown as DrillHeader;
}

/** Steps whose last event is done or skipped: resume does not run them again. */
export function finishedSteps(entries: readonly JournalEntry[]): Set<string> {
  const last = new Map<string, JournalEvent>();
  for (const e of entries) if (e.step !== HEADER_STEP) last.set(e.step, e.event);
  return new Set([...last].filter(([, ev]) => ev === "done" || ev === "skipped").map(([s]) => s));
}

/** Steps whose last event is skipped (a best-effort step that did not complete). */
export function skippedSteps(entries: readonly JournalEntry[]): Set<string> {
  const last = new Map<string, JournalEvent>();
  for (const e of entries) if (e.step !== HEADER_STEP) last.set(e.step, e.event);
  return new Set([...last].filter(([, ev]) => ev === "skipped").map(([s]) => s));
}

/** Steps the journal shows started, whatever happened next. */
export function startedSteps(entries: readonly JournalEntry[]): Set<string> {
  return new Set(entries.filter((e) => e.step !== HEADER_STEP && e.event === "start").map((e) => e.step));
}

/** Facts recorded by finished steps, merged in order. */
export function journaledFacts(entries: readonly JournalEntry[]): Facts {
  const facts: Facts = {};
  for (const e of entries) if (e.step !== HEADER_STEP && typeof e.detail === "object" && "facts" in e.detail && e.detail.facts) Object.assign(facts, e.detail.facts);
  return facts;
}
