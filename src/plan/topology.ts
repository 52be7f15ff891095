/**
 * topology.svg: the regions side by side with their AZs as columns and tiers as rows, Route 53 and
 * the link-owning stacks above them, and the cross-region links as styled edges with a legend.
 * Built as DOT from the plan document (src/plan/topology/) and rendered by Graphviz in WebAssembly.
 */
export { topologyDot, MAX_DETAILED_REGIONS } from "./topology/dot";
export { renderSvg } from "./topology/render";
export { spreadOverAzs } from "./topology/model";
