import { expect } from "chai";
import { chooseFleetZones, missingTypesByZone, offeringsOf } from "../components/compute/fleetZones";
import { availabilityZoneNames } from "../components/regions";
import { failureOf, givenStackFile, whenEvaluated } from "./harness/stack";

/** Issue 8, point 3: AZs are chosen by the instance types they offer, not by their names alone. */
describe("AZs that can run the fleet", () => {
  const REGION = "us-east-1";
  const AZS = availabilityZoneNames(REGION);
  const everywhere = (types: string[]) => AZS.flatMap((availabilityZone) => types.map((instanceType) => ({ instanceType, availabilityZone })));
  const without = (types: string[], gaps: Array<[string, string]>) => everywhere(types).filter((o) => !gaps.some(([t, az]) => o.instanceType === t && o.availabilityZone === az));

  describe("choosing (pure)", () => {
    it("takes the first AZs in the region's order when all offer every type", () => {
      expect(chooseFleetZones({ region: REGION, candidates: AZS, instanceTypes: ["t3.medium", "m6i.large"], count: 3, offerings: everywhere(["t3.medium", "m6i.large"]) })).to.deep.equal(AZS.slice(0, 3));
    });

    it("skips an AZ lacking any one of the types and keeps the region's order", () => {
      const offerings = without(["t3.medium", "m6i.large"], [["m6i.large", AZS[0]], ["t3.medium", AZS[2]]]);
      expect(chooseFleetZones({ region: REGION, candidates: AZS, instanceTypes: ["t3.medium", "m6i.large"], count: 3, offerings })).to.deep.equal([AZS[1], AZS[3], AZS[4]]);
    });

    it("says which type is missing in which AZ, and both fixes, when too few AZs qualify", () => {
      const offerings = without(["m6i.large"], AZS.slice(0, 5).map((az) => ["m6i.large", az] as [string, string]));
      const run = () => chooseFleetZones({ region: REGION, candidates: AZS, instanceTypes: ["m6i.large"], count: 2, offerings });
      expect(run).to.throw(`dr:azCount is 2 but only 1 AZ(s) of ${REGION} (${AZS[5]})`);
      expect(run).to.throw(`${AZS[0]} does not offer m6i.large; ${AZS[1]} does not offer m6i.large`);
      expect(run).to.throw("describe-instance-type-offerings --location-type availability-zone --region us-east-1");
      // One AZ cannot be a region's span (dr:azCount >= 2), so lowering the count is not offered.
      expect(run).to.not.throw("set dr:azCount to 1");
    });

    it("pairs getInstanceTypeOfferings' parallel lists and lists every type an AZ lacks", () => {
      const offerings = offeringsOf({ instanceTypes: ["t3.medium", "m6i.large", "t3.medium"], locations: ["a", "a", "b"] });
      expect(offerings).to.deep.equal([{ instanceType: "t3.medium", availabilityZone: "a" }, { instanceType: "m6i.large", availabilityZone: "a" }, { instanceType: "t3.medium", availabilityZone: "b" }]);
      expect([...missingTypesByZone(["a", "b", "c"], ["t3.medium", "m6i.large"], offerings)]).to.deep.equal([["a", []], ["b", ["m6i.large"]], ["c", ["t3.medium", "m6i.large"]]]);
    });
  });

  describe("a stack whose region offers the app type in too few AZs", () => {
    const config = givenStackFile("primary");
    const appType: string = JSON.parse(config["dr:capacity"]).app.instanceType;
    const azCount = Number(config["dr:azCount"]);
    const region = config["aws:region"];
    const zones = availabilityZoneNames(region);
    // Every AZ but the last (azCount - 1) lacks the app type: one short.
    const lacking = zones.slice(0, zones.length - (azCount - 1));
    let message = "";
    before(async () => {
      message = await failureOf(() => whenEvaluated("primary", config, {}, { unavailableInstanceTypes: lacking.map((availabilityZone) => ({ instanceType: appType, availabilityZone })) }));
    });

    it("fails before building the region, naming each AZ that lacks the type and the count it reached", () => {
      expect(message).to.contain(`dr:azCount is ${azCount} but only ${azCount - 1} AZ(s) of ${region}`);
      for (const az of lacking) expect(message).to.contain(`${az} does not offer ${appType}`);
      expect(message).to.contain(`set dr:azCount to ${azCount - 1}`);
    });
  });
});
