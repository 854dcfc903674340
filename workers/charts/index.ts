export { VegaChartRenderer, TRAINING_CURVE_SIZE, CONFUSION_MATRIX_SIZE } from './vega-chart-renderer.js';
