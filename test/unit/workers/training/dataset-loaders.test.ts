import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { PermanentJobError } from '../../../../core/index.js';
import { describeColumns } from '../../../../workers/training/dataset/dataset-columns.js';
import { loadTextDataset } from '../../../../workers/training/index.js';
import { tempDir, toCsv, writeIn } from './training-fixtures.js';

const ROWS = Array.from({ length: 12 }, (_, i) => ({ text: `message number ${i}, "quoted" and, commas`, label: i % 3 === 0 ? 'spam' : 'ham' }));
const expected = ROWS.map(({ text, label }) => ({ text, label }));

describe('loadTextDataset', () => {
  let dir: string;
  let remove: () => void;
  beforeEach(() => ({ dir, remove } = tempDir()));
  afterEach(() => remove());

  const failure = async (name: string): Promise<string> => {
    const error = await loadTextDataset(name, dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    return (error as PermanentJobError).userMessage;
  };

  it('reads the same examples from CSV, a JSON array, JSON Lines and Parquet, with a hash of the bytes', async () => {
    writeIn(dir, 'd.csv', toCsv(['text', 'label'], ROWS.map((r) => [r.text, r.label])));
    writeIn(dir, 'd.json', JSON.stringify(ROWS));
    writeIn(dir, 'd.jsonl', ROWS.map((r) => JSON.stringify(r)).join('\n'));
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'text', data: ROWS.map((r) => r.text), type: 'STRING' },
        { name: 'label', data: ROWS.map((r) => r.label), type: 'STRING' },
      ],
    });
    writeIn(dir, 'd.parquet', new Uint8Array(parquet));
    for (const name of ['d.csv', 'd.json', 'd.jsonl', 'd.parquet']) {
      const dataset = await loadTextDataset(name, dir);
      expect(dataset.examples).toEqual(expected);
      expect(dataset.labels).toEqual(['ham', 'spam']);
      expect(dataset.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('reads an optional split column, and accepts unambiguous alternative column names', async () => {
    writeIn(dir, 'd.csv', toCsv(['Sentence', 'Class', 'split'], ROWS.map((r, i) => [r.text, r.label, ['train', 'Validation', 'test', ''][i % 4] as string])));
    const dataset = await loadTextDataset('d.csv', dir);
    expect(dataset.columns).toEqual({ text: 'Sentence', label: 'Class', split: 'split' });
    expect(dataset.examples.slice(0, 4).map((e) => e.split)).toEqual(['train', 'validation', 'test', undefined]);
  });

  it('names the row, line and column of each problem', async () => {
    writeIn(dir, 'no-label.csv', 'text,score\nhello,1\n');
    expect(await failure('no-label.csv')).toBe(
      'dataset no-label.csv has no "label" (nor class, category, target, intent, sentiment, y) column; its columns are: text, score; it also has 1 row; at least 10 are needed to train, validate and test',
    );
    writeIn(dir, 'ambiguous.csv', 'message,body,label\na,b,c\n');
    expect(await failure('ambiguous.csv')).toMatch(/columns "message" and "body" could each be the text column; rename the one to use to "text"/);
    writeIn(dir, 'empty-text.csv', 'text,label\nfine,ham\n"multi\nline",ham\n  ,spam\n');
    expect(await failure('empty-text.csv')).toBe('dataset empty-text.csv, row 3 (line 5): column "text" is empty');
    writeIn(dir, 'fields.csv', 'text,label\nfine,ham\nan unquoted, comma,spam\n');
    expect(await failure('fields.csv')).toMatch(/^dataset fields.csv, row 2 \(line 3\): 3 fields, but the header has 2 \(text,label\)/);
    writeIn(dir, 'unclosed.csv', 'text,label\nfine,ham\n"says ""hi"" and never closes,spam\nmore,ham\n');
    expect(await failure('unclosed.csv')).toBe('dataset unclosed.csv: a quote opened on line 3 is never closed; close it, and write a quote inside a quoted field as two ("")');
    writeIn(dir, 'split.csv', `text,label,split\n${'a,ham,train\n'.repeat(11)}b,spam,holdout\n`);
    expect(await failure('split.csv')).toBe('dataset split.csv, row 12 (line 13): column "split" is "holdout"; use train, validation or test (or leave it empty)');
  });

  it('refuses junk after a closing quote, and counts lines inside quoted fields', async () => {
    writeIn(dir, 'junk.csv', 'text,label\nfine,ham\n"quoted" and more,spam\n');
    expect(await failure('junk.csv')).toBe(
      'dataset junk.csv: line 3: a quoted field goes on after its closing quote; put the whole field inside the quotes, and write a quote inside it as two ("")',
    );
    writeIn(dir, 'lines.csv', 'text,label\r\n"one\r\ntwo\r\nthree",ham\r\n\r\nfine,ham\r\nbad,ham,extra\r\n');
    expect(await failure('lines.csv')).toMatch(/^dataset lines.csv, row 3 \(line 7\): 3 fields, but the header has 2/);
    writeIn(dir, 'empty.csv', 'text,label\n"a\n\nb",ham\n  ,spam\n');
    expect(await failure('empty.csv')).toBe('dataset empty.csv, row 2 (line 5): column "text" is empty');
    writeIn(dir, 'late.csv', `text,label\n"multi\nline",ham\nfine,ham\n"never closed,spam\nmore,ham\n`);
    expect(await failure('late.csv')).toMatch(/^dataset late.csv: a quote opened on line 5 is never closed/);
  });

  it('reads semicolon- and tab-separated files, and names the label column it took', async () => {
    writeIn(dir, 'semi.csv', `text;label\n${ROWS.map((r) => `"${r.text.replace(/"/g, '""')}";${r.label}`).join('\n')}\n`);
    expect((await loadTextDataset('semi.csv', dir)).examples).toEqual(expected);
    writeIn(dir, 'tabs.csv', `review\tsentiment\n${ROWS.map((r) => `"${r.text.replace(/"/g, '""')}"\t${r.label}`).join('\n')}\n`);
    const tabs = await loadTextDataset('tabs.csv', dir);
    expect(tabs.examples).toEqual(expected);
    expect(describeColumns(tabs.columns)).toBe('text column "review", label column "sentiment"');
    expect(describeColumns({ text: 'text', label: 'label' })).toBeUndefined();
  });

  it('says every problem of a small file without a label column, and that a directory is one', async () => {
    writeIn(dir, 'two.csv', 'text,score\nhello,1\nbye,2\n');
    expect(await failure('two.csv')).toBe(
      'dataset two.csv has no "label" (nor class, category, target, intent, sentiment, y) column; its columns are: text, score; it also has 2 rows; at least 10 are needed to train, validate and test',
    );
    mkdirSync(join(dir, 'data'));
    expect(await failure('data')).toBe('dataset data is a directory, not a file; name a file in it (.csv, .json, .jsonl, .parquet), such as data/train.csv');
  });

  it('names the row or line of a bad JSON, JSON Lines or Parquet row', async () => {
    writeIn(dir, 'object.json', '{"text": "a", "label": "b"}');
    expect(await failure('object.json')).toMatch(/must be a JSON array of objects/);
    writeIn(dir, 'item.json', JSON.stringify([{ text: 'a', label: 'b' }, 'oops']));
    expect(await failure('item.json')).toMatch(/^dataset item.json, row 2: expected an object/);
    writeIn(dir, 'number.json', JSON.stringify([{ text: 'a', label: 'b' }, { text: 42, label: 'b' }]));
    expect(await failure('number.json')).toBe('dataset number.json, row 2: column "text" holds number 42, not text');
    writeIn(dir, 'broken.jsonl', '{"text": "a", "label": "b"}\n\n{"text": "a", "label": }\n');
    expect(await failure('broken.jsonl')).toMatch(/^dataset broken.jsonl, line 3: not valid JSON/);
    writeIn(dir, 'no-label.jsonl', `${'{"text": "a", "label": "b"}\n'.repeat(3)}{"text": "a"}\n`);
    expect(await failure('no-label.jsonl')).toBe('dataset no-label.jsonl, row 4 (line 4): column "label" is empty');
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'text', data: ['a', null, 'c'], type: 'STRING' },
        { name: 'label', data: ['x', 'y', 'z'], type: 'STRING' },
      ],
    });
    writeIn(dir, 'gap.parquet', new Uint8Array(parquet));
    expect(await failure('gap.parquet')).toBe('dataset gap.parquet, row 2: column "text" is empty');
    writeIn(dir, 'garbage.parquet', 'not parquet at all');
    expect(await failure('garbage.parquet')).toMatch(/^dataset garbage.parquet is not a readable Parquet file/);
  });

  it('refuses missing files, unknown formats, too few rows and a single label', async () => {
    expect(await failure('absent.csv')).toMatch(/^dataset absent.csv not found \(looked at .*absent.csv\); check the path$/);
    writeIn(dir, 'd.txt', 'text,label\n');
    expect(await failure('d.txt')).toMatch(/unknown format ".txt"; use .csv, .json, .jsonl, .parquet/);
    writeIn(dir, 'few.csv', 'text,label\na,x\nb,y\n');
    expect(await failure('few.csv')).toMatch(/has 2 rows; at least 10 are needed/);
    writeIn(dir, 'one.csv', `text,label\n${'a,x\n'.repeat(10)}`);
    expect(await failure('one.csv')).toMatch(/has only one label in column "label" \(x\)/);
  });
});
