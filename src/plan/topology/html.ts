/**
 * Graphviz HTML-like labels: tables, so the grid of a region (AZ columns, tier rows) is laid out
 * exactly. Every text names FONT_FACE, a font Graphviz has metrics for, so the cells it sizes fit
 * the text as renderers draw it.
 */

/**
 * Graphviz estimates text widths from built-in metric tables; for an unknown font (or a list of
 * fonts) it falls back to Times, which is narrower than most sans fonts, and labels spill out of
 * their boxes. DejaVu Sans is in its tables (bold too), ships with most Linux systems and is the
 * font resvg finds there; the SVG then names fallbacks as wide or narrower (see withFallbackFonts).
 */
export const FONT_FACE = "DejaVu Sans";
/** Verdana has DejaVu Sans's widths (within 0.2 %); the sans-serif default is narrower still. */
const FALLBACK_FAMILIES = "DejaVu Sans,Verdana,sans-serif";

/** The SVG with every font-family naming fallbacks, for machines without DejaVu Sans. */
export const withFallbackFonts = (svg: string) => svg.split(`font-family="${FONT_FACE}"`).join(`font-family="${FALLBACK_FAMILIES}"`);

/** One line of a cell. */
export interface Line {
  readonly text: string;
  /** Points; default BODY_SIZE. */
  readonly size?: number;
  readonly bold?: boolean;
  readonly color?: string;
}

export interface CellOptions {
  readonly port?: string;
  readonly colspan?: number;
  readonly rowspan?: number;
  readonly bgcolor?: string;
  /** Border color; the cell always has a 1-point border, so every text sits inside a drawn box. */
  readonly border?: string;
  readonly align?: "LEFT" | "CENTER" | "RIGHT";
  readonly height?: number;
}

export const BODY_SIZE = 11;
export const SMALL_SIZE = 9;
export const TITLE_SIZE = 15;
/** Room around text, also for renderers whose kerning or hinting draws a little wider than the metrics. */
const PADDING = 5;

export const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const attrs = (pairs: Record<string, string | number | undefined>) =>
  Object.entries(pairs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${esc(String(v))}"`).join("");

function lineHtml(l: Line): string {
  const text = esc(l.text);
  const inner = l.bold ? `<B>${text}</B>` : text;
  return `<FONT FACE="${FONT_FACE}" POINT-SIZE="${l.size ?? BODY_SIZE}"${l.color ? ` COLOR="${l.color}"` : ""}>${inner}</FONT>`;
}

export function cell(lines: readonly Line[], o: CellOptions = {}): string {
  const a = attrs({ PORT: o.port, COLSPAN: o.colspan, ROWSPAN: o.rowspan, BGCOLOR: o.bgcolor, COLOR: o.border ?? "#b0b7c3", ALIGN: o.align, HEIGHT: o.height, BORDER: 1, CELLPADDING: PADDING });
  return `<TD${a}>${lines.length ? lines.map(lineHtml).join("<BR/>") : " "}</TD>`;
}

/** A cell filled with color and no text: legend line samples and spacers. */
export const swatch = (color: string, width: number, height = 3) => `<TD BGCOLOR="${color}" COLOR="${color}" BORDER="0" WIDTH="${width}" HEIGHT="${height}" FIXEDSIZE="TRUE"></TD>`;

export const row = (cells: readonly string[]) => `<TR>${cells.join("")}</TR>`;

export function table(rows: readonly string[], o: { bgcolor?: string; border?: string; spacing?: number } = {}): string {
  return `<TABLE${attrs({ BORDER: 1, CELLBORDER: 1, CELLSPACING: o.spacing ?? 3, CELLPADDING: PADDING, BGCOLOR: o.bgcolor ?? "#ffffff", COLOR: o.border ?? "#555555" })}>${rows.join("")}</TABLE>`;
}
