import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart-theme.js';

export interface CanvasSize {
  width: number;
  height: number;
}

type Engine = [typeof import('vega'), typeof import('vega-lite'), typeof import('@resvg/resvg-js')];
let engine: Promise<Engine> | undefined;

/**
 * Loaded on first use: vega and vega-lite take a few hundred ms to import, which
 * processes that never chart should not pay. One at a time, because they share modules
 * and jest's ESM loader fails on a module two parallel imports are both linking.
 */
function loadEngine(): Promise<Engine> {
  engine ??= (async (): Promise<Engine> => [await import('vega'), await import('vega-lite'), await import('@resvg/resvg-js')])();
  return engine;
}

/**
 * Renders a vega-lite spec to a PNG of exactly `size` pixels: vega's SVG is scaled into
 * a fixed canvas (aspect kept, centered on white), since its natural size varies with
 * label and title lengths.
 */
export async function renderPng(spec: TopLevelSpec, size: CanvasSize): Promise<Uint8Array> {
  const [vega, vegaLite, resvg] = await loadEngine();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = fitSvg(await view.toSVG(), size);
    const png = new resvg.Resvg(svg, {
      background: 'white',
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT },
    })
      .render()
      .asPng();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } finally {
    view.finalize();
  }
}

/** Sets the root element's size; its viewBox (vega always writes one) scales the drawing to fit. */
function fitSvg(svg: string, size: CanvasSize): string {
  return svg.replace(/^<svg\b[^>]*>/, (root) => {
    if (!/\bviewBox="/.test(root)) throw new Error('vega wrote an SVG without a viewBox');
    return root.replace(/\bwidth="[^"]*"/, `width="${size.width}"`).replace(/\bheight="[^"]*"/, `height="${size.height}"`);
  });
}
