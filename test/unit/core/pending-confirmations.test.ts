import { PendingConfirmations, type IncomingCommand } from '../../../core/index.js';
import { alice, terminal } from '../../helpers/fixtures.js';

const command = (userId: string): IncomingCommand => ({ identity: { ...alice, userId, displayName: userId }, conversation: terminal, text: 'rollback sentiment in prod' });
const rollback = { action: 'rollback' as const, args: { model: 'sentiment', env: 'prod', version: '1' } };

describe('PendingConfirmations', () => {
  it('hands a pending action only to the person who asked, once', () => {
    const pending = new PendingConfirmations();
    const { token } = pending.add(rollback, command('alice'));
    expect(token).toMatch(/^\d{4}$/);
    expect(pending.take(token, command('bob'))).toBe('not-yours');
    expect(pending.take(token, command('alice'))).toMatchObject({ action: rollback });
    expect(pending.take(token, command('alice'))).toBe('unknown');
  });

  it('forgets requests after their time to live', () => {
    let now = 0;
    const pending = new PendingConfirmations(1000, () => now);
    const { token } = pending.add(rollback, command('alice'));
    now = 1001;
    expect(pending.take(token, command('alice'))).toBe('unknown');
  });
});
