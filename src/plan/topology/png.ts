/**
 * The diagram as PNG, rendered by resvg (a Rust SVG renderer on npm; no system binary), as a
 * person sees it: used for the README's picture and by the tests that check its proportions.
 * resvg is a development dependency: `plan` itself never loads this module.
 */
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import { FONT_FACE } from "./html";

/**
 * The font the diagram is measured with, from an npm package rather than the system: Graphviz sizes
 * every cell with DejaVu Sans metrics, so the picture must be drawn with exactly that font, and a
 * machine without fonts-dejavu (or with other fonts installed) must render the same PNG.
 */
const DEJAVU_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));

/** Fonts for resvg: only the DejaVu Sans files, no system font scanned. */
export function renderFontOptions(): NonNullable<ResvgRenderOptions["font"]> {
  return { loadSystemFonts: false, fontFiles: DEJAVU_FILES, defaultFontFamily: FONT_FACE, sansSerifFamily: FONT_FACE };
}

export interface Png {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/**
 * Renders SVG text to PNG at the SVG's own size (Graphviz writes points; resvg draws 96 px per
 * 72 pt), or `zoom` times that (tests that check only proportions draw small, which is faster).
 */
export function renderPng(svg: string, zoom = 1): Png {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a PNG is wanted
  const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { font: renderFontOptions(), background: "#ffffff", fitTo: zoom === 1 ? { mode: "original" } : { mode: "zoom", value: zoom } });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
