/**
 * AWS Backup restore testing (pure): names, quotas and what each region tests.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
 */

/** Plan and selection names: alphanumeric and underscores, at most 50 characters. */
export const MAX_RESTORE_TESTING_NAME = 50;
export const MAX_SELECTIONS_PER_PLAN = 30;
/** Specific ARNs one selection may name. */
export const MAX_ARNS_PER_SELECTION = 30;
/** Validation window and start window: 1 to 168 hours (a week). */
export const MIN_WINDOW_HOURS = 1;
export const MAX_WINDOW_HOURS = 168;
/** Weekly, Sunday 06:00 UTC: after the daily 05:00 backup and its copy, outside business hours. */
export const DEFAULT_RESTORE_TEST_SCHEDULE = "cron(0 6 ? * SUN *)";
/** Enough for the validation step (minutes) and for a person to look before AWS Backup deletes the restore. */
export const DEFAULT_VALIDATION_WINDOW_HOURS = 4;
export const DEFAULT_START_WINDOW_HOURS = 8;
export const DEFAULT_RESTORE_TESTING = {
  schedule: DEFAULT_RESTORE_TEST_SCHEDULE,
  validationWindowHours: DEFAULT_VALIDATION_WINDOW_HOURS,
  startWindowHours: DEFAULT_START_WINDOW_HOURS,
} as const;

/** The resource types restore testing accepts, for the ARNs the platform protects. */
export type RestoreTestedType = "Aurora" | "S3";

/** The region's plan name (plans are regional, so the region is not part of it). */
export function restoreTestingPlanName(app: string, environment: string): string {
  const name = `${app}_${environment}_restore_test`.replace(/[^A-Za-z0-9_]/g, "_");
  if (name.length > MAX_RESTORE_TESTING_NAME) throw new Error(`restore testing plan name ${name} is ${name.length} characters; AWS Backup allows ${MAX_RESTORE_TESTING_NAME}: shorten dr:appName or dr:environment`);
  return name;
}

/** Why a selection set would be refused; empty when it would not. */
export function restoreTestingProblems(planName: string, selections: readonly { readonly name: string; readonly arns: number }[]): string[] {
  const problems: string[] = [];
  for (const n of [planName, ...selections.map((s) => s.name)])
    if (!/^[A-Za-z0-9_]{1,50}$/.test(n)) problems.push(`restore testing name "${n}" must be 1-${MAX_RESTORE_TESTING_NAME} letters, digits or underscores`);
  if (selections.length > MAX_SELECTIONS_PER_PLAN) problems.push(`${selections.length} restore testing selections; AWS Backup allows ${MAX_SELECTIONS_PER_PLAN} per plan`);
  for (const s of selections.filter((x) => x.arns < 1 || x.arns > MAX_ARNS_PER_SELECTION)) problems.push(`selection ${s.name} names ${s.arns} resources; use 1 to ${MAX_ARNS_PER_SELECTION}`);
  return problems;
}

/**
 * The validation step AWS Backup waits for (a Lambda on the restore job's COMPLETED event): a
 * restored Aurora cluster must report itself available with an endpoint, a restored bucket must
 * answer HeadBucket; the verdict goes back with PutRestoreValidationResult. Restores that are not
 * restore tests are left alone.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html
 */
export const RESTORE_VALIDATION_HANDLER = `
import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import { RDSClient, DescribeDBClustersCommand } from "@aws-sdk/client-rds";
import { S3Client, HeadBucketCommand } from "@aws-sdk/client-s3";
const backup = new BackupClient({});
const rds = new RDSClient({});
const s3 = new S3Client({});

async function verdict(job) {
  const arn = job.CreatedResourceArn ?? "";
  if (job.ResourceType === "Aurora") {
    const id = arn.split(":cluster:")[1];
    const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
    const ok = cluster?.Status === "available" && !!cluster.Endpoint;
    return [ok ? "SUCCESSFUL" : "FAILED", "restored cluster " + id + " is " + (cluster?.Status ?? "missing") + (cluster?.Endpoint ? " at " + cluster.Endpoint : " with no endpoint")];
  }
  if (job.ResourceType === "S3") {
    const bucket = arn.split(":::")[1];
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return ["SUCCESSFUL", "restored bucket " + bucket + " answers"];
  }
  return ["FAILED", "no validation for resource type " + job.ResourceType];
}

export const handler = async (event) => {
  const id = event.detail?.restoreJobId;
  if (!id) return;
  const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
  if (!job.RestoreTestingPlanArn) return;
  let result;
  try {
    result = await verdict(job);
  } catch (err) {
    result = ["FAILED", String(err && err.message || err)];
  }
  console.log(JSON.stringify({ restoreJobId: id, resourceType: job.ResourceType, status: result[0], message: result[1] }));
  await backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: result[0], ValidationStatusMessage: result[1].slice(0, 1000) }));
};
`;
