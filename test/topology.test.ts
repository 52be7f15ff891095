import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import type { LinkKind, PlanDocument } from "../src/plan/document";
import { MAX_DETAILED_REGIONS, renderSvg, topologyDot } from "../src/plan/topology";
import { renderPng } from "../src/plan/topology/png";
import { examplePlan } from "./harness/examplePlan";
import { EXTRA_REGIONS, withMoreSecondaries } from "./harness/planFixtures";
import { PROJECT_DIR } from "./harness/stack";
import { decode, overflowingLabels, texts } from "./harness/svgText";

/** How a reader would name each link kind; the picture must say it (in the legend). */
const KIND_NAMES: Readonly<Record<LinkKind, RegExp>> = {
  "global-database": /Aurora global database/i,
  "s3-replication": /S3 replication/i,
  "secret-replica": /secret replica/i,
  "kms-replica": /KMS replica/i,
  "ami-copy": /AMI copy/i,
  "backup-copy": /Backup copy/i,
  "dns-failover": /failover/i,
  "region-switch": /region switch/i,
};

/** Size of the SVG in points, from its width and height attributes. */
const svgSize = (svg: string) => ({ width: Number(/width="([\d.]+)pt"/.exec(svg)![1]), height: Number(/height="([\d.]+)pt"/.exec(svg)![1]) });

interface Drawn { svg: string; seconds: number }
async function draw(doc: PlanDocument): Promise<Drawn> {
  const dot = topologyDot(doc);
  const start = performance.now();
  const svg = await renderSvg(dot);
  return { svg, seconds: (performance.now() - start) / 1000 };
}

describe("topology diagram", function () {
  this.timeout(60_000);
  let example: PlanDocument;
  let exampleSvg: string;
  let many: PlanDocument;
  let manyDrawn: Drawn;
  let linked: PlanDocument;
  let linkedSvg: string;

  before(async () => {
    const planned = await examplePlan();
    example = planned.document;
    exampleSvg = fs.readFileSync(path.join(planned.outDir, "topology.svg"), "utf8");
    many = withMoreSecondaries(example, "secondary", 9);
    manyDrawn = await draw(many);
    // The example deploys a links stack of its own: the picture must draw it as the owner of its links.
    linked = example;
    linkedSvg = exampleSvg;
  });

  it("draws the example landscape, as resvg renders it", () => {
    // A quarter of full size: proportions only, and a sixteenth of the pixels to draw.
    const png = renderPng(exampleSvg, 0.25);
    expect(png.width, `${png.width} x ${png.height} px`).to.be.greaterThan(png.height);
    // resvg draws the SVG's points at 96 px per 72 pt: the picture is the size the SVG says.
    const size = svgSize(exampleSvg);
    expect(png.width).to.be.closeTo((size.width * 96 * 0.25) / 72, 2);
    expect(png.height).to.be.closeTo((size.height * 96 * 0.25) / 72, 2);
  });

  it("keeps a primary with ten secondaries within 3:1 either way, laid out in well under two seconds", () => {
    const regionStacks = many.stacks.filter((s) => s.role !== "links");
    expect(regionStacks.map((s) => s.region)).to.have.length(11);
    expect(many.stacks.length).to.be.greaterThan(MAX_DETAILED_REGIONS);
    const png = renderPng(manyDrawn.svg, 0.25);
    const ratio = png.width / png.height;
    expect(ratio, `${png.width} x ${png.height} px`).to.be.within(1 / 3, 3);
    expect(manyDrawn.seconds).to.be.below(2);
    // The overview: the primary's AZs in detail, the other regions compact (no AZ columns).
    const words = texts(manyDrawn.svg);
    const azs = (stack: string) => many.resources.find((r) => r.stack === stack && r.type === "awsx:ec2:Vpc")!.inputs.availabilityZoneNames as string[];
    for (const az of azs(many.stacks[0].stack)) expect(words).to.include(az);
    for (const s of regionStacks.slice(1)) for (const az of azs(s.stack)) expect(words).to.not.include(az);
  });

  it("names every region and every kind of link it draws, for the example, eleven regions and a links stack", () => {
    for (const [doc, svg] of [[example, exampleSvg], [many, manyDrawn.svg], [linked, linkedSvg]] as const) {
      const words = texts(svg).join("\n");
      for (const s of doc.stacks) expect(words, s.region).to.contain(s.region);
      for (const kind of new Set(doc.links.map((l) => l.kind))) expect(words, kind).to.match(KIND_NAMES[kind]);
    }
    for (const region of EXTRA_REGIONS.slice(0, 9)) expect(texts(manyDrawn.svg).join("\n")).to.contain(region);
  });

  it("draws the AZs of each region as columns in the order of its VPC, and the three tiers as rows", () => {
    for (const vpc of example.resources.filter((r) => r.type === "awsx:ec2:Vpc")) {
      const azs = vpc.inputs.availabilityZoneNames as string[];
      const xs = azs.map((az) => Number(new RegExp(`x="([-\\d.]+)" y="([-\\d.]+)"[^>]*>${az.replace(/-/g, "&#45;")}<`).exec(exampleSvg)?.[1]));
      const ys = azs.map((az) => Number(new RegExp(`y="([-\\d.]+)"[^>]*>${az.replace(/-/g, "&#45;")}<`).exec(exampleSvg)?.[1]));
      expect(xs.every((x, i) => i === 0 || x > xs[i - 1]), `${azs} at ${xs}`).to.equal(true);
      expect(new Set(ys).size, `${azs} on one row`).to.equal(1);
    }
    const tierY = ["public", "private", "isolated"].map((t) => Number(new RegExp(`y="([-\\d.]+)"[^>]*>${t}<`).exec(exampleSvg)?.[1]));
    expect(tierY.every((y, i) => i === 0 || y > tierY[i - 1]), `tiers at ${tierY}`).to.equal(true);
  });

  it("puts the regions side by side, primary first, below Route 53", () => {
    const title = (region: string) => /x="([-\d.]+)" y="([-\d.]+)"/.exec(exampleSvg.split(`>${region.replace(/-/g, "&#45;")}</text>`)[0].split("<text").pop()!)!;
    const [primary, secondary] = example.stacks.map((s) => title(s.region).slice(1).map(Number));
    expect(primary[0]).to.be.below(secondary[0]);
    expect(Math.abs(primary[1] - secondary[1])).to.be.below(20);
    expect(Number(title("Route 53")[2])).to.be.below(primary[1]);
  });

  it("keeps every label inside its box as resvg draws it", () => {
    expect(overflowingLabels(exampleSvg)).to.deep.equal([]);
    expect(overflowingLabels(linkedSvg)).to.deep.equal([]);
    expect(overflowingLabels(manyDrawn.svg)).to.deep.equal([]);
  });

  it("finds a label that spills out of its box (measured by Graphviz as Times, drawn in DejaVu Sans)", async () => {
    const dot = `digraph { node [shape=plain]; a [label=<<TABLE><TR><TD><FONT FACE="Times-Roman" POINT-SIZE="11">Aurora cluster orders-prod-us-east-1, writer member</FONT></TD></TR></TABLE>>]; }`;
    const svg = (await renderSvg(dot)).replace(/font-family="[^"]*"/g, 'font-family="DejaVu Sans"');
    expect(overflowingLabels(svg)).to.have.length(1);
  });

  it("draws a links stack as the owner of its links: a box naming it, each owned link passing through it", () => {
    const owned = linked.links.filter((l) => l.stack === "links");
    expect(owned.map((l) => l.kind)).to.include("s3-replication");
    expect(texts(linkedSvg)).to.include("links stack");
    const edges = [...linkedSvg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => decode(m[1]));
    for (const l of owned) {
      const node = `owned${linked.links.indexOf(l)}`;
      expect(edges.filter((e) => e.startsWith(`${node}->`)), l.detail).to.have.length(2);
    }
    // Links of other stacks do not pass through the owner's box.
    expect(edges.filter((e) => /^owned\d+->/.test(e))).to.have.length(2 * owned.length);
    expect(edges.some((e) => /^cluster_owner0$/.test(e))).to.equal(true);
  });

  it("matches the committed docs/topology.svg (regenerate with `npm run diagram`)", () => {
    const committed = fs.readFileSync(path.join(PROJECT_DIR, "docs", "topology.svg"), "utf8");
    expect(committed === exampleSvg, "docs/topology.svg is not what `plan` draws for the example: run `npm run diagram` and commit docs/").to.equal(true);
  });
});
