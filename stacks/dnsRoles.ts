/**
 * Which failover record each stack owns, and what Route 53 sees while `pulumi up` walks a stack set
 * from one configuration to the next. Pure: the region stacks use `failoverRoleOf`, and the tests
 * walk every deploy order through `failoverTransitionProblems`.
 *
 * A failover record set is exactly two records under one name, one PRIMARY and one SECONDARY
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html: "For one
 * resource record set, you specify PRIMARY ...; for the other resource record set, you specify
 * SECONDARY"); Route 53 refuses a second record of either type ("RRset for same type with Primary
 * exists", https://github.com/boto/boto3/issues/1347). Each stack changes only its own record, in
 * its own `pulumi up` (Pulumi cannot put two stacks' records into one change batch), so any rule
 * that swaps the two roles between deploys passes through a state Route 53 refuses, whichever
 * stack goes first. Hence the roles are fixed by the stack's role (the README's ownership table),
 * never by dr:activeRegion: after a failover DNS moves by health checks and the region switch.
 */
import type { FailoverRole } from "../components/dns/regionalDns";
import { DrStrategy, isLinksConfig, Role } from "./configSchema";
import type { NamedStackConfig } from "./stackSet";

/**
 * The failover role of a region stack's member of the shared record set: PRIMARY for the primary
 * stack, SECONDARY for the first secondary (the first of the primary's dr:replicaRegions); none with
 * latency routing (active-active), and none for further secondaries: a failover set has exactly two
 * members, so a third region keeps its regional name and health check but no member of the set.
 */
export function failoverRoleOf(config: { readonly role: Role; readonly strategy: DrStrategy; readonly region: string }, firstSecondaryRegion: string | undefined): FailoverRole | undefined {
  if (config.strategy === "active-active") return undefined;
  if (config.role === "primary") return "PRIMARY";
  return config.region === firstSecondaryRegion ? "SECONDARY" : undefined;
}

/** The failover record each stack owns under the shared name (absent or undefined: none, as for links or latency routing). */
export type FailoverRecords = Readonly<Record<string, FailoverRole | undefined>>;

/** The record each stack of a set owns: what its `pulumi up` leaves in Route 53 (a links stack owns none). */
export function failoverRecordsOf(stacks: readonly NamedStackConfig[]): FailoverRecords {
  const primary = stacks.map((s) => s.config).find((c) => !isLinksConfig(c) && c.role === "primary");
  const first = primary && !isLinksConfig(primary) ? primary.replicaRegions?.[0] : undefined;
  return Object.fromEntries(stacks.map((s) => [s.stack, isLinksConfig(s.config) ? undefined : failoverRoleOf(s.config, first)]));
}

/**
 * Walks from `before` to `after` one stack at a time in `order` (each `pulumi up` changes its own
 * stack's record) and lists every state Route 53 would refuse: two records of the same failover
 * type under the shared name. Empty: every deploy step is accepted.
 */
export function failoverTransitionProblems(before: FailoverRecords, after: FailoverRecords, order: readonly string[]): string[] {
  const problems: string[] = [];
  const state: Record<string, FailoverRole | undefined> = { ...before };
  for (const stack of order) {
    state[stack] = after[stack];
    for (const type of ["PRIMARY", "SECONDARY"] as const) {
      const holders = Object.keys(state).filter((s) => state[s] === type).sort();
      if (holders.length > 1)
        problems.push(`after deploying ${stack}: stacks ${holders.join(" and ")} both hold a ${type} failover record; Route 53 accepts one PRIMARY and one SECONDARY per name`);
    }
  }
  return problems;
}
