import type { Activity } from 'botbuilder';
import { ConversationReferences } from '../../../../bot/teams/conversation-references.js';
import { teamsMessage } from '../../../helpers/teams-activities.js';

const message = (conversationId: string) => teamsMessage('status', { serviceUrl: `https://smba.example.com/${conversationId}/`, conversationId }) as unknown as Activity;

describe('ConversationReferences', () => {
  it('remembers where each conversation lives, without the per-message activity id', () => {
    const references = new ConversationReferences();
    references.learn(message('a:1'));
    expect(references.get('a:1')).toMatchObject({ serviceUrl: 'https://smba.example.com/a:1/', conversation: { id: 'a:1' } });
    expect(references.get('a:1')?.activityId).toBeUndefined();
  });

  it('forgets the least recently used conversation past its capacity', () => {
    const references = new ConversationReferences(2);
    references.learn(message('a:1'));
    references.learn(message('b:2'));
    expect(references.get('a:1')).toBeDefined();
    references.learn(message('c:3'));
    expect(references.get('b:2')).toBeUndefined();
    expect(references.get('a:1')).toBeDefined();
    expect(references.get('c:3')).toBeDefined();
  });
});
