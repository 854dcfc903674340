import { PendingConfirmations, type IncomingCommand, type PendingConfirmation } from '../../../core/index.js';
import { alice, terminal } from '../../helpers/fixtures.js';

const command = (userId: string): IncomingCommand => ({ identity: { ...alice, userId, displayName: userId }, conversation: terminal, text: 'rollback sentiment in prod' });
const rollback = { action: 'rollback' as const, args: { model: 'sentiment', env: 'prod', version: '1' } };

function added(result: PendingConfirmation | 'limit'): PendingConfirmation {
  if (result === 'limit') throw new Error('expected the request to be added');
  return result;
}

describe('PendingConfirmations', () => {
  it('hands a pending action only to the person who asked, once, by a 6-character code typed in any case', () => {
    const pending = new PendingConfirmations();
    const { token } = added(pending.add(rollback, command('alice')));
    expect(token).toMatch(/^[2-9a-hjkmnp-z]{6}$/);
    expect(pending.take(token, command('bob'))).toBe('not-yours');
    expect(pending.take(token.toUpperCase(), command('alice'))).toMatchObject({ action: rollback });
    expect(pending.take(token, command('alice'))).toBe('unknown');
  });

  it('forgets requests after their time to live', () => {
    let now = 1_000_000;
    const pending = new PendingConfirmations({ ttlMs: 1000, now: () => now });
    const { token } = added(pending.add(rollback, command('alice')));
    now += 1001;
    expect(pending.take(token, command('alice'))).toBe('unknown');
    expect(pending.waitingFor(command('alice'))).toEqual([]);
  });

  it('refuses a user past their bound until one of their requests is answered or expires', () => {
    let now = 1_000_000;
    const pending = new PendingConfirmations({ ttlMs: 1000, perUser: 3, now: () => now });
    const codes = [1, 2, 3].map(() => added(pending.add(rollback, command('alice'))).token);
    expect(pending.add(rollback, command('alice'))).toBe('limit');
    expect(pending.waitingFor(command('alice'))).toEqual(codes);
    expect(added(pending.add(rollback, command('bob'))).token).toMatch(/^\w{6}$/);
    pending.take(codes[0]!, command('alice'));
    expect(added(pending.add(rollback, command('alice'))).token).toMatch(/^\w{6}$/);
    expect(pending.add(rollback, command('alice'))).toBe('limit');
    now += 1001;
    expect(added(pending.add(rollback, command('alice'))).token).toMatch(/^\w{6}$/);
  });

  it('takes 10,000 requests from many users, keeping the newest within the total bound and distinct codes', () => {
    const pending = new PendingConfirmations({ total: 500 });
    const codes: string[] = [];
    for (let i = 0; i < 10_000; i++) codes.push(added(pending.add(rollback, command(`user-${i}`))).token);
    expect(pending.size).toBe(500);
    expect(new Set(codes.slice(-500)).size).toBe(500);
    // The oldest were evicted; the newest still wait for their owner.
    expect(pending.take(codes[0]!, command('user-0'))).toBe('unknown');
    expect(pending.take(codes[9_999]!, command('user-9999'))).toMatchObject({ action: rollback });
  });
});
