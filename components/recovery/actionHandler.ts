/**
 * The source of the custom-action Lambdas the in-cloud plan runs (components/recovery/recoveryActions.ts):
 * one handler, the action chosen by the function's DR_ACTION variable, every parameter from its
 * environment. It runs on LAMBDA_RUNTIME (components/lambdaRuntime.ts), whose bundled AWS SDK v3 clients it uses;
 * the handler is async, as Node.js 24 and later accept no callback handlers. Each action is
 * idempotent: Region switch retries a failed invocation every retryIntervalMinutes until the step
 * times out, so a wait is written as "fail until done".
 */
export const ACTION_HANDLER_SOURCE = `
const env = process.env;
const json = (k) => JSON.parse(env[k] || "null");
exports.handler = async () => {
  switch (env.DR_ACTION) {
    case "promote-secret": {
      const sm = require("@aws-sdk/client-secrets-manager"); const c = new sm.SecretsManagerClient({});
      const d = await c.send(new sm.DescribeSecretCommand({ SecretId: env.SECRET_ARN }));
      if (d.PrimaryRegion && d.PrimaryRegion !== env.AWS_REGION) await c.send(new sm.StopReplicationToReplicaCommand({ SecretId: env.SECRET_ARN }));
      return { promoted: env.SECRET_ARN };
    }
    case "copy-back-secret": {
      const sm = require("@aws-sdk/client-secrets-manager");
      const here = new sm.SecretsManagerClient({}); const there = new sm.SecretsManagerClient({ region: env.OTHER_REGION });
      const current = (await there.send(new sm.GetSecretValueCommand({ SecretId: env.OTHER_SECRET_ARN }))).SecretString;
      const old = (await here.send(new sm.GetSecretValueCommand({ SecretId: env.SECRET_ARN }))).SecretString;
      if (current !== old) await here.send(new sm.PutSecretValueCommand({ SecretId: env.SECRET_ARN, SecretString: current }));
      return { copied: current !== old };
    }
    case "reestablish-secret-replica": {
      const sm = require("@aws-sdk/client-secrets-manager"); const c = new sm.SecretsManagerClient({});
      const d = await c.send(new sm.DescribeSecretCommand({ SecretId: env.SECRET_ARN }));
      const r = (d.ReplicationStatus || []).find((x) => x.Region === env.OTHER_REGION);
      if (!r) await c.send(new sm.ReplicateSecretToRegionsCommand({ SecretId: env.SECRET_ARN, AddReplicaRegions: [{ Region: env.OTHER_REGION, KmsKeyId: env.OTHER_KMS_KEY_ARN }], ForceOverwriteReplicaSecret: true }));
      if (!r || r.Status !== "InSync") throw new Error("replica in " + env.OTHER_REGION + " is " + (r ? r.Status : "being created"));
      return { inSync: true };
    }
    case "add-writer": {
      const rds = require("@aws-sdk/client-rds"); const c = new rds.RDSClient({});
      const cl = (await c.send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: env.CLUSTER_ID }))).DBClusters[0];
      if ((cl.DBClusterMembers || []).length === 0)
        await c.send(new rds.CreateDBInstanceCommand({ DBInstanceIdentifier: env.INSTANCE_ID, DBClusterIdentifier: env.CLUSTER_ID, DBInstanceClass: env.INSTANCE_CLASS, Engine: env.ENGINE, PubliclyAccessible: false, Tags: Object.entries(json("TAGS")).map(([Key, Value]) => ({ Key, Value })) }));
      return { cluster: env.CLUSTER_ID };
    }
    case "wait-writer": {
      const rds = require("@aws-sdk/client-rds"); const c = new rds.RDSClient({});
      const is = (await c.send(new rds.DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [env.CLUSTER_ID] }] }))).DBInstances || [];
      if (!is.some((i) => i.DBInstanceStatus === "available")) throw new Error("no available instance in " + env.CLUSTER_ID + " yet");
      return { available: true };
    }
    case "scale-in": {
      const as = require("@aws-sdk/client-auto-scaling"); const c = new as.AutoScalingClient({});
      for (const g of json("GROUPS")) await c.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: g.name, MinSize: g.min, DesiredCapacity: g.desired }));
      return { scaledIn: json("GROUPS").length };
    }
    case "switch": {
      const cw = require("@aws-sdk/client-cloudwatch"); const c = new cw.CloudWatchClient({ region: env.HOST_REGION });
      const dims = Object.entries(json("DIMENSIONS")).map(([Name, Value]) => ({ Name, Value }));
      await c.send(new cw.PutMetricDataCommand({ Namespace: env.NAMESPACE, MetricData: [{ MetricName: env.METRIC_NAME, Dimensions: dims, Value: Number(env.VALUE), StorageResolution: 60 }] }));
      return { switched: env.SWITCHED_REGION, value: Number(env.VALUE) };
    }
    case "absent":
      // The copy of a plan action in the region no workflow runs it in (a block names one per region).
      throw new Error(env.WHY);
    case "verify-service": {
      const res = await fetch(env.HEALTH_URL, { signal: AbortSignal.timeout(5000) });
      if (res.status !== 200) throw new Error(env.HEALTH_URL + " answers " + res.status);
      return { healthy: env.HEALTH_URL };
    }
    case "probe": {
      // The recovery trigger's signal: the primary's endpoint, requested every PERIOD_SECONDS within this minute.
      const cw = require("@aws-sdk/client-cloudwatch"); const c = new cw.CloudWatchClient({});
      const period = Number(env.PERIOD_SECONDS);
      // A probed region switched off (its switch alarm in ALARM, after a failover until failback, or
      // from a drill's first step) is out of DNS by decision: its failures start no second recovery
      // and page nobody. An unreadable switch probes as before.
      let switchedOff = false;
      if (env.SWITCH_ALARM_NAME) {
        try { switchedOff = (await c.send(new cw.DescribeAlarmsCommand({ AlarmNames: [env.SWITCH_ALARM_NAME] }))).MetricAlarms?.[0]?.StateValue === "ALARM"; } catch (e) { switchedOff = false; }
      }
      for (let t = 0; t + period <= 60; t += period) {
        const started = Date.now(); let failed = 1;
        if (switchedOff) failed = 0;
        else try { failed = (await fetch(env.HEALTH_URL, { signal: AbortSignal.timeout(period * 500) })).status === 200 ? 0 : 1; } catch (e) { failed = 1; }
        await c.send(new cw.PutMetricDataCommand({ Namespace: env.NAMESPACE, MetricData: [{ MetricName: env.METRIC_NAME, Dimensions: [{ Name: "Region", Value: env.PROBED_REGION }], Value: failed, StorageResolution: 1 }] }));
        await new Promise((r) => setTimeout(r, Math.max(0, period * 1000 - (Date.now() - started))));
      }
      return { probed: env.HEALTH_URL, switchedOff };
    }
    default:
      throw new Error("unknown DR_ACTION " + env.DR_ACTION);
  }
};
`;
