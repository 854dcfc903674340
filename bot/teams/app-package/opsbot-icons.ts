import type { RgbaImage } from './png-encoder.js';

export const OPSBOT_ACCENT_COLOR = '#5B5FC7';

type Rgb = readonly [number, number, number];
/** Signed distance from a point to a shape: negative inside. */
type Shape = (x: number, y: number) => number;

const ACCENT: Rgb = [0x5b, 0x5f, 0xc7];
const WHITE: Rgb = [255, 255, 255];
/** Samples per pixel side: 4×4 supersampling smooths the edges. */
const SUPERSAMPLE = 4;

function roundedRect(cx: number, cy: number, halfWidth: number, halfHeight: number, radius: number): Shape {
  return (x, y) => {
    const dx = Math.abs(x - cx) - halfWidth + radius;
    const dy = Math.abs(y - cy) - halfHeight + radius;
    const ox = Math.max(dx, 0);
    const oy = Math.max(dy, 0);
    return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(dx, dy), 0) - radius;
  };
}

function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - radius;
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => {
    let distance = Infinity;
    for (const shape of shapes) distance = Math.min(distance, shape(x, y));
    return distance;
  };
}

function stroke(shape: Shape, halfWidth: number): Shape {
  return (x, y) => Math.abs(shape(x, y)) - halfWidth;
}

/**
 * The share of pixel (x, y) inside the shape. Distances are exact or underestimated, so a
 * pixel whose centre is farther than half its diagonal from the edge is wholly in or out;
 * only edge pixels are supersampled.
 */
function coverageAt(shape: Shape, x: number, y: number): number {
  const centre = shape(x + 0.5, y + 0.5);
  if (centre > Math.SQRT1_2) return 0;
  if (centre < -Math.SQRT1_2) return 1;
  let covered = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      if (shape(x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE) <= 0) covered += 1;
    }
  }
  return covered / (SUPERSAMPLE * SUPERSAMPLE);
}

/** Paints opaque layers in order over the background (transparent when absent), each a shape with a colour. */
function paint(size: number, background: Rgb | undefined, layers: Array<{ shape: Shape; color: Rgb }>): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = background?.[0] ?? 0;
      let g = background?.[1] ?? 0;
      let b = background?.[2] ?? 0;
      let a = background ? 1 : 0;
      for (const layer of layers) {
        const coverage = coverageAt(layer.shape, x, y);
        if (coverage === 0) continue;
        // "Over" compositing in straight alpha.
        const outAlpha = coverage + a * (1 - coverage);
        const under = (a * (1 - coverage)) / outAlpha;
        const over = coverage / outAlpha;
        r = layer.color[0] * over + r * under;
        g = layer.color[1] * over + g * under;
        b = layer.color[2] * over + b * under;
        a = outAlpha;
      }
      const offset = (y * size + x) * 4;
      pixels[offset] = Math.round(r);
      pixels[offset + 1] = Math.round(g);
      pixels[offset + 2] = Math.round(b);
      pixels[offset + 3] = Math.round(a * 255);
    }
  }
  return { width: size, height: size, pixels };
}

/** The full-colour icon Teams shows in the store and app bar: a white robot head on the accent colour, 192×192. */
export function colorIcon(): RgbaImage {
  const head = roundedRect(96, 106, 54, 44, 18);
  const antenna = union(roundedRect(96, 53, 4, 12, 2), circle(96, 38, 9));
  const eyes = union(circle(74, 100, 11), circle(118, 100, 11));
  const mouth = roundedRect(96, 128, 20, 5, 5);
  return paint(192, ACCENT, [
    { shape: union(head, antenna), color: WHITE },
    { shape: union(eyes, mouth), color: ACCENT },
  ]);
}

/** The 32×32 outline icon: white strokes on transparency, as Teams requires. */
export function outlineIcon(): RgbaImage {
  const head = stroke(roundedRect(16, 19, 11, 8.5, 3.5), 1);
  const antenna = union(roundedRect(16, 8.5, 0.9, 2.5, 0.5), circle(16, 5, 1.9));
  const eyes = union(circle(12, 18, 2), circle(20, 18, 2));
  return paint(32, undefined, [{ shape: union(head, antenna, eyes), color: WHITE }]);
}
