/**
 * The typed contract between the stacks: every output the primary exports, and the one way a
 * secondary reads them. Adding a cross-region link means adding its output here first.
 */
import * as pulumi from "@pulumi/pulumi";
import { SharedSettings } from "./stackSet";

/** What the primary stack exports, as plain values once read. */
export interface PrimaryExports {
  /** Settings every region must agree on (region, CIDR, app, strategy, domain, zone, engine). */
  readonly shared: SharedSettings;
}

/** The names of all outputs in the contract; a secondary reads each of them. */
export const PRIMARY_OUTPUT_NAMES = ["shared"] as const satisfies readonly (keyof PrimaryExports)[];
type ContractComplete = Exclude<keyof PrimaryExports, (typeof PRIMARY_OUTPUT_NAMES)[number]> extends never ? true : never;
const contractComplete: ContractComplete = true;
void contractComplete;

/** The primary's program returns this; each value may still be an Output. */
export type PrimaryStackOutputs = { readonly [K in keyof PrimaryExports]: pulumi.Input<PrimaryExports[K]> };

/** A missing output means the primary has not been deployed with this version of the program. */
export class MissingPrimaryOutputError extends Error {
  constructor(readonly primaryStack: string, readonly missing: readonly string[]) {
    super(`Stack reference to primary stack "${primaryStack}" lacks output(s) ${missing.map((m) => `"${m}"`).join(", ")}. ` +
      `Run 'pulumi up' on "${primaryStack}" with this version of the program first (deploy order: primary, then secondaries), ` +
      `and check dr:primaryStack names the right stack.`);
    this.name = "MissingPrimaryOutputError";
  }
}

/**
 * Reads the primary's exports through a stack reference and waits for their values, so a
 * secondary can validate itself against the primary before registering anything else.
 */
export async function readPrimaryExports(ref: pulumi.StackReference, primaryStack: string): Promise<PrimaryExports> {
  const details = await Promise.all(PRIMARY_OUTPUT_NAMES.map(async (name) => [name, await ref.getOutputDetails(name)] as const));
  const missing = details.filter(([, d]) => d.value === undefined && d.secretValue === undefined).map(([name]) => name);
  if (missing.length) throw new MissingPrimaryOutputError(primaryStack, missing);
  return Object.fromEntries(details.map(([name, d]) => [name, d.value ?? d.secretValue])) as unknown as PrimaryExports;
}
