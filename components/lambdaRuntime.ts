/**
 * The runtime of every Lambda function the platform builds, and when AWS deprecates the Node.js
 * runtimes: pure, so the stacks and the tests read one definition. A deprecated runtime gets no
 * security patches, and some weeks later Lambda refuses to create (then to update) functions on it,
 * which would break a first `pulumi up`, or the deploy of a recovery region in an outage.
 * Dates: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (supported runtimes
 * table); Node.js 20 was deprecated on 2026-04-30 with creation blocked from 2026-08-31.
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** Deprecation date (UTC) of each Node.js runtime the platform has used. */
export const LAMBDA_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  "nodejs20.x": "2026-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs24.x": "2028-04-30",
};
