import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";

/** How long ARC holds a change that would break the assertion rule before refusing it (the AWS example's value). */
export const SAFETY_RULE_WAIT_MS = 5000;
/** "At least one region On": an ATLEAST assertion over every region's routing control. */
export const AT_LEAST_ONE_ON = { type: "ATLEAST", threshold: 1, inverted: false } as const;

export interface ArcRegionSwitchArgs {
  /** Prefix of the cluster, control panel and rule names, such as orders-prod. Required. */
  readonly namePrefix: string;
  /** The regions to switch, one routing control each. Required, at least two. */
  readonly regions: readonly string[];
  /** Name of each region's routing control (routingControlName). Required. */
  readonly controlName: (region: string) => string;
}

/** One region's switch on ARC. */
export interface ArcSwitch {
  readonly routingControlArn: pulumi.Output<string>;
  /** The RECOVERY_CONTROL health check a record's calculated check takes as its switch child. */
  readonly healthCheckId: pulumi.Output<string>;
}

/**
 * Every region's switch on Route 53 ARC: a cluster (five regional data-plane endpoints), a control
 * panel, one routing control per region, an assertion rule that keeps at least one region On, and
 * a RECOVERY_CONTROL health check per control (healthy while On). ARC and Route 53 are global: the
 * provider in opts only signs the calls.
 *
 * Pulumi never holds a control's state (RoutingControl has no state argument): drills change it
 * with UpdateRoutingControlState(s) on a cluster endpoint, and `pulumi up` leaves it alone. A new
 * routing control starts Off, so after the first deploy every region must be switched On.
 */
export class ArcRegionSwitch extends pulumi.ComponentResource {
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterEndpoints: pulumi.Output<{ endpoint: string; region: string }[]>;
  readonly controlPanelArn: pulumi.Output<string>;
  readonly switches: Readonly<Record<string, ArcSwitch>>;

  constructor(name: string, args: ArcRegionSwitchArgs, opts?: pulumi.ComponentResourceOptions) {
    validateArcRegionSwitchArgs(args);
    super("dr:dns:ArcRegionSwitch", name, {}, opts);
    requireAwsProvider(this, `ArcRegionSwitch ${name}`);

    const cluster = new aws.route53recoverycontrol.Cluster(`${name}-cluster`, { name: `${args.namePrefix}-switch`, networkType: "IPV4" }, { parent: this });
    const panel = new aws.route53recoverycontrol.ControlPanel(`${name}-panel`, { name: `${args.namePrefix}-switch`, clusterArn: cluster.arn }, { parent: this });
    const switches: Record<string, ArcSwitch> = {};
    const controls: aws.route53recoverycontrol.RoutingControl[] = [];
    for (const region of args.regions) {
      const control = new aws.route53recoverycontrol.RoutingControl(`${name}-${region}`, {
        name: args.controlName(region),
        clusterArn: cluster.arn,
        controlPanelArn: panel.arn,
      }, { parent: this });
      controls.push(control);
      const check = new aws.route53.HealthCheck(`${name}-${region}-health`, {
        type: "RECOVERY_CONTROL",
        routingControlArn: control.arn,
        tags: { Name: `switch ${region} - routing control ${args.controlName(region)}` },
      }, { parent: this });
      switches[region] = { routingControlArn: control.arn, healthCheckId: check.id };
    }
    // Without it, switching every region off leaves no record healthy, and Route 53 then answers
    // as if all were healthy (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
    new aws.route53recoverycontrol.SafetyRule(`${name}-at-least-one-on`, {
      name: `${args.namePrefix}-at-least-one-on`,
      controlPanelArn: panel.arn,
      assertedControls: controls.map((c) => c.arn),
      ruleConfig: { ...AT_LEAST_ONE_ON },
      waitPeriodMs: SAFETY_RULE_WAIT_MS,
    }, { parent: this });

    this.clusterArn = cluster.arn;
    this.clusterEndpoints = cluster.clusterEndpoints.apply((eps) => (eps ?? []).map((e) => ({ endpoint: e.endpoint, region: e.region })));
    this.controlPanelArn = panel.arn;
    this.switches = switches;
    this.registerOutputs({ clusterArn: this.clusterArn, clusterEndpoints: this.clusterEndpoints, controlPanelArn: this.controlPanelArn });
  }
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function arcRegionSwitchProblems(args: ArcRegionSwitchArgs): string[] {
  const problems: string[] = [];
  if (args.regions.length < 2) problems.push(`regions is [${args.regions.join(", ")}]; a switch needs at least two regions (the rule keeps one On)`);
  const repeated = args.regions.filter((r, i) => args.regions.indexOf(r) !== i);
  if (repeated.length) problems.push(`regions repeats ${[...new Set(repeated)].join(", ")}; list each region once`);
  if (!/^\S{1,40}$/.test(args.namePrefix)) problems.push(`namePrefix is "${args.namePrefix}"; use up to 40 characters without whitespace (ARC names allow 64)`);
  return problems;
}

export function validateArcRegionSwitchArgs(args: ArcRegionSwitchArgs): void {
  const problems = arcRegionSwitchProblems(args);
  if (problems.length) throw new Error(`ArcRegionSwitch: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
