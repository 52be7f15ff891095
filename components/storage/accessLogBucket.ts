import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, lockDownBucket } from "./bucketLockdown";
import { requireAwsProvider } from "../providers";
import { REGION_NAME as REGION } from "../regions";

/** Access logs answer "what happened during the incident" long after it; a quarter covers a review cycle. */
export const DEFAULT_ACCESS_LOG_EXPIRATION_DAYS = 90;
/** One prefix per service tier, matching the prefix each tier's load balancer writes under. */
export const DEFAULT_ACCESS_LOG_PREFIXES: readonly string[] = ["web", "app"];
/** Service principal that delivers ALB access logs in regions launched in or after August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";
/** Uploads interrupted by a delivery retry leave parts that cost money and are never completed. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * Regions launched before August 2022 deliver ALB access logs from a regional Elastic Load
 * Balancing account, which the bucket policy must name; newer regions use the service principal.
 * Source: "Enable access logs for your Application Load Balancer", step 2, in the ELB guide.
 * A constant table rather than the aws.elb.getServiceAccount invoke: it is the same data, and a
 * plan can show the principal without calling AWS.
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** The bucket-policy principal that writes ALB access logs in a (commercial) region. */
export function elbLogDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
  const account = ELB_ACCOUNT_BY_REGION[region];
  return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

export interface AccessLogBucketArgs {
  /** Region of the bucket and of the load balancers that log into it; must be the provider's region. Required. */
  readonly region: string;
  /** Prefixes the load balancers write under (their `accessLogs.prefix`). Default ["web", "app"]. */
  readonly prefixes?: readonly string[];
  /** Days before a log object expires. Default 90. */
  readonly expirationDays?: number;
}

/**
 * An S3 bucket for one region's ALB access logs. AWS rule: a load balancer cannot write into a
 * KMS-encrypted bucket (SSE-S3 is the only supported encryption), so this is the one bucket that
 * uses SSE-S3 instead of the customer key. It holds request metadata, never application data.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  /** The bucket name; resolves only once the bucket policy exists, so a load balancer given it can write its test object. */
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    validateAccessLogBucketArgs(args);
    super("dr:storage:AccessLogBucket", name, {}, opts);
    requireAwsProvider(this, `AccessLogBucket ${name}`);
    const prefixes = args.prefixes ?? DEFAULT_ACCESS_LOG_PREFIXES;
    const expirationDays = args.expirationDays ?? DEFAULT_ACCESS_LOG_EXPIRATION_DAYS;

    // forceDestroy stays off: logs are evidence after an incident and must outlive a careless destroy.
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false }, { parent: this });

    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.id,
      // SSE-S3, not aws:kms: ELB log delivery fails against a KMS default-encrypted bucket.
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, { parent: this });

    const { publicAccessBlock: publicAccess, ownership } = lockDownBucket(name, bucket.id, this);

    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucket.id,
      rules: [{
        id: "expire-access-logs",
        status: "Enabled",
        filter: { prefix: "" },
        expiration: { days: expirationDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
      }],
    }, { parent: this });

    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const policy = new aws.s3.BucketPolicy(`${name}-policy`, {
      bucket: bucket.id,
      // A document (denyInsecureTransport): the statements are known at the first preview.
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowElbLogDelivery",
            Effect: "Allow",
            Principal: elbLogDeliveryPrincipal(args.region),
            Action: "s3:PutObject",
            // Only this account's logs, only under the tiers' prefixes: the ELB principal is shared by every AWS customer.
            Resource: prefixes.map((p) => pulumi.interpolate`${bucket.arn}/${p}/AWSLogs/${accountId}/*`),
          },
          denyInsecureTransport(bucket.arn),
        ],
      },
      // S3 rejects concurrent configuration calls on one bucket (OperationAborted); apply the policy last.
    }, { parent: this, dependsOn: [publicAccess, ownership, encryption] });

    // A load balancer checks that it can write (it puts a test object) when access logs are enabled;
    // handing out the name only after the policy exists makes every ALB that uses it wait for it.
    this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

/** ALB access-log prefixes may not contain "AWSLogs" (ELB adds it) nor start or end with "/". */
const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateAccessLogBucketArgs(args: AccessLogBucketArgs): void {
  const problems: string[] = [];
  if (!REGION.test(args.region)) problems.push(`region is "${args.region}"; pass the provider's region, such as us-east-1`);
  else if (/^(cn|us-gov|us-iso)/.test(args.region)) problems.push(`region is "${args.region}", outside the commercial aws partition; only commercial regions are supported`);
  const days = args.expirationDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) problems.push(`expirationDays is ${days}; use a whole number of days, at least 1`);
  const prefixes = args.prefixes ?? DEFAULT_ACCESS_LOG_PREFIXES;
  if (prefixes.length === 0) problems.push("prefixes is empty; give the prefix each load balancer logs under, such as [\"web\", \"app\"]");
  for (const p of prefixes) {
    if (!PREFIX.test(p) || p.includes("AWSLogs")) problems.push(`prefixes contains "${p}"; use a path without leading or trailing "/" and without "AWSLogs", such as "web"`);
  }
  if (problems.length) throw new Error(`AccessLogBucket: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
