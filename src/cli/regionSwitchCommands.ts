/**
 * `dr region-switch start --to <region> [--ungraceful]`: the in-cloud ARC Region switch plan
 * (src/regionswitch/start.ts). Modes like the drills: --dry-run (default: the plan's steps and the
 * AWS CLI command), --simulate (the plan's steps on the simulator, measured RTO), --execute.
 */
import { Command } from "commander";
import { startRegionSwitch } from "../regionswitch/start";
import { modeOf, userErrors } from "./drillCommands";

interface StartOpts {
  to: string;
  ungraceful?: boolean;
  dryRun?: boolean;
  simulate?: boolean;
  execute?: boolean;
  planArn?: string;
  cwd?: string;
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
      const result = await userErrors(() => startRegionSwitch({ to: o.to, ungraceful: !!o.ungraceful, mode: modeOf(o), cwd: o.cwd ?? ".", planArn: o.planArn, log: (line) => console.log(line) }));
      process.exitCode = result.exitCode;
    });
}
