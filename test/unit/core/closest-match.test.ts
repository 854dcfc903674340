import { closestMatch, editDistance } from '../../../core/index.js';

describe('closestMatch', () => {
  it('suggests the candidate one typo away', () => {
    expect(closestMatch('sentimnt', ['sentiment', 'fraud'])).toBe('sentiment');
  });
  it('suggests nothing when every candidate is far', () => {
    expect(closestMatch('xyz', ['sentiment', 'fraud'])).toBeUndefined();
  });
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('a', 'abcd', 1)).toBe(2);
  });
  it('counts two swapped neighbouring letters as one typo', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(closestMatch('trian', ['train', 'tune', 'status'])).toBe('train');
    expect(closestMatch('stauts', ['status'])).toBe('status');
  });
});
