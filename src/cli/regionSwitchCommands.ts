/**
 * `dr region-switch start --to <region> [--ungraceful]`: the in-cloud ARC Region switch plan
 * (src/regionswitch/start.ts). Modes like the drills: --dry-run (default: the plan's steps and the
 * AWS CLI command), --simulate (the plan's steps on the simulator, measured RTO), --execute.
 */
import { Command } from "commander";
import { DrillError } from "../drills/errors";
import { startRegionSwitch, StartMode } from "../regionswitch/start";

interface StartOpts {
  to: string;
  ungraceful?: boolean;
  dryRun?: boolean;
  simulate?: boolean;
  execute?: boolean;
  planArn?: string;
  cwd?: string;
}

function modeOf(o: StartOpts): StartMode {
  const chosen = [o.dryRun && "dry-run", o.simulate && "simulate", o.execute && "execute"].filter((x): x is StartMode => !!x);
  if (chosen.length > 1) throw new DrillError(`choose one of --dry-run, --simulate, --execute (got ${chosen.map((m) => `--${m}`).join(" ")})`);
  return chosen[0] ?? "dry-run";
}

export function registerRegionSwitchCommands(program: Command): void {
  const rs = program.command("region-switch").description("the in-cloud ARC Region switch plan generated from the drills (links stack)");
  rs.command("start")
    .description("start the plan to activate a region, from that region's data plane; prints the AWS CLI equivalent and the measured RTO")
    .requiredOption("--to <region>", "the region to activate (the secondary's in an outage, the primary's for failback)")
    .option("--ungraceful", "ungraceful execution: FailoverGlobalCluster (data loss up to the replication lag), best-effort steps skipped")
    .option("--dry-run", "print the plan's steps and the AWS CLI command; change nothing (default)")
    .option("--simulate", "run the generated plan's steps on the simulated region pair and print the measured RTO")
    .option("--execute", "start the plan in AWS (needs the AWS CLI, credentials and --plan-arn)")
    .option("--plan-arn <arn>", "the plan's ARN: pulumi stack output regionSwitchPlan --stack links")
    .option("--cwd <dir>", "project folder with the stack files (default: the current folder)")
    .action(async (o: StartOpts) => {
      try {
        const result = await startRegionSwitch({ to: o.to, ungraceful: !!o.ungraceful, mode: modeOf(o), cwd: o.cwd ?? ".", planArn: o.planArn, log: (line) => console.log(line) });
        process.exitCode = result.exitCode;
      } catch (err) {
        if (!(err instanceof DrillError)) throw err;
        console.error(`error: ${err.message}`);
        process.exitCode = 1;
      }
    });
}
