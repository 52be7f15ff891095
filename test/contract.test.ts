/**
 * Reading another stack's outputs (stacks/contract.ts). Pulumi hands a secret output to
 * StackReference.getOutputDetails as `secretValue`, with `value` undefined
 * (https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/interfaces/StackReferenceOutputDetails.html:
 * "Exactly one of value or secretValue will be set"): such an output is
 * present and must be read, never reported missing. The mock engine's stack references carry no
 * secrets, so this uses a hand-made reference.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { MissingPrimaryOutputError, PRIMARY_OUTPUT_NAMES, readPrimaryExports, readSecondaryExports, SECONDARY_OUTPUT_NAMES } from "../stacks/contract";

/** A stack reference answering each output as plain, secret or absent. */
function referenceWith(kind: (name: string) => "plain" | "secret" | "absent"): pulumi.StackReference {
  const details = async (name: string): Promise<pulumi.StackReferenceOutputDetails> => {
    const k = kind(name);
    return k === "plain" ? { value: `plain-${name}` } : k === "secret" ? { secretValue: `secret-${name}` } : {};
  };
  return { getOutputDetails: details } as unknown as pulumi.StackReference;
}

describe("stack references: secret outputs", () => {
  it("reads an output Pulumi returns as secretValue (value undefined) instead of reporting it missing", async () => {
    const secretOne = PRIMARY_OUTPUT_NAMES[0];
    const read = await readPrimaryExports(referenceWith((n) => (n === secretOne ? "secret" : "plain")), "organization/dr-platform/primary") as unknown as Record<string, unknown>;
    expect(read[secretOne]).to.equal(`secret-${secretOne}`);
    for (const n of PRIMARY_OUTPUT_NAMES.slice(1)) expect(read[n], n).to.equal(`plain-${n}`);
  });

  it("a secondary's secret outputs are read the same way (the links stack reads them)", async () => {
    const read = await readSecondaryExports(referenceWith(() => "secret"), "organization/dr-platform/secondary") as unknown as Record<string, unknown>;
    for (const n of SECONDARY_OUTPUT_NAMES) expect(read[n], n).to.equal(`secret-${n}`);
  });

  it("an output with neither value nor secretValue is missing, named with the stack and the deploy order", async () => {
    const absent = PRIMARY_OUTPUT_NAMES[0];
    const err = await readPrimaryExports(referenceWith((n) => (n === absent ? "absent" : "secret")), "organization/dr-platform/primary").then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(MissingPrimaryOutputError);
    expect((err as Error).message).to.contain(`"${absent}"`).and.contain("organization/dr-platform/primary").and.contain("deploy order");
  });
});
