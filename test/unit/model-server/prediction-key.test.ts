import { predictionKey } from '../../../model-server/cache/prediction-key.js';

describe('predictionKey', () => {
  it('differs by model, by version and by text, and never contains the text', () => {
    const text = 'card 4111 1111 1111 1111 was declined';
    const keys = [predictionKey('spam', 1, text), predictionKey('spam', 2, text), predictionKey('ham', 1, text), predictionKey('spam', 1, `${text}.`)];
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe(predictionKey('spam', 1, text));
    expect(keys[0]).toMatch(/^spam:1:[\w-]{43}$/);
    expect(keys.some((k) => k.includes('4111'))).toBe(false);
  });
});
