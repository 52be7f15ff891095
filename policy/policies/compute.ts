/** Launch template and Application Load Balancer guardrails. */
import type { DrPolicy } from "../model";
import { describe, isSet, isTrue, list, obj, str, T } from "../resources";

// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html (HttpTokens required = IMDSv2 only)
const imdsv2: DrPolicy = {
  name: "launch-template-imdsv2",
  description: "Launch templates require IMDSv2 (metadataOptions.httpTokens \"required\").",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.launchTemplate],
  validate: (lt, _ctx, report) => {
    const md = obj(lt.inputs.metadataOptions);
    if (md.httpEndpoint === "disabled") return;
    if (md.httpTokens !== "required")
      report(`${describe(lt)}: metadataOptions.httpTokens is ${str(md.httpTokens) ?? "not set (IMDSv1 allowed)"}; set metadataOptions.httpTokens to "required" so instances accept only IMDSv2.`);
  },
};

// https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
const ebsEncrypted: DrPolicy = {
  name: "launch-template-ebs-encrypted",
  description: "Launch templates map their volumes explicitly, each EBS-encrypted with the region's customer managed key.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.launchTemplate],
  validate: (lt, _ctx, report) => {
    const mappings = list(lt.inputs.blockDeviceMappings).filter((m) => Object.keys(obj(m.ebs)).length);
    if (!mappings.length) report(`${describe(lt)}: blockDeviceMappings sets no EBS volume, so the root volume takes the AMI's encryption; map the root device with ebs.encrypted "true" and ebs.kmsKeyId.`);
    for (const m of mappings) {
      const ebs = obj(m.ebs);
      const device = str(m.deviceName) ?? "(no device name)";
      if (!isTrue(ebs.encrypted)) report(`${describe(lt)}: blockDeviceMappings ${device} ebs.encrypted is ${String(ebs.encrypted ?? "not set")}; set ebs.encrypted to "true".`);
      else if (!isSet(ebs.kmsKeyId)) report(`${describe(lt)}: blockDeviceMappings ${device} is encrypted with the AWS managed key; set ebs.kmsKeyId to the region's customer key.`);
    }
  },
};

// Instances sit in private subnets behind the ALB; a public address bypasses it.
const noPublicIp: DrPolicy = {
  name: "launch-template-no-public-ip",
  description: "Launch templates assign no public IP address to instances.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.launchTemplate],
  validate: (lt, _ctx, report) => {
    for (const [i, ni] of list(lt.inputs.networkInterfaces).entries())
      if (isTrue(ni.associatePublicIpAddress)) report(`${describe(lt)}: networkInterfaces[${i}].associatePublicIpAddress is true; set it to "false" (instances are reached through the load balancer only).`);
  },
};

const isAlb = (lb: { inputs: Readonly<Record<string, unknown>> }) => (str(lb.inputs.loadBalancerType) ?? "application") === "application";

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes (routing.http.drop_invalid_header_fields.enabled)
const dropInvalidHeaders: DrPolicy = {
  name: "alb-drop-invalid-headers",
  description: "Application Load Balancers drop HTTP headers with invalid names (request smuggling defence).",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.loadBalancer],
  validate: (lb, _ctx, report) => {
    if (isAlb(lb) && !isTrue(lb.inputs.dropInvalidHeaderFields)) report(`${describe(lb)}: dropInvalidHeaderFields is not true; set dropInvalidHeaderFields: true.`);
  },
};

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
const accessLogs: DrPolicy = {
  name: "alb-access-logs",
  description: "Application Load Balancers write access logs to an S3 bucket.",
  pillar: "Operational Excellence",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.loadBalancer],
  validate: (lb, _ctx, report) => {
    const logs = obj(lb.inputs.accessLogs);
    if (isAlb(lb) && (!isTrue(logs.enabled) || !isSet(logs.bucket))) report(`${describe(lb)}: access logs are off; set accessLogs { enabled: true, bucket: <the region's access-log bucket> }.`);
  },
};

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
const deletionProtection: DrPolicy = {
  name: "alb-deletion-protection",
  description: "Load balancers are deletion-protected: the DNS failover records point at them.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.loadBalancer],
  validate: (lb, _ctx, report) => {
    if (!isTrue(lb.inputs.enableDeletionProtection)) report(`${describe(lb)}: enableDeletionProtection is not true; set enableDeletionProtection: true.`);
  },
};

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
const httpRedirectOnly: DrPolicy = {
  name: "alb-http-redirect-only",
  description: "A listener on plain HTTP only redirects to HTTPS.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.listener],
  validate: (listener, _ctx, report) => {
    if (listener.inputs.protocol !== "HTTP") return;
    const actions = list(listener.inputs.defaultActions);
    const bad = actions.filter((a) => a.type !== "redirect" || obj(a.redirect).protocol !== "HTTPS");
    if (!actions.length || bad.length)
      report(`${describe(listener)}: HTTP listener on port ${String(listener.inputs.port ?? "?")} ${bad.length ? `has default action(s) ${bad.map((a) => String(a.type)).join(", ")}` : "has no default action"}; make its only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.`);
  },
};

export const policies: readonly DrPolicy[] = [imdsv2, ebsEncrypted, noPublicIp, dropInvalidHeaders, accessLogs, deletionProtection, httpRedirectOnly];
