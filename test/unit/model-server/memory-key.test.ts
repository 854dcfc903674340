import { MemoryKeys, TEXT_KEY_MAX_CHARS } from '../../../model-server/cache/memory-key.js';

describe('MemoryKeys', () => {
  it('differs by model, by version and by text; a short text is its own key, a long one its SHA-256', () => {
    const short = 'the app is fast';
    const long = 'x'.repeat(TEXT_KEY_MAX_CHARS + 1);
    const keys = [new MemoryKeys('spam', 1).of(short), new MemoryKeys('spam', 2).of(short), new MemoryKeys('ham', 1).of(short), new MemoryKeys('spam', 1).of(`${short}.`)];
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toBe(`spam:1:t:${short}`);
    const hashed = new MemoryKeys('spam', 1).of(long);
    expect(hashed).toMatch(/^spam:1:h:[\w-]{43}$/);
    expect(new MemoryKeys('spam', 1).of(`${long}y`)).not.toBe(hashed);
  });

  it('never lets a text that looks like a digest meet the digest of a long text', () => {
    const keys = new MemoryKeys('m', 1);
    const digestKey = keys.of('z'.repeat(1000));
    const lookalike = digestKey.slice('m:1:h:'.length);
    expect(keys.of(lookalike)).not.toBe(digestKey);
  });
});
