import { DEFAULT_FEATURIZER_CONFIG, TextFeaturizer, type SparseVector } from '../../../../workers/training/index.js';
import { SparseMatrixBuilder } from '../../../../workers/training/features/sparse-matrix.js';

const featurizer = (overrides = {}) => new TextFeaturizer({ ...DEFAULT_FEATURIZER_CONFIG, ...overrides });
const asMap = (v: SparseVector) => new Map(Array.from(v.indices, (index, k) => [index, v.values[k] as number]));
const norm = (v: SparseVector) => Math.sqrt(v.values.reduce((sum, x) => sum + x * x, 0));
const shared = (a: SparseVector, b: SparseVector) => [...asMap(a).keys()].filter((index) => asMap(b).has(index)).length;

describe('TextFeaturizer', () => {
  it('gives the same L2-normalised vector for the same text, with indices inside the hashed dimension', () => {
    const f = featurizer();
    const a = f.featurize('Win a FREE cruise now!!! Reply to claim your $1000 prize');
    const b = f.featurize('Win a FREE cruise now!!! Reply to claim your $1000 prize');
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(norm(a)).toBeCloseTo(1, 6);
    expect(new Set(a.indices).size).toBe(a.indices.length);
    expect(Math.max(...a.indices)).toBeLessThan(DEFAULT_FEATURIZER_CONFIG.dimensions);
    expect(Math.min(...a.indices)).toBeGreaterThanOrEqual(0);
  });

  it('counts word unigrams, ordered bigrams and in-word character 3–5-grams of words without digits', () => {
    const words = featurizer({ minCharNgram: 0, maxCharNgram: 0 });
    expect(words.count('cheap pills').indices).toHaveLength(3); // cheap, pills, "cheap pills"
    expect(shared(words.count('cheap pills'), words.count('pills cheap'))).toBe(2); // the bigram differs
    expect(featurizer({ maxWordNgram: 1, minCharNgram: 0, maxCharNgram: 0 }).count('cheap pills').indices).toHaveLength(2);
    // "<ab>" has the 3-grams "<ab", "ab>" and the 4-gram "<ab>": one word feature and three n-grams.
    expect(featurizer({ maxWordNgram: 1 }).count('ab').indices).toHaveLength(4);
    // A misspelling shares most character n-grams but no word feature.
    const chars = featurizer({ maxWordNgram: 1 });
    expect(shared(chars.count('viagra'), chars.count('viaagra'))).toBeGreaterThan(3);
    expect(shared(words.count('viagra'), words.count('viaagra'))).toBe(0);
    // Words with digits (IDs, dates) keep their word feature only.
    expect(featurizer({ maxWordNgram: 1 }).count('a1b2c3').indices).toHaveLength(1);
  });

  it('is case-insensitive, splits on punctuation, keeps $ ! ? % as words, and cuts texts at maxChars', () => {
    const f = featurizer();
    expect(asMap(f.count('Hello, WORLD'))).toEqual(asMap(f.count('hello world')));
    expect(f.count('price $').indices.length).toBeGreaterThan(f.count('price').indices.length);
    const cut = featurizer({ maxChars: 10 });
    expect(asMap(cut.count('abcdefghij and everything after is ignored'))).toEqual(asMap(cut.count('abcdefghij')));
    expect(f.count('').indices).toHaveLength(0);
    expect(norm(f.featurize('!!!'))).toBeCloseTo(1, 6);
  });

  it('featurizeReused gives featurize’s vector, in buffers that its next call overwrites', () => {
    const f = featurizer();
    const texts = ['Win a FREE cruise now!!! Reply to claim your $1000 prize', 'the quarterly report is attached', ''];
    for (const text of texts) {
      const owned = f.featurize(text);
      const reused = f.featurizeReused(text);
      expect(Array.from(reused.indices)).toEqual(Array.from(owned.indices));
      expect(Array.from(reused.values)).toEqual(Array.from(owned.values));
    }
    const first = f.featurizeReused(texts[0] as string);
    const before = Array.from(first.values);
    f.featurizeReused(texts[1] as string);
    expect(Array.from(first.values)).not.toEqual(before);
    // Counting after a reused call starts from zero: nothing of the earlier text is left behind.
    expect(asMap(f.count(texts[1] as string))).toEqual(asMap(featurizer().count(texts[1] as string)));
  });

  it('learns IDF on a corpus: a word in every document weighs less than a rare one', () => {
    const f = featurizer({ minCharNgram: 0, maxCharNgram: 0, maxWordNgram: 1 });
    const corpus = new SparseMatrixBuilder();
    for (const text of ['the offer', 'the meeting', 'the report', 'the lunch']) corpus.push(f.count(text));
    f.fitIdf(corpus.build());
    const v = asMap(f.featurize('the offer'));
    const [the, offer] = [f.count('the').indices[0] as number, f.count('offer').indices[0] as number];
    expect(v.get(offer)).toBeGreaterThan(v.get(the) as number);
    expect(f.idf[the]).toBeCloseTo(1, 6); // ln(5/5) + 1
    expect(f.idf[offer]).toBeCloseTo(Math.log(5 / 2) + 1, 6);
  });
});
