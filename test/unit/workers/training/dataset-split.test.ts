import { classBalance, formatClassBalance, splitDataset, type TextExample } from '../../../../workers/training/index.js';

const examples: TextExample[] = Array.from({ length: 1000 }, (_, i) => ({ text: `text ${i}`, label: i % 4 === 0 ? 'spam' : 'ham' }));
const texts = (list: readonly TextExample[]) => list.map((e) => e.text);

describe('splitDataset', () => {
  it('is the same for the same seed and different for another', () => {
    const a = splitDataset(examples, 42);
    const b = splitDataset(examples, 42);
    expect(texts(a.test)).toEqual(texts(b.test));
    expect(texts(a.validation)).toEqual(texts(b.validation));
    expect(texts(splitDataset(examples, 7).test)).not.toEqual(texts(a.test));
  });

  it('is 70/10/20 within each label, and covers every example once', () => {
    const split = splitDataset(examples, 42);
    const balance = classBalance(split, ['ham', 'spam']);
    expect(balance).toEqual({ ham: { train: 525, validation: 75, test: 150 }, spam: { train: 175, validation: 25, test: 50 } });
    expect(new Set([...texts(split.train), ...texts(split.validation), ...texts(split.test)]).size).toBe(1000);
    expect(formatClassBalance(balance)).toBe('ham 750 (75.0%), spam 250 (25.0%)');
  });

  it('keeps a label’s split when rows of another label are added', () => {
    const more = [...examples, ...Array.from({ length: 50 }, (_, i) => ({ text: `new ${i}`, label: 'spam' }))];
    const hamTest = (list: readonly TextExample[]) => texts(list.filter((e) => e.label === 'ham'));
    expect(hamTest(splitDataset(more, 42).test)).toEqual(hamTest(splitDataset(examples, 42).test));
  });

  it('puts rows where their split column says, and draws validation from train when none is named', () => {
    const marked: TextExample[] = examples.map((e, i) => ({ ...e, split: i < 800 ? 'train' : 'test' }));
    const split = splitDataset(marked, 42);
    expect(texts(split.test)).toEqual(texts(examples.slice(800)));
    expect(split.validation.length).toBe(100); // 10/80 of the 800 train rows, stratified
    expect(split.train.length).toBe(700);
    expect(split.validation.filter((e) => e.label === 'spam')).toHaveLength(25);
    const named = splitDataset(examples.map((e, i) => ({ ...e, ...(i === 3 ? { split: 'validation' as const } : {}) })), 42);
    expect(texts(named.validation)).toContain('text 3');
  });
});
