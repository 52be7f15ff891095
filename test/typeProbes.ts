/**
 * Compile-time probes: checked by the type check that `npm test` runs (tsc --noEmit), never executed
 * (mocha loads only *.test.js). A `@ts-expect-error` line fails that type check when the line below
 * it compiles, so each probe proves the compiler settings catch what they must; its twin without the
 * directive proves the error is the probe's own and not a broken import. Here rather than in a mocha
 * test that builds a compiler program of its own: that costs seconds, this costs nothing.
 */
import { Cluster } from "@pulumi/aws/rds/cluster";
import { StepKind } from "../src/drills/step";
import { KIND_MAPPING, KindMappingTable } from "../src/regionswitch/translate";

/** The offline schema check: a misspelt @pulumi/aws resource argument does not compile. */
export function resourceArgumentProbes(): Cluster[] {
  return [
    // @ts-expect-error storageEncryptd is not an argument of aws.rds.Cluster (storageEncrypted is)
    new Cluster("misspelt", { engine: "aurora-postgresql", storageEncryptd: true }),
    new Cluster("correct", { engine: "aurora-postgresql", storageEncrypted: true }),
  ];
}

/** A drill step kind without an in-cloud plan mapping fails the build: the table demands one per kind. */
// @ts-expect-error "new-kind" has no mapping in KIND_MAPPING
export const unmappedKindProbe: KindMappingTable<StepKind | "new-kind"> = { ...KIND_MAPPING };
export const mappedKindsProbe: KindMappingTable<StepKind> = { ...KIND_MAPPING };
