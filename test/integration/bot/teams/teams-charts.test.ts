import { TEAMS_CARD_MAX_BYTES } from '../../../../bot/teams/index.js';
import type { ChartRenderer } from '../../../../core/index.js';
import { VegaChartRenderer } from '../../../../workers/charts/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { decodePng } from '../../../helpers/png.js';
import { teamsMessage } from '../../../helpers/teams-activities.js';
import type { ConnectorCall } from '../../../helpers/teams-connector-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

/** Teams refuses a bot message over about 28 KB, activity and card together. */
const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;

/** The real renderer, keeping what it drew so the served bytes can be compared with it. */
function recordingCharts(): ChartRenderer & { drawn: Uint8Array[] } {
  const vega = new VegaChartRenderer();
  const drawn: Uint8Array[] = [];
  return {
    drawn,
    async trainingCurve(history, title) {
      const png = await vega.trainingCurve(history, title);
      drawn.push(png);
      return png;
    },
    async confusionMatrix(labels, counts, title) {
      const png = await vega.confusionMatrix(labels, counts, title);
      drawn.push(png);
      return png;
    },
  };
}

const cardBody = (call: ConnectorCall): unknown[] => call.body.attachments?.[0]?.content?.body ?? [];
const isImage = (element: unknown): element is { type: 'Image'; url: string; altText: string } => (element as { type?: string }).type === 'Image';

async function trainAndWaitForChart(bot: TeamsHarness): Promise<ConnectorCall> {
  writeSentimentCsv(bot.workDir, 400);
  expect((await bot.send(teamsMessage('train sentiment --dataset sentiment.csv --epochs 5', { serviceUrl: bot.connector.serviceUrl }))).status).toBe(200);
  return eventually('the chart message', () => bot.connector.calls.find((call) => JSON.stringify(cardBody(call)).includes('Training curve of sentiment')), 30_000);
}

describe('Teams: a job’s chart', () => {
  let bot: TeamsHarness;

  afterEach(async () => {
    await bot.close();
  });

  it('reaches Teams as an Adaptive Card Image whose URL is on the bot’s server and serves the exact PNG', async () => {
    const charts = recordingCharts();
    bot = await startTeamsHarness({ publicUrl: true, charts });
    const call = await trainAndWaitForChart(bot);

    const [png] = charts.drawn;
    if (!png) throw new Error('no chart was drawn');
    // As a data URL the chart alone would be over the limit: the case this is for.
    expect(png.length).toBeGreaterThan(TEAMS_CARD_MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(call.body))).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES);

    const image = cardBody(call).find(isImage);
    expect(image?.altText).toMatch(/^Training curve of sentiment \(j-\w+\): loss and accuracy per epoch$/);
    const url = image?.url ?? '';
    expect(url.startsWith(`${bot.url}/images/`)).toBe(true);
    expect(url.slice(bot.url.length)).toMatch(/^\/images\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.png$/);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const served = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(served).equals(Buffer.from(png))).toBe(true);
    expect(decodePng(served).width).toBeGreaterThan(100);
  }, 40_000);

  it('without OPSBOT_PUBLIC_URL is left out of the card with a note that says how to get it shown', async () => {
    bot = await startTeamsHarness({ charts: recordingCharts() });
    const call = await trainAndWaitForChart(bot);
    expect(cardBody(call).some(isImage)).toBe(false);
    expect(JSON.stringify(cardBody(call))).toContain('left out: too large for a Teams message. Set OPSBOT_PUBLIC_URL so Teams can show charts.');
    expect((await fetch(`${bot.url}/images/7b0c1f7e-4a51-4c8e-9a43-3f5d2b7c9e10.png`)).status).toBe(404);
  }, 40_000);
});
