/**
 * Where tests find the repository and the example they test the platform on. The example's config
 * is a fixture (a copy of the root Pulumi.<stack>.yaml files and policy/policy-config.json as
 * shipped), so a user editing those files, their own deployment's config, never fails `npm test`.
 */
import * as path from "path";

/** The repository: README, runbooks, package.json, docs, Pulumi.yaml, the policy pack, the code. */
export const PROJECT_DIR = path.resolve(__dirname, "../../..");
/** The example deployment's stack files (primary, secondary, links) and policy/policy-config.json: what the tests plan, evaluate and drill. */
export const EXAMPLE_DIR = path.join(PROJECT_DIR, "test", "fixtures", "example");
