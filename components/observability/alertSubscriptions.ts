import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertDestination, ALERTS_CONFIG_KEY } from "./alertDestinations";
import { alarmTopicPolicy } from "./alarmTopicPolicy";
import { requireAwsProvider } from "../providers";

/** How long `pulumi up` waits for an HTTPS endpoint to confirm (the provider's default is 1 minute). */
const HTTPS_CONFIRMATION_MINUTES = 5;

export interface AlertSubscriptionsArgs {
  /** The topic to subscribe to, in the provider's region. Required. */
  readonly topicArn: pulumi.Input<string>;
  /** Destinations from dr:alerts (alertDestinations); at least one. Required. */
  readonly destinations: readonly AlertDestination[];
}

/**
 * The dr:alerts subscriptions of one alarm topic, created through the topic's own region's provider:
 * a subscription lives with its topic, so paging keeps working while another region is dark.
 */
export class AlertSubscriptions extends pulumi.ComponentResource {
  readonly subscriptionArns: pulumi.Output<string[]>;

  constructor(name: string, args: AlertSubscriptionsArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.destinations.length === 0)
      throw new Error(`AlertSubscriptions ${name}: destinations is empty; set ${ALERTS_CONFIG_KEY} (email or https) in the stack file, or create no topic`);
    super("dr:observability:AlertSubscriptions", name, {}, opts);
    requireAwsProvider(this, `AlertSubscriptions ${name}`);
    const subscriptions = args.destinations.map((d) => new aws.sns.TopicSubscription(`${name}-${d.key}`, {
      topic: args.topicArn,
      protocol: d.protocol,
      endpoint: d.endpoint,
      // An email subscription stays PendingConfirmation until the person clicks SNS's link; an
      // incident tool's HTTPS endpoint confirms by itself, and the provider waits for it.
      endpointAutoConfirms: d.autoConfirms,
      confirmationTimeoutInMinutes: d.autoConfirms ? HTTPS_CONFIRMATION_MINUTES : undefined,
    }, { parent: this }));
    this.subscriptionArns = pulumi.all(subscriptions.map((s) => s.arn));
    this.registerOutputs({ subscriptionArns: this.subscriptionArns });
  }
}

/**
 * An alarm topic a component creates for its own alarms: encrypted with the region's key, open to
 * its one publisher by `policy` (default: this account's CloudWatch alarms), and subscribed to the
 * stack's destinations in its own region (none given: no subscription, which the
 * alarm-destinations policy reports). Returns the topic's ARN.
 */
export function componentAlarmTopic(name: string, displayName: string, kmsKeyArn: pulumi.Input<string> | undefined, destinations: readonly AlertDestination[] | undefined, parent: pulumi.Resource, policy: (topicArn: string) => string | pulumi.Output<string> = alarmTopicPolicy): pulumi.Output<string> {
  const topic = new aws.sns.Topic(`${name}-topic`, { displayName, kmsMasterKeyId: kmsKeyArn }, { parent });
  new aws.sns.TopicPolicy(`${name}-topic`, { arn: topic.arn, policy: topic.arn.apply((arn) => pulumi.output(policy(arn))) }, { parent });
  if (destinations?.length) new AlertSubscriptions(`${name}-topic-alerts`, { topicArn: topic.arn, destinations }, { parent });
  return topic.arn;
}
