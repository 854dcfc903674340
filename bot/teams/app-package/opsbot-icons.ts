import { Resvg } from '@resvg/resvg-js';

export const OPSBOT_ACCENT_COLOR = '#5B5FC7';

/** The full-colour icon Teams shows in the store and app bar: a white robot head on the accent colour, 192×192. */
const COLOR_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
  <rect width="192" height="192" fill="${OPSBOT_ACCENT_COLOR}"/>
  <g fill="#FFFFFF">
    <rect x="42" y="62" width="108" height="88" rx="18"/>
    <rect x="92" y="41" width="8" height="24" rx="2"/>
    <circle cx="96" cy="38" r="9"/>
  </g>
  <g fill="${OPSBOT_ACCENT_COLOR}">
    <circle cx="74" cy="100" r="11"/>
    <circle cx="118" cy="100" r="11"/>
    <rect x="76" y="123" width="40" height="10" rx="5"/>
  </g>
</svg>`;

/** The 32×32 outline icon: white strokes on transparency, as Teams requires. */
const OUTLINE_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <rect x="5" y="10.5" width="22" height="17" rx="3.5" fill="none" stroke="#FFFFFF" stroke-width="2"/>
  <g fill="#FFFFFF">
    <rect x="15.1" y="6" width="1.8" height="5" rx="0.5"/>
    <circle cx="16" cy="5" r="1.9"/>
    <circle cx="12" cy="18" r="2"/>
    <circle cx="20" cy="18" r="2"/>
  </g>
</svg>`;

/** Rendered by resvg (as charts are) at the size the SVG declares; transparent where nothing is drawn. */
function renderSvg(svg: string): Uint8Array {
  const png = new Resvg(svg, { fitTo: { mode: 'original' } }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export function colorIconPng(): Uint8Array {
  return renderSvg(COLOR_ICON_SVG);
}

export function outlineIconPng(): Uint8Array {
  return renderSvg(OUTLINE_ICON_SVG);
}
