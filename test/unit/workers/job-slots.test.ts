import { JobSlots } from '../../../workers/job-slots.js';

describe('JobSlots', () => {
  it('hands a freed slot to the longest waiter, never to a later taker', async () => {
    const slots = new JobSlots(1);
    expect(slots.tryTake()).toBe(true);
    const order: string[] = [];
    const first = slots.take().then(() => order.push('first'));
    const second = slots.take().then(() => order.push('second'));
    slots.release();
    // The slot went to the first waiter: it is still full for anyone else.
    expect(slots.tryTake()).toBe(false);
    await first;
    slots.release();
    await second;
    expect(order).toEqual(['first', 'second']);
    slots.release();
    expect(slots.full).toBe(false);
  });

  it('tells listeners when it fills up and frees up', () => {
    const slots = new JobSlots(2);
    const seen: boolean[] = [];
    slots.onChange(() => seen.push(slots.full));
    slots.tryTake();
    slots.tryTake();
    slots.release();
    expect(seen).toEqual([false, true, false]);
  });
});
