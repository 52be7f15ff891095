/**
 * Finds every KMS key a resource's inputs name, at any depth: top-level fields (kmsKeyId),
 * list entries (secret `replicas[].kmsKeyId`), nested settings (a replication rule's
 * `destination.encryptionConfiguration.replicaKmsKeyId`, a launch template's
 * `blockDeviceMappings[].ebs.kmsKeyId`). One walker, so a new nesting is covered without a new test.
 */

type Obj = Record<string, unknown>;

/** Field names that hold a KMS key: kmsKeyId, kmsKeyArn, kmsMasterKeyId, replicaKmsKeyId, performanceInsightsKmsKeyId ... */
const KEY_FIELD = /kms[a-z]*(Id|Arn)$/i;

export interface KeyReference {
  /** Where the key sits, such as "replicas[0].kmsKeyId". */
  readonly path: string;
  /** The value: a key ARN, or whatever else the field holds. */
  readonly value: string;
  /** The objects enclosing the field, outermost (the inputs) first, the field's own object last. */
  readonly ancestors: readonly Obj[];
}

export function kmsKeyReferences(inputs: Obj): KeyReference[] {
  const found: KeyReference[] = [];
  const walk = (value: unknown, path: string, ancestors: readonly Obj[]): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, ancestors));
      return;
    }
    if (!value || typeof value !== "object") return;
    const obj = value as Obj;
    const chain = [...ancestors, obj];
    for (const [key, v] of Object.entries(obj)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof v === "string" && KEY_FIELD.test(key)) found.push({ path: at, value: v, ancestors: chain });
      else walk(v, at, chain);
    }
  };
  walk(inputs, "", []);
  return found;
}

/** The region field of a KMS key ARN, or undefined for anything else (aliases, ids). */
export function keyArnRegion(value: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\//.exec(value)?.[1];
}
