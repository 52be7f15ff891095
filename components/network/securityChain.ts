import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";

/** ALB listeners terminate TLS here; browsers and the web tier both speak HTTPS. */
export const DEFAULT_HTTPS_PORT = 443;
/** The port the web and app processes listen on behind their load balancers. */
export const DEFAULT_INSTANCE_PORT = 8080;
/** Plain HTTP on the web ALB exists only so its listener can answer with a redirect to HTTPS. */
const HTTP_REDIRECT_PORT = 80;
/** Instances reach SSM, package repositories and AWS APIs through NAT over HTTPS (IPv4: NAT gateways are IPv4 only). */
const HTTPS_OUT_PORT = 443;
const ANYWHERE_IPV4 = "0.0.0.0/0";
const ANYWHERE_IPV6 = "::/0";

export interface SecurityGroupChainArgs {
  /** The VPC the five groups belong to. Required. */
  readonly vpcId: pulumi.Input<string>;
  /** The database's listening port (5432 for PostgreSQL, 3306 for MySQL). Required. */
  readonly databasePort: number;
  /** Port of the HTTPS listeners on both load balancers. Default 443. */
  readonly httpsPort?: number;
  /** Port the web and app instances serve on behind their load balancers. Default 8080. */
  readonly instancePort?: number;
}

type Role = "web-alb" | "web-instances" | "app-alb" | "app-instances" | "database";

/**
 * The security groups of a three-tier region as a chain: internet → web ALB (443, and 80 only to
 * redirect) → web instances → app ALB → app instances → database. Every hop after the first is a
 * security-group reference, so nothing but the web ALB is reachable from outside, and egress is
 * narrowed to the next hop (plus HTTPS out for instances, which need SSM and package mirrors).
 */
export class SecurityGroupChain extends pulumi.ComponentResource {
  readonly webAlbSecurityGroupId: pulumi.Output<string>;
  readonly webInstancesSecurityGroupId: pulumi.Output<string>;
  readonly appAlbSecurityGroupId: pulumi.Output<string>;
  readonly appInstancesSecurityGroupId: pulumi.Output<string>;
  readonly databaseSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: SecurityGroupChainArgs, opts?: pulumi.ComponentResourceOptions) {
    validateSecurityGroupChainArgs(args);
    super("dr:network:SecurityGroupChain", name, {}, opts);
    requireAwsProvider(this, `SecurityGroupChain ${name}`);
    const httpsPort = args.httpsPort ?? DEFAULT_HTTPS_PORT;
    const instancePort = args.instancePort ?? DEFAULT_INSTANCE_PORT;
    const databasePort = args.databasePort;

    // Rules are separate resources, never inline `ingress`/`egress`: mixing both styles on one group
    // makes them overwrite each other on every update. Without an inline `egress` the provider also
    // deletes the allow-all egress rule AWS adds to every new group, so only the rules below exist.
    const group = (role: Role, description: string) => new aws.ec2.SecurityGroup(`${name}-${role}`, {
      vpcId: args.vpcId,
      description,
      // The chain's groups reference each other; a rule added by hand during an incident would
      // otherwise block deletion with DependencyViolation. Revoke every rule before deleting.
      revokeRulesOnDelete: true,
      tags: { Name: `${name}-${role}` },
    }, { parent: this });

    const webAlb = group("web-alb", "Web load balancer: HTTPS from the internet, HTTP only to redirect");
    const webInstances = group("web-instances", "Web instances: traffic from the web load balancer only");
    const appAlb = group("app-alb", "App load balancer (internal): HTTPS from the web instances only");
    const appInstances = group("app-instances", "App instances: traffic from the app load balancer only");
    const database = group("database", "Database: its port from the app instances only; no egress");

    type From = { cidrIpv4: string } | { cidrIpv6: string } | { referencedSecurityGroupId: pulumi.Input<string> };
    const ingress = (role: string, to: aws.ec2.SecurityGroup, port: number, from: From, description: string) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-${role}`, {
        securityGroupId: to.id, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...from,
      }, { parent: this });
    const egress = (role: string, of: aws.ec2.SecurityGroup, port: number, to: From, description: string) =>
      new aws.vpc.SecurityGroupEgressRule(`${name}-${role}`, {
        securityGroupId: of.id, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...to,
      }, { parent: this });

    // The only rules open to the internet in the whole region.
    ingress("web-alb-in-https-ipv4", webAlb, httpsPort, { cidrIpv4: ANYWHERE_IPV4 }, "HTTPS from the internet (IPv4)");
    ingress("web-alb-in-https-ipv6", webAlb, httpsPort, { cidrIpv6: ANYWHERE_IPV6 }, "HTTPS from the internet (IPv6)");
    ingress("web-alb-in-http-ipv4", webAlb, HTTP_REDIRECT_PORT, { cidrIpv4: ANYWHERE_IPV4 }, "HTTP from the internet, answered only with a redirect to HTTPS (IPv4)");
    ingress("web-alb-in-http-ipv6", webAlb, HTTP_REDIRECT_PORT, { cidrIpv6: ANYWHERE_IPV6 }, "HTTP from the internet, answered only with a redirect to HTTPS (IPv6)");
    egress("web-alb-out-web-instances", webAlb, instancePort, { referencedSecurityGroupId: webInstances.id }, "Requests and health checks to the web instances");

    ingress("web-instances-in-web-alb", webInstances, instancePort, { referencedSecurityGroupId: webAlb.id }, "Requests and health checks from the web load balancer");
    egress("web-instances-out-app-alb", webInstances, httpsPort, { referencedSecurityGroupId: appAlb.id }, "HTTPS to the internal app load balancer");
    // SSM Session Manager, the CloudWatch agent and OS package repositories are reached over HTTPS
    // through the NAT gateways; without this the instances cannot be managed or patched.
    egress("web-instances-out-https", webInstances, HTTPS_OUT_PORT, { cidrIpv4: ANYWHERE_IPV4 }, "HTTPS via NAT to SSM, AWS APIs and package repositories");

    ingress("app-alb-in-web-instances", appAlb, httpsPort, { referencedSecurityGroupId: webInstances.id }, "HTTPS from the web instances");
    egress("app-alb-out-app-instances", appAlb, instancePort, { referencedSecurityGroupId: appInstances.id }, "Requests and health checks to the app instances");

    ingress("app-instances-in-app-alb", appInstances, instancePort, { referencedSecurityGroupId: appAlb.id }, "Requests and health checks from the app load balancer");
    egress("app-instances-out-database", appInstances, databasePort, { referencedSecurityGroupId: database.id }, "Queries to the database");
    // Same reason as the web instances: SSM, Secrets Manager, KMS and package repositories over NAT.
    egress("app-instances-out-https", appInstances, HTTPS_OUT_PORT, { cidrIpv4: ANYWHERE_IPV4 }, "HTTPS via NAT to SSM, Secrets Manager, KMS and package repositories");

    // Security groups are stateful: replies to the app tier need no egress rule, so the database gets none.
    ingress("database-in-app-instances", database, databasePort, { referencedSecurityGroupId: appInstances.id }, "Queries from the app instances");

    this.webAlbSecurityGroupId = webAlb.id;
    this.webInstancesSecurityGroupId = webInstances.id;
    this.appAlbSecurityGroupId = appAlb.id;
    this.appInstancesSecurityGroupId = appInstances.id;
    this.databaseSecurityGroupId = database.id;
    this.registerOutputs({
      webAlbSecurityGroupId: this.webAlbSecurityGroupId,
      webInstancesSecurityGroupId: this.webInstancesSecurityGroupId,
      appAlbSecurityGroupId: this.appAlbSecurityGroupId,
      appInstancesSecurityGroupId: this.appInstancesSecurityGroupId,
      databaseSecurityGroupId: this.databaseSecurityGroupId,
    });
  }
}

const isPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateSecurityGroupChainArgs(args: SecurityGroupChainArgs): void {
  const problems: string[] = [];
  const ports: [string, number | undefined][] = [["databasePort", args.databasePort], ["httpsPort", args.httpsPort], ["instancePort", args.instancePort]];
  for (const [input, port] of ports) {
    if (port !== undefined && !isPort(port)) problems.push(`${input} is ${port}; use a whole number from 1 to 65535`);
  }
  // The web load balancer's HTTP listener owns port 80; an HTTPS listener cannot share it.
  if (args.httpsPort === HTTP_REDIRECT_PORT) problems.push(`httpsPort is ${args.httpsPort}, the port of the HTTP-to-HTTPS redirect listener; use 443`);
  if (problems.length) throw new Error(`SecurityGroupChain: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
