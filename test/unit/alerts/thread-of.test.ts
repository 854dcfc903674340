import { threadOf } from '../../../alerts/thread-of.js';

describe('threadOf: where a triage parent’s replies go', () => {
  it('is the ts on Slack (ref channel:ts)', () => {
    expect(threadOf({ platform: 'slack', workspace: 'T1', channelId: 'C1' }, 'C1:1700000000.000100')).toEqual({ platform: 'slack', workspace: 'T1', channelId: 'C1', threadId: '1700000000.000100' });
  });

  it('is the activity id on Teams, not the whole ref with its serviceUrl', () => {
    const ref = JSON.stringify({ id: 'act-7', serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    expect(threadOf({ platform: 'teams', workspace: 'tenant', channelId: '19:x@thread.tacv2' }, ref).threadId).toBe('act-7');
  });

  it('is the ref itself elsewhere', () => {
    expect(threadOf({ platform: 'local', workspace: '', channelId: 'alerts' }, 'm-3').threadId).toBe('m-3');
  });
});
