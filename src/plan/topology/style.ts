/** One line style per kind of cross-region link, shared by the edges and the legend. */
import type { LinkKind } from "../document";

export interface LinkStyle {
  readonly name: string;
  readonly meaning: string;
  readonly color: string;
  readonly line: "solid" | "dashed" | "dotted";
  readonly penwidth: number;
  readonly arrowhead: string;
}

export const LINK_STYLE: Readonly<Record<LinkKind, LinkStyle>> = {
  "global-database": { name: "Aurora global database", meaning: "writer cluster → read-only member", color: "#1f5fbf", line: "solid", penwidth: 2.6, arrowhead: "normal" },
  "s3-replication": { name: "S3 replication", meaning: "arrow points to the destination bucket", color: "#2e8b3e", line: "solid", penwidth: 1.6, arrowhead: "vee" },
  "secret-replica": { name: "secret replica", meaning: "read-only replica of the DB secret", color: "#8e44ad", line: "dashed", penwidth: 1.6, arrowhead: "empty" },
  "kms-replica": { name: "KMS replica key", meaning: "multi-region key → replica key", color: "#5b6472", line: "dotted", penwidth: 2, arrowhead: "odot" },
  "ami-copy": { name: "AMI copy", meaning: "source AMI → encrypted copy", color: "#b5651d", line: "dashed", penwidth: 1.6, arrowhead: "diamond" },
  "backup-copy": { name: "AWS Backup copy", meaning: "vault → another region's vault", color: "#0e7c86", line: "dashed", penwidth: 1.6, arrowhead: "box" },
  "dns-failover": { name: "Route 53 failover record", meaning: "record → the region's load balancer", color: "#c0392b", line: "solid", penwidth: 1.8, arrowhead: "normal" },
  "region-switch": { name: "region switch", meaning: "switch held here → the region it keeps out of DNS", color: "#d35400", line: "dotted", penwidth: 1.8, arrowhead: "tee" },
};

/** Legend order: the order links are derived in. */
export const LINK_KINDS = Object.keys(LINK_STYLE) as LinkKind[];
