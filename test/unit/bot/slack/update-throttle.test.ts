import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateThrottle } from '../../../../bot/slack/update-throttle.js';

describe('UpdateThrottle', () => {
  it('sends at most once per interval per key, coalescing to the newest value', async () => {
    const throttle = new UpdateThrottle<number>(200);
    const sent: Array<{ value: number; at: number }> = [];
    const send = async (value: number) => {
      sent.push({ value, at: Date.now() });
    };
    const first = throttle.schedule('m1', 0, send);
    await sleep(20);
    const rest = Array.from({ length: 9 }, (_, i) => throttle.schedule('m1', i + 1, send));
    await Promise.all([first, ...rest]);
    expect(sent.map((s) => s.value)).toEqual([0, 9]);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('collapses a burst within one tick into one send', async () => {
    const throttle = new UpdateThrottle<number>(200);
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => throttle.schedule('m', i, async (v) => void sent.push(v))));
    expect(sent).toEqual([4]);
  });

  it('keeps keys independent and waits an interval after a post', async () => {
    const throttle = new UpdateThrottle<string>(150);
    const sent: string[] = [];
    const started = Date.now();
    throttle.touch('posted');
    await Promise.all([throttle.schedule('posted', 'a', async (v) => void sent.push(v)), throttle.schedule('other', 'b', async (v) => void sent.push(v))]);
    expect(sent).toEqual(['b', 'a']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects the callers of a failed send, and later sends still work', async () => {
    const throttle = new UpdateThrottle<number>(50);
    await expect(throttle.schedule('k', 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const sent: number[] = [];
    await throttle.schedule('k', 2, async (v) => void sent.push(v));
    expect(sent).toEqual([2]);
  });

  it('flushes waiting values at once and forgets idle keys', async () => {
    const throttle = new UpdateThrottle<number>(10_000);
    const sent: number[] = [];
    throttle.touch('k');
    const waiting = throttle.schedule('k', 7, async (v) => void sent.push(v));
    await throttle.flush();
    await waiting;
    expect(sent).toEqual([7]);
    const short = new UpdateThrottle<number>(20);
    await short.schedule('x', 1, async () => undefined);
    await sleep(60);
    expect(short.size).toBe(0);
  });
});
