/**
 * The recovery probe's Lambda code (components/recovery/actionHandler.ts) run against fakes of the
 * AWS SDK and fetch: what it publishes for the trigger alarm, per 10 s period of its minute.
 */
import { expect } from "chai";
import { ACTION_HANDLER_SOURCE } from "../components/recovery/actionHandler";

type Sent = { name: string; input: Record<string, unknown> };

async function runProbe(switchState: string | Error | undefined, status: number): Promise<{ sent: Sent[]; fetched: number; result: unknown }> {
  const sent: Sent[] = [];
  let fetched = 0;
  const command = (name: string) => class { constructor(readonly input: Record<string, unknown>) { sent.push({ name, input }); } };
  const sdk = {
    CloudWatchClient: class { async send(c: { input: Record<string, unknown> }) {
      if (!("AlarmNames" in c.input)) return {};
      if (switchState instanceof Error) throw switchState;
      return { MetricAlarms: [{ StateValue: switchState }] };
    } },
    PutMetricDataCommand: command("PutMetricData"), DescribeAlarmsCommand: command("DescribeAlarms"),
  };
  const env = { DR_ACTION: "probe", HEALTH_URL: "https://us-east-1.orders.example.com/healthz", PROBED_REGION: "us-east-1", NAMESPACE: "DR/RecoveryTrigger", METRIC_NAME: "PrimaryEndpointFailed", PERIOD_SECONDS: "10",
    ...(switchState === undefined ? {} : { SWITCH_ALARM_NAME: "orders-prod-switch-us-east-1" }) };
  const mod: { exports: { handler?: () => Promise<unknown> } } = { exports: {} };
  const load = new Function("exports", "require", "process", "fetch", "setTimeout", "AbortSignal", ACTION_HANDLER_SOURCE);
  load(mod.exports, () => sdk, { env }, async () => { fetched++; return { status }; }, (f: () => void) => f(), { timeout: () => undefined });
  const result = await mod.exports.handler!();
  return { sent, fetched, result };
}

const published = (sent: Sent[]) => sent.filter((s) => s.name === "PutMetricData").map((s) => (s.input.MetricData as { Value: number }[])[0].Value);

describe("recovery probe Lambda", () => {
  it("reports the primary failing while its switch is on (OK), six 10 s periods a minute", async () => {
    const r = await runProbe("OK", 503);
    expect(published(r.sent)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    expect(r.fetched).to.equal(6);
  });

  it("reports no failure while the primary is switched off (its switch alarm in ALARM): after a failover its outage starts no second recovery", async () => {
    const r = await runProbe("ALARM", 503);
    expect(published(r.sent)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(r.fetched).to.equal(0);
    expect(r.sent.find((s) => s.name === "DescribeAlarms")!.input).to.deep.equal({ AlarmNames: ["orders-prod-switch-us-east-1"] });
  });

  it("probes as before when the switch cannot be read, or when none is configured (ARC)", async () => {
    expect(published((await runProbe(new Error("InternalFailure"), 503)).sent)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    expect(published((await runProbe(undefined, 200)).sent)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect((await runProbe(undefined, 200)).sent.filter((s) => s.name === "DescribeAlarms")).to.deep.equal([]);
  });
});
