import { jobMessage, type JobRecord, type MessageBlock } from '../../../core/index.js';
import { alice, terminal } from '../../helpers/fixtures.js';

const job = (patch: Partial<JobRecord>): JobRecord => ({
  id: 'j-1',
  kind: 'evaluate',
  args: { model: 'sentiment', version: '3' },
  status: 'queued',
  requestedBy: alice,
  conversation: terminal,
  text: 'evaluate sentiment v3',
  createdAt: new Date(0).toISOString(),
  attempts: 0,
  ...patch,
});

const buttons = (blocks: MessageBlock[]) => blocks.flatMap((block) => (block.type === 'buttons' ? block.buttons : []));

describe('jobMessage buttons', () => {
  it('offers Cancel while a job is queued or running', () => {
    for (const status of ['queued', 'active'] as const) {
      expect(buttons(jobMessage(job({ status })).blocks)).toEqual([{ label: 'Cancel', command: 'cancel j-1', style: 'danger' }]);
    }
  });

  it("offers a completed job's next steps, the first as the primary one", () => {
    const nextSteps = [
      { label: 'Evaluate', command: 'evaluate sentiment v3' },
      { label: 'Deploy to staging', command: 'deploy sentiment v3 to staging' },
    ];
    const message = jobMessage(job({ status: 'completed', result: { summary: 'done', nextSteps } }));
    expect(buttons(message.blocks)).toEqual([{ ...nextSteps[0], style: 'primary' }, nextSteps[1]]);
  });

  it('shows no buttons once a job has finished without next steps, or failed', () => {
    expect(buttons(jobMessage(job({ status: 'completed', result: { summary: 'done' } })).blocks)).toEqual([]);
    expect(buttons(jobMessage(job({ status: 'failed', error: 'Failed: x', result: { summary: 'x', nextSteps: [{ label: 'a', command: 'b' }] } })).blocks)).toEqual([]);
  });
});

describe('jobMessage result', () => {
  it('shows a completed job’s table under its details', () => {
    const table = { columns: ['class', 'F1'], rows: [['spam', '0.9900']] };
    const message = jobMessage(job({ status: 'completed', result: { summary: 'done', details: { examples: 4 }, table } }));
    expect(message.blocks.map((b) => b.type)).toEqual(['text', 'text', 'fields', 'table', 'context']);
    expect(message.blocks[3]).toEqual({ type: 'table', ...table });
  });
});
