/**
 * Reads `Pulumi.<stack>.yaml` files the way the Pulumi CLI hands them to a program: every value
 * a string, structured values as JSON text.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export class StackFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "StackFileError";
  }
}

export function stackFilePath(projectDir: string, stack: string): string {
  return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** The config map a stack file gives its program ("ns:key" -> string). */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
  const file = stackFilePath(projectDir, stack);
  if (!fs.existsSync(file)) throw new StackFileError(file, `no such stack file; create it (see Pulumi.primary.yaml for an example) or pass an existing stack name`);
  return stackConfigFromYaml(fs.readFileSync(file, "utf8"), file);
}

export function stackConfigFromYaml(text: string, file: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new StackFileError(file, `is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) throw new StackFileError(file, "its 'config' must be a map of keys such as dr:role to values");
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.includes(":")) throw new StackFileError(file, `config key "${key}" has no namespace; write it as dr:${key}`);
    if (value && typeof value === "object" && "secure" in value) throw new StackFileError(file, `config key "${key}" is encrypted; the offline plan cannot decrypt secrets, so keep secrets out of the planned config`);
    out[key] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  }
  return out;
}
