/** Graphviz compiled to WebAssembly: DOT to SVG without a system binary. */
import * as path from "path";
import { pathToFileURL } from "url";
import type { Graphviz } from "@hpcc-js/wasm-graphviz";
import { withFallbackFonts } from "./html";

let graphviz: Promise<Graphviz> | undefined;

/**
 * @hpcc-js/wasm-graphviz is ESM-only. With "module": "commonjs" TypeScript rewrites `import()`
 * into `require()`, which cannot load ESM on every Node 20 release; a Function body is not seen by
 * the compiler, so the import stays a real dynamic import. The package is resolved to a file URL
 * first so it loads whatever the current directory is.
 */
function loadGraphviz(): Promise<Graphviz> {
  const dynamicImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<typeof import("@hpcc-js/wasm-graphviz")>;
  const entry = pathToFileURL(path.resolve(require.resolve("@hpcc-js/wasm-graphviz"))).href;
  graphviz ??= dynamicImport(entry).then((m) => m.Graphviz.load());
  return graphviz;
}

/** Renders DOT to SVG text, naming fallback fonts. */
export async function renderSvg(dot: string): Promise<string> {
  return withFallbackFonts((await loadGraphviz()).dot(dot, "svg"));
}
