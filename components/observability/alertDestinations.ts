/**
 * Where alarms reach a person (dr:alerts): pure, so config validation, the stacks, the policy and
 * the plan report read one definition.
 *
 * SNS delivers to email and HTTPS subscriptions of a topic in the topic's own region
 * (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html). Both must be confirmed by the
 * endpoint owner: an email subscription stays PendingConfirmation until the person clicks the link
 * SNS mails; an incident tool's HTTPS integration (PagerDuty, Opsgenie) confirms by itself, so the
 * provider may wait for it (`endpointAutoConfirms`). A Slack channel through AWS Chatbot is not
 * managed here: Chatbot's API exists only in us-east-2, us-west-2, eu-west-1 and ap-southeast-1
 * (https://docs.aws.amazon.com/chatbot/latest/APIReference/Welcome.html), so a stack elsewhere would
 * need another region's provider, which a secondary must never hold (static stability); route Slack
 * through the incident tool's HTTPS endpoint, or attach the topics exported by every stack to a
 * Chatbot channel configured once by hand.
 */
import { createHash } from "crypto";

export const ALERT_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const ALERT_HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
/** The config key an operator sets; messages name it. */
export const ALERTS_CONFIG_KEY = "dr:alerts";
/** The placeholder the example stack files name; README shows how to set a real one. */
export const PLACEHOLDER_ALERT_EMAIL = "oncall@example.com";

export interface AlertsConfig {
  readonly email: readonly string[];
  readonly https: readonly string[];
}

export type AlertProtocol = "email" | "https";

export interface AlertDestination {
  /** Stable key for the subscription's name: protocol and a digest of the endpoint, never a list index. */
  readonly key: string;
  readonly protocol: AlertProtocol;
  readonly endpoint: string;
  /** Whether the endpoint confirms the subscription by itself (HTTPS integrations do; people do not). */
  readonly autoConfirms: boolean;
}

/** Every configured destination, each once. */
export function alertDestinations(alerts: AlertsConfig | undefined): AlertDestination[] {
  if (!alerts) return [];
  const of = (protocol: AlertProtocol, endpoints: readonly string[]) => [...new Set(endpoints)].map((endpoint) => ({
    key: `${protocol}-${createHash("sha256").update(endpoint).digest("hex").slice(0, 8)}`,
    protocol,
    endpoint,
    autoConfirms: protocol === "https",
  }));
  return [...of("email", alerts.email), ...of("https", alerts.https)];
}

/** How the report names a destination without printing an incident tool's secret URL path. */
export function describeDestination(protocol: string, endpoint: string): string {
  if (protocol !== "https") return `${protocol}:${endpoint}`;
  const host = endpoint.replace(/^https:\/\//, "").split("/")[0];
  return `https:${host}`;
}
