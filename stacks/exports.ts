import * as pulumi from "@pulumi/pulumi";
import { RegionStackOutputs } from "./contract";
import { Region } from "./region";

/** The operational identifiers of a region, exported by every stack for drills and runbooks. */
export function regionExports(region: Region, regionName: string, extra: Pick<RegionStackOutputs, "amiId" | "dbSecretArn" | "kmsKeyArn" | "backup" | "dashboardName" | "recovery">): RegionStackOutputs {
  const web = region.tiers.web;
  return {
    region: regionName,
    vpcId: region.network.vpcId,
    dbClusterIdentifier: region.database?.clusterIdentifier ?? null,
    // FailoverGlobalCluster and SwitchoverGlobalCluster take the global cluster id and the target member's ARN.
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html
    dbClusterArn: region.database?.clusterArn ?? null,
    dbGlobalClusterIdentifier: region.database ? region.database.globalClusterIdentifier.apply((id) => id ?? null) : null,
    dbInstanceIdentifiers: region.database?.instanceIdentifiers ?? [],
    dbEndpoint: region.database?.endpoint ?? null,
    webLoadBalancerName: web?.loadBalancerName ?? null,
    webLoadBalancerDnsName: web?.loadBalancerDnsName ?? null,
    appEndpoint: region.tiers.app?.endpointName ?? null,
    autoScalingGroupNames: pulumi.all(Object.values(region.tiers).map((t) => t.autoScalingGroupName)),
    healthCheckId: region.dns?.healthCheckId ?? null,
    recordHealthCheckId: region.dns?.recordHealthCheckId ?? null,
    servesTraffic: region.servesTraffic,
    dataBucketName: region.dataBucket.bucketName,
    dataBucketArn: region.dataBucket.bucketArn,
    alarmTopicArn: region.alarms.topicArn,
    alarmArns: pulumi.all(region.catalogue.flatMap((e) => (e.alarmArn === undefined ? [] : [e.alarmArn]))),
    ...extra,
  };
}
