import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmEntry, DashboardPanel } from "./alarmCatalogue";
import { Entry } from "./catalogueEntry";
import { dashboardBody } from "./dashboardBody";
import { requireAwsProvider } from "../providers";

export interface RegionDashboardArgs {
  /** Region of the provider passed in opts; the dashboard shows what is published there (and Route 53's us-east-1 metrics). Required. */
  readonly region: string;
  /** Dashboard name, unique in the account (dashboards are account-wide). Required. */
  readonly dashboardName: string;
  /** The heading at the top. Required. */
  readonly heading: string;
  /** The catalogue entries of the region's stack. Required. */
  readonly entries: readonly Entry[];
  /** Panels with nothing to draw, and why (shown as text). Default: none. */
  readonly notes?: Partial<Record<DashboardPanel, string>>;
}

/** One region's DR dashboard, generated from the same alarm catalogue the alarms and the plan report come from. */
export class RegionDashboard extends pulumi.ComponentResource {
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: RegionDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:observability:RegionDashboard", name, {}, opts);
    requireAwsProvider(this, `RegionDashboard ${name}`);
    const body = pulumi.output(args.entries).apply((entries) => JSON.stringify(dashboardBody(args.region, args.heading, entries as unknown as AlarmEntry[], args.notes)));
    const dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName: args.dashboardName, dashboardBody: body }, { parent: this });
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
