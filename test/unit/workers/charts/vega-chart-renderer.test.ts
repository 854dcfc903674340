import { Resvg } from '@resvg/resvg-js';
import { CONFUSION_MATRIX_SIZE, TRAINING_CURVE_SIZE, VegaChartRenderer } from '../../../../workers/charts/index.js';
import { decodePng, pixelStats } from '../../../helpers/png.js';

const history = Array.from({ length: 8 }, (_, i) => ({
  epoch: i + 1,
  loss: 1 / (i + 1),
  accuracy: 1 - 0.5 / (i + 1),
  val_loss: 1.2 / (i + 1),
  val_accuracy: 1 - 0.6 / (i + 1),
}));

describe('decodePng (test helper)', () => {
  it('decodes what resvg encodes, pixel for pixel', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="4"><rect width="10" height="4" fill="white"/><rect x="5" width="5" height="4" fill="#ff0000"/></svg>';
    const png = decodePng(new Resvg(svg).render().asPng());
    expect(png).toMatchObject({ width: 10, height: 4, channels: 4 });
    const pixel = (x: number, y: number) => Array.from(png.pixels.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
    expect(pixel(0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(9, 3)).toEqual([255, 0, 0, 255]);
    expect(pixelStats(png)).toEqual({ foreground: 20, colours: 2 });
  });
});

describe('VegaChartRenderer', () => {
  const charts = new VegaChartRenderer();

  it('renders a training curve as a non-blank PNG of a fixed size', async () => {
    const png = decodePng(await charts.trainingCurve(history, 'Training curve of sentiment (j-1)'));
    expect([png.width, png.height]).toEqual([TRAINING_CURVE_SIZE.width, TRAINING_CURVE_SIZE.height]);
    const { foreground, colours } = pixelStats(png);
    expect(foreground).toBeGreaterThan(png.width * png.height * 0.02);
    // Two line colors, text, grid and anti-aliasing: far more than a couple.
    expect(colours).toBeGreaterThan(20);
  });

  it('keeps its size whatever the title length, and draws a curve without validation values', async () => {
    const trainOnly = history.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy }));
    const png = decodePng(await charts.trainingCurve(trainOnly, `A much longer title ${'x'.repeat(120)}`));
    expect([png.width, png.height]).toEqual([TRAINING_CURVE_SIZE.width, TRAINING_CURVE_SIZE.height]);
    expect(pixelStats(png).colours).toBeGreaterThan(10);
  });

  it('renders a confusion matrix heat map with its counts', async () => {
    const labels = ['negative', 'neutral', 'positive'];
    const png = decodePng(await charts.confusionMatrix(labels, [[40, 3, 2], [5, 20, 6], [1, 4, 50]], 'Confusion matrix of sentiment v3'));
    expect([png.width, png.height]).toEqual([CONFUSION_MATRIX_SIZE.width, CONFUSION_MATRIX_SIZE.height]);
    const { foreground, colours } = pixelStats(png);
    expect(foreground).toBeGreaterThan(png.width * png.height * 0.2);
    expect(colours).toBeGreaterThan(20);
  });

  it('renders a one-class, all-zero matrix without failing', async () => {
    const png = decodePng(await charts.confusionMatrix(['only'], [[0]], 'empty'));
    expect([png.width, png.height]).toEqual([CONFUSION_MATRIX_SIZE.width, CONFUSION_MATRIX_SIZE.height]);
    expect(pixelStats(png).foreground).toBeGreaterThan(0);
  });
});
