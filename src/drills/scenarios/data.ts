/**
 * Data steps: the S3 canary that measures what reached the recovery region, the DB secret's
 * replica (promoted in failover, re-established in failback), and recording the active region.
 */
import { call } from "../cloud";
import { DrillInputs, DrillRegion } from "../inputs";
import { S3_RTC_BOUND_SECONDS, SECRET_REPLICA_BOUND_SECONDS } from "../model";
import { Step, StepContext } from "../step";

export const CANARY_PREFIX = "dr-drills/canary-";

/** Written in the old primary before the cut-over; found (or not) in the new one after it. */
export function writeCanary(from: DrillRegion, required: boolean): Step {
  return {
    name: "write-canary", kind: "canary-write", region: from.region, required, operation: "S3.PutObject",
    purpose: `write a canary object into ${from.dataBucketName} before the cut-over${required ? "" : " (best effort: the region may not answer)"}`,
    calls: [call(from.region, "S3", "PutObject", { Bucket: from.dataBucketName, Key: `${CANARY_PREFIX}<epoch ms>` })],
    action: async (ctx) => {
      const at = ctx.clock.now();
      const key = `${CANARY_PREFIX}${at}`;
      await ctx.cloud.putObject(from.region, from.dataBucketName, key, new Date(at).toISOString());
      ctx.facts.canaryKey = key;
      ctx.facts.canaryWrittenAt = at;
    },
  };
}

export function checkCanary(to: DrillRegion, required: boolean): Step {
  return {
    name: "check-canary", kind: "canary-check", region: to.region, required, operation: "S3.HeadObject",
    purpose: `the canary replicated into ${to.dataBucketName} (S3 replication; RTC bounds it at ${S3_RTC_BOUND_SECONDS / 60} min)`,
    calls: [call(to.region, "S3", "HeadObject", { Bucket: to.dataBucketName, Key: `${CANARY_PREFIX}<epoch ms>` })],
    precondition: async (ctx) => (ctx.facts.canaryKey ? undefined : "no canary was written (the old primary did not answer), so replication cannot be measured"),
    verify: {
      what: "the canary exists in the new region", timeoutSeconds: S3_RTC_BOUND_SECONDS, pollSeconds: 5, maxPollSeconds: 30,
      check: async (ctx) => {
        const found = await ctx.cloud.objectExists(to.region, to.dataBucketName, ctx.facts.canaryKey!);
        if (found) ctx.facts.canaryFound = true;
        return found || `${ctx.facts.canaryKey} not in ${to.dataBucketName} yet`;
      },
    },
  };
}

/** A replica is read-only; promoting it (in its own region) lets the new writer region rotate it. */
export function promoteSecretReplica(to: DrillRegion): Step {
  return {
    name: "promote-secret-replica", kind: "promote-secret", region: to.region, required: true, operation: "SecretsManager.StopReplicationToReplica",
    purpose: `make ${to.region}'s DB secret a standalone, writable secret`,
    calls: [call(to.region, "SecretsManager", "DescribeSecret", { SecretId: to.dbSecretArn }), call(to.region, "SecretsManager", "StopReplicationToReplica", { SecretId: to.dbSecretArn })],
    alreadyDone: async (ctx) => ((await ctx.cloud.describeSecret(to.region, to.dbSecretArn)).primaryRegion === undefined ? "the secret is already standalone" : undefined),
    action: (ctx) => ctx.cloud.stopReplicationToReplica(to.region, to.dbSecretArn),
  };
}

/** A password rotated in the recovery region during the outage must survive the overwrite of its replica. */
export function copyBackRotatedSecret(from: DrillRegion, to: DrillRegion): Step {
  return {
    name: "copy-back-rotated-secret", kind: "copy-back-secret", region: to.region, required: true, operation: "SecretsManager.PutSecretValue",
    purpose: `copy the DB password from ${from.region} back to ${to.region}'s primary secret if it was rotated during the outage`,
    calls: [
      call(from.region, "SecretsManager", "GetSecretValue", { SecretId: from.dbSecretArn }),
      call(to.region, "SecretsManager", "GetSecretValue", { SecretId: to.dbSecretArn }),
      call(to.region, "SecretsManager", "PutSecretValue", { SecretId: to.dbSecretArn, SecretString: "<value from " + from.region + ", never printed>" }),
    ],
    // Also asked before a retry (runner act): a PutSecretValue that timed out may have landed.
    alreadyDone: async (ctx) => ((await ctx.cloud.getSecretValue(from.region, from.dbSecretArn)) === (await ctx.cloud.getSecretValue(to.region, to.dbSecretArn)) ? `${to.region}'s secret already holds the current password` : undefined),
    action: async (ctx) => {
      const current = await ctx.cloud.getSecretValue(from.region, from.dbSecretArn);
      const old = await ctx.cloud.getSecretValue(to.region, to.dbSecretArn);
      if (current !== old) {
        await ctx.cloud.putSecretValue(to.region, to.dbSecretArn, current);
        ctx.log(`  the password was rotated during the outage; copied to ${to.region}`);
      }
    },
  };
}

/**
 * ReplicateSecretToRegions with ForceOverwriteReplicaSecret replaces the standalone secret the
 * failover left behind with a replica again:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicateSecretToRegions.html
 */
export function reestablishSecretReplica(from: DrillRegion, to: DrillRegion): Step {
  const replicaInSync = async (ctx: StepContext) =>
    (await ctx.cloud.describeSecret(to.region, to.dbSecretArn)).replicas.find((r) => r.region === from.region)?.status;
  return {
    name: "reestablish-secret-replica", kind: "reestablish-secret-replica", region: to.region, required: true, operation: "SecretsManager.ReplicateSecretToRegions",
    purpose: `replicate ${to.region}'s DB secret to ${from.region} again, overwriting the standalone copy there`,
    calls: [
      call(to.region, "SecretsManager", "DescribeSecret", { SecretId: to.dbSecretArn }),
      call(to.region, "SecretsManager", "ReplicateSecretToRegions", { SecretId: to.dbSecretArn, AddReplicaRegions: [{ Region: from.region, KmsKeyId: from.kmsKeyArn }], ForceOverwriteReplicaSecret: true }),
    ],
    alreadyDone: async (ctx) => ((await replicaInSync(ctx)) === "InSync" ? `the secret already replicates to ${from.region} in sync` : undefined),
    action: (ctx) => ctx.cloud.replicateSecretToRegion(to.region, to.dbSecretArn, from.region, from.kmsKeyArn),
    verify: {
      what: `the replica in ${from.region} is InSync`, timeoutSeconds: 5 * SECRET_REPLICA_BOUND_SECONDS, pollSeconds: 5, maxPollSeconds: 15,
      check: async (ctx) => {
        const status = await replicaInSync(ctx);
        return status === "InSync" || `replica status ${status ?? "absent"}`;
      },
    },
  };
}

/** No AWS call: the drill keeps the fact, the CLI prints the `pulumi config set dr:activeRegion` commands. */
export function recordActiveRegion(inputs: DrillInputs, to: DrillRegion): Step {
  return {
    name: "record-active-region", kind: "record-active-region", region: to.region, required: true, operation: "none",
    purpose: `record ${to.region} as the active region and print the config commands for stacks ${inputs.stackNames.join(", ")}`,
    calls: [],
    action: async (ctx) => {
      ctx.facts.activeRegion = to.region;
    },
  };
}

/** The commands that record the active region in every stack file (drills and alarms read it; no Route 53 record follows it). */
export function activeRegionCommands(inputs: DrillInputs, region: string): string[] {
  return inputs.stackNames.map((stack) => `pulumi config set dr:activeRegion ${region} --stack ${stack}`);
}
