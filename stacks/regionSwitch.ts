/**
 * Every region's switch, built by the primary stack (the README's ownership table): the primary
 * already holds a provider for each of dr:replicaRegions (the KMS replica keys), so it can put the
 * primary's own switch alarm in the first secondary's region and every secondary's switch alarm in
 * its own region, and a secondary reads its switch check from the primary's exports, registering
 * nothing in another region. Deploy order primary -> secondaries -> links holds: the switches
 * need nothing of a secondary but its region's name.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArcRegionSwitch } from "../components/dns/arcRegionSwitch";
import { CloudWatchRegionSwitch } from "../components/dns/cloudWatchRegionSwitch";
import { regionSwitchPlacements, routingControlName } from "../components/dns/regionSwitch";
import { AlertDestination } from "../components/observability/alertDestinations";
import { Entry } from "../components/observability/catalogueEntry";
import { ConfigProblem, StackConfig } from "./configSchema";
import { Exported, forRegion, PrimaryExports, RegionSwitchEntry, RegionSwitchExports } from "./contract";

export interface BuiltRegionSwitches {
  /** What the primary exports as `regionSwitch`. */
  readonly exports: Exported<RegionSwitchExports>;
  /** A region's switch check id (a child of that region's record health). */
  readonly healthCheckIdOf: (region: string) => pulumi.Output<string>;
  /** The switch alarms hosted in a region, for that region's dashboard. */
  readonly catalogueIn: (region: string) => Entry[];
}

/** What the switches need of the primary stack, per host region. */
export interface RegionSwitchHosts {
  /** The stack's one provider per region. */
  readonly providerFor: (region: string) => aws.Provider;
  /** The stack's key in a region (the multi-region key, or its replica), for the switch alarms' topics. */
  readonly kmsKeyArnFor: (region: string) => pulumi.Input<string>;
  /** dr:alerts of the stack: who hears of a switch changing state. */
  readonly subscriptions: readonly AlertDestination[];
}

/** Builds every region's switch in the primary stack. */
export function buildRegionSwitches(config: StackConfig, hosts: RegionSwitchHosts): BuiltRegionSwitches {
  const { providerFor } = hosts;
  const app = config.appName;
  const replicaRegions = config.replicaRegions ?? [];
  const mechanism = config.regionSwitch.mechanism;
  const placements = regionSwitchPlacements(app, config.environment, config.region, replicaRegions);
  if (mechanism === "arc-routing-control") {
    const arc = new ArcRegionSwitch(`${app}-switch`, {
      namePrefix: `${app}-${config.environment}`,
      regions: placements.map((p) => p.switchedRegion),
      controlName: (region) => routingControlName(app, config.environment, region),
    }, { provider: providerFor(config.region) });
    const switches: Record<string, Exported<RegionSwitchEntry>> = {};
    for (const [region, s] of Object.entries(arc.switches)) switches[region] = { healthCheckId: s.healthCheckId, routingControlArn: s.routingControlArn };
    return {
      exports: { mechanism, switches, clusterEndpoints: arc.clusterEndpoints, controlPanelArn: arc.controlPanelArn, clusterArn: arc.clusterArn },
      healthCheckIdOf: (region) => arc.switches[region].healthCheckId,
      catalogueIn: () => [],
    };
  }
  const built = new Map<string, CloudWatchRegionSwitch>();
  const switches: Record<string, Exported<RegionSwitchEntry>> = {};
  for (const p of placements) {
    const s = new CloudWatchRegionSwitch(`${app}-switch-${p.switchedRegion}`, {
      switchedRegion: p.switchedRegion,
      hostRegion: p.hostRegion,
      alarmName: p.alarmName,
      dimensions: p.dimensions,
      topicKmsKeyArn: hosts.kmsKeyArnFor(p.hostRegion),
      subscriptions: hosts.subscriptions,
    }, { provider: providerFor(p.hostRegion) });
    built.set(p.switchedRegion, s);
    switches[p.switchedRegion] = { healthCheckId: s.healthCheckId, hostRegion: p.hostRegion, alarmName: p.alarmName };
  }
  return {
    exports: { mechanism, switches },
    healthCheckIdOf: (region) => built.get(region)!.healthCheckId,
    catalogueIn: (region) => placements.filter((p) => p.hostRegion === region).flatMap((p) => built.get(p.switchedRegion)!.catalogue),
  };
}

/** A secondary naming another mechanism than the primary built (the primary builds every region's switch). */
export function switchMechanismProblem(config: StackConfig, primary: PrimaryExports, primaryStack: string): ConfigProblem | undefined {
  const built = primary.regionSwitch.mechanism;
  if (built === config.regionSwitch.mechanism) return undefined;
  return {
    key: "dr:regionSwitch",
    value: config.regionSwitch,
    message: `names mechanism ${config.regionSwitch.mechanism}, but primary "${primaryStack}" built ${built} switches; set the same dr:regionSwitch.mechanism in every stack file`,
  };
}

/** A secondary's own switch check, read from what the primary exported (it builds no switch of its own: that would sit in its own region). */
export function secondarySwitchHealthCheckId(region: string, primary: PrimaryExports, primaryStack: string): string {
  const ids = Object.fromEntries(Object.entries(primary.regionSwitch.switches).map(([r, s]) => [r, s.healthCheckId]));
  return forRegion(ids, region, "regionSwitch.switches", primaryStack);
}
