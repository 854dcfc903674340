import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentJobError } from '../../../../core/index.js';
import { loadTextDataset } from '../../../../workers/training/index.js';
import { tempDir, toCsv, writeIn } from './training-fixtures.js';

const CSV = toCsv(['text', 'label'], Array.from({ length: 10 }, (_, i) => [`message ${i}`, i % 2 === 0 ? 'ham' : 'spam']));

/** The worker reads datasets from its work directory and nowhere else, whatever path reaches it. */
describe('loadTextDataset paths', () => {
  let dir: string;
  let workDir: string;
  let remove: () => void;
  beforeEach(() => {
    ({ dir, remove } = tempDir());
    workDir = join(dir, 'work');
    mkdirSync(join(workDir, 'data'), { recursive: true });
    writeIn(dir, 'outside.csv', CSV);
    writeIn(join(workDir, 'data'), 'inside.csv', CSV);
  });
  afterEach(() => remove());

  it.each([
    ['an absolute path', () => join(dir, 'outside.csv')],
    ['a path through ..', () => '../outside.csv'],
    ['a path that climbs out of a subdirectory', () => 'data/../../outside.csv'],
  ])('refuses %s leading out of the work directory, naming the path', async (_, path) => {
    const error = await loadTextDataset(path(), workDir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as PermanentJobError).userMessage).toBe(
      `dataset ${path()} is outside opsbot's working directory; give a path relative to it, such as data/sentiment.csv`,
    );
  });

  it('reads relative paths inside it, including ones that step back in', async () => {
    expect((await loadTextDataset('data/inside.csv', workDir)).examples).toHaveLength(10);
    expect((await loadTextDataset('./data/../data/inside.csv', workDir)).examples).toHaveLength(10);
  });
});
