/**
 * The diagram as PNG, rendered by resvg (a Rust SVG renderer on npm; no system binary), as a
 * person sees it: used for the README's picture and by the tests that check its proportions.
 * resvg is a development dependency: `plan` itself never loads this module.
 */
import * as fs from "fs";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import { FONT_FACE } from "./html";

/** Where Debian and Ubuntu (fonts-dejavu-core) put the font the diagram is measured with. */
const DEJAVU_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];

/**
 * Fonts for resvg: the DejaVu Sans files when they are where Debian keeps them (then no other
 * system font is scanned, so the picture does not change with what else is installed), else the
 * system's fonts with DejaVu Sans as the default family.
 */
export function renderFontOptions(): NonNullable<ResvgRenderOptions["font"]> {
  const files = DEJAVU_FILES.filter((f) => fs.existsSync(f));
  return files.length === DEJAVU_FILES.length
    ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: FONT_FACE, sansSerifFamily: FONT_FACE }
    : { loadSystemFonts: true, defaultFontFamily: FONT_FACE, sansSerifFamily: FONT_FACE };
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
