import * as pulumi from "@pulumi/pulumi";
import { RegionStackOutputs } from "./contract";
import { Region } from "./region";

/** The operational identifiers of a region, exported by every stack for drills and runbooks. */
export function regionExports(region: Region, regionName: string, extra: { amiId: pulumi.Input<string>; dbSecretArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> }): RegionStackOutputs {
  const web = region.tiers.web;
  return {
    region: regionName,
    vpcId: region.network.vpcId,
    dbClusterIdentifier: region.database?.clusterIdentifier ?? null,
    dbEndpoint: region.database?.endpoint ?? null,
    webLoadBalancerName: web?.loadBalancerName ?? null,
    webLoadBalancerDnsName: web?.loadBalancerDnsName ?? null,
    autoScalingGroupNames: pulumi.all(Object.values(region.tiers).map((t) => t.autoScalingGroupName)),
    healthCheckId: region.dns?.healthCheckId ?? null,
    servesTraffic: region.servesTraffic,
    dataBucketName: region.dataBucket.bucketName,
    dataBucketArn: region.dataBucket.bucketArn,
    alarmTopicArn: region.alarms.topicArn,
    ...extra,
  };
}
