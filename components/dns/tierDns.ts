/**
 * The DNS part of a service tier: its DNS-validated ACM certificate and the alias record that
 * gives the tier's load balancer the name on that certificate. Children are registered under the
 * tier (the caller passes itself as `parent`), so their URNs do not change with this module.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const VALIDATION_RECORD_TTL_SECONDS = 60;

/** The ACM certificate the HTTPS listener serves, validated by DNS. */
export interface TierCertificate {
  /** Name the certificate is for, such as app.example.com. Required. */
  readonly domainName: string;
  /** Further names on the certificate. Default none. */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 zone that holds the validation records. Required. */
  readonly hostedZoneId: string;
}

/** The name of the app tier's internal load balancer in a region: what its certificate is for. */
export function appEndpointName(region: string, domain: string): string {
  return `app.${region}.${domain.toLowerCase().replace(/\.$/, "")}`;
}

/**
 * The names needing their own validation record. "*.x" and "x" share one record in ACM; declaring
 * it twice would make two resources fight over it, so the wildcard folds into its apex.
 */
export function validationDomains(certificate: TierCertificate): string[] {
  const names = [certificate.domainName, ...(certificate.subjectAlternativeNames ?? [])];
  const out: string[] = [];
  for (const n of names) {
    const base = n.startsWith("*.") ? n.slice(2) : n;
    const key = names.includes(base) ? base : n;
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/** Whether a name is on the certificate, directly or through a one-level wildcard. */
export function certificateCovers(certificate: TierCertificate, name: string): boolean {
  const wanted = name.toLowerCase().replace(/\.$/, "");
  return [certificate.domainName, ...(certificate.subjectAlternativeNames ?? [])].some((n) => {
    const on = n.toLowerCase();
    return on === wanted || (on.startsWith("*.") && wanted.endsWith(on.slice(1)) && !wanted.slice(0, -on.length + 1).includes("."));
  });
}

/**
 * An ACM certificate with one Route 53 validation record per name, and the validation that waits
 * for issuance. Returns the validation's certificate ARN, so a listener waits until it is issued.
 */
export function validatedCertificate(parent: pulumi.Resource, name: string, certificate: TierCertificate, tags: Record<string, string>): pulumi.Output<string> {
  const cert = new aws.acm.Certificate(`${name}-cert`, {
    domainName: certificate.domainName,
    subjectAlternativeNames: [...(certificate.subjectAlternativeNames ?? [])],
    validationMethod: "DNS",
    keyAlgorithm: "RSA_2048",
    tags,
  }, { parent });
  const validationRecords = validationDomains(certificate).map((domain) => {
    const option = cert.domainValidationOptions.apply((options) => {
      const found = options.find((o) => o.domainName === domain);
      if (!found) throw new Error(`ServiceTier ${name}: ACM returned no DNS validation record for ${domain}`);
      return found;
    });
    return new aws.route53.Record(`${name}-cert-validation-${domain}`, {
      zoneId: certificate.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: VALIDATION_RECORD_TTL_SECONDS,
      // ACM issues the same validation CNAME for a name in every region, so the primary and the
      // secondary stack both declare this record; without allowOverwrite the second stack fails
      // with "record already exists". Both write the identical value, so overwriting is safe.
      // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
      allowOverwrite: true,
    }, {
      parent,
      // The other region's certificate renews through this same record: destroying one stack must
      // not delete it, or the surviving region's certificate stops renewing (ACM renews managed
      // certificates only while the validation CNAME is in place).
      // https://docs.aws.amazon.com/acm/latest/userguide/dns-renewal-validation.html
      retainOnDelete: true,
    });
  });
  const validation = new aws.acm.CertificateValidation(`${name}-cert-validation`, {
    certificateArn: cert.arn,
    validationRecordFqdns: validationRecords.map((r) => r.fqdn),
  }, { parent });
  return validation.certificateArn;
}

/** Where an alias record points: a load balancer's own DNS name and canonical zone. */
export interface AliasTarget {
  readonly dnsName: pulumi.Input<string>;
  readonly zoneId: pulumi.Input<string>;
}

/**
 * An A alias from `recordName` to a load balancer. For the internal ALB this is a private name in
 * the public zone: AWS already publishes an internal load balancer's own DNS name publicly,
 * resolving to the nodes' private addresses, so the alias reveals nothing new, and only clients in
 * the VPC can connect. A private hosted zone of the same name would shadow the public zone inside
 * the VPC (split horizon), hiding the shared and regional records the web tier also resolves.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Scheme)
 */
export function loadBalancerAlias(parent: pulumi.Resource, name: string, hostedZoneId: pulumi.Input<string>, recordName: string, target: AliasTarget): aws.route53.Record {
  return new aws.route53.Record(`${name}-alias`, {
    zoneId: hostedZoneId,
    name: recordName,
    type: "A",
    // Alias records take the ALB's own TTL and may not set one. With a single record Route 53 answers
    // whatever the target health; evaluating it matches the web tier's records and counts once a
    // second record (another region's app tier) joins the name.
    aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }],
    // The name is regional and owned by this stack alone.
    allowOverwrite: false,
  }, { parent });
}
