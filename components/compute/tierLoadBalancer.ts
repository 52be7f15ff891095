/**
 * The load-balancer part of a service tier: the ALB, its target group and listeners. Children are
 * registered under the tier (the caller passes itself as `parent`), so their URNs do not change
 * with this module.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Short drain: requests are short-lived, and a long drain slows every rolling refresh and failover. */
const DEREGISTRATION_DELAY_SECONDS = 30;
const HTTP_PORT = 80;

/** What the load balancer needs, with ServiceTier's defaults already resolved (ServiceTierArgs documents each). */
export interface TierLoadBalancerArgs {
  /** "web" (internet-facing, with an HTTP-to-HTTPS redirect) or "app" (internal). */
  readonly tier: "web" | "app";
  readonly internetFacing: boolean;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly instancePort: number;
  readonly httpsPort: number;
  readonly healthCheck: { readonly path: string; readonly interval: number; readonly healthyThreshold: number; readonly unhealthyThreshold: number };
  /** ARN of the issued certificate (the validation's, so the listener waits for issuance). */
  readonly certificateArn: pulumi.Input<string>;
  readonly accessLogBucket: pulumi.Input<string>;
  readonly idleTimeoutSeconds: number;
  readonly tags: Record<string, string>;
}

export interface TierLoadBalancer {
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroup: aws.lb.TargetGroup;
}

export function tierLoadBalancer(parent: pulumi.Resource, name: string, args: TierLoadBalancerArgs): TierLoadBalancer {
  const { tags } = args;
  const loadBalancer = new aws.lb.LoadBalancer(`${name}-alb`, {
    loadBalancerType: "application",
    internal: !args.internetFacing,
    ipAddressType: "ipv4",
    subnets: args.subnetIds,
    securityGroups: [args.securityGroupId],
    // Requests with malformed headers are a classic request-smuggling vector; drop them at the edge.
    dropInvalidHeaderFields: true,
    // A load balancer's DNS name is what Route 53 failover points at; deleting one by mistake is
    // an outage. Turn this off deliberately (runbook) before tearing a region down.
    enableDeletionProtection: true,
    idleTimeout: args.idleTimeoutSeconds,
    accessLogs: { bucket: args.accessLogBucket, prefix: args.tier, enabled: true },
    tags,
  }, { parent });

  const hc = args.healthCheck;
  const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
    vpcId: args.vpcId,
    targetType: "instance",
    protocol: "HTTP",
    port: args.instancePort,
    deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
    healthCheck: {
      enabled: true,
      protocol: "HTTP",
      port: "traffic-port",
      path: hc.path,
      interval: hc.interval,
      // The timeout must be shorter than the interval.
      timeout: Math.min(5, hc.interval - 1),
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
      matcher: "200",
    },
    tags,
  }, { parent });

  new aws.lb.Listener(`${name}-https`, {
    loadBalancerArn: loadBalancer.arn,
    protocol: "HTTPS",
    port: args.httpsPort,
    certificateArn: args.certificateArn,
    sslPolicy: TLS_POLICY,
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags,
  }, { parent });

  if (args.tier === "web") {
    new aws.lb.Listener(`${name}-http-redirect`, {
      loadBalancerArn: loadBalancer.arn,
      protocol: "HTTP",
      port: HTTP_PORT,
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(args.httpsPort), statusCode: "HTTP_301" } }],
      tags,
    }, { parent });
  }
  return { loadBalancer, targetGroup };
}
