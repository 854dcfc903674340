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
});
