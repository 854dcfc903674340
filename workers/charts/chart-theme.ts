/** resvg draws text only with fonts it can find; DejaVu ships with Debian (fonts-dejavu-core). */
export const CHART_FONT = 'DejaVu Sans';

/** Shared look of every chart: white background, the font resvg renders, readable sizes. */
export const CHART_CONFIG = {
  font: CHART_FONT,
  background: 'white',
  padding: 16,
  title: { fontSize: 16, anchor: 'start', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#dddddd' },
} as const;
