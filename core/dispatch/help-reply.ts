import { ACTION_CATALOG } from '../actions/action-catalog.js';
import { ACTION_NAMES, type ActionName } from '../actions/action.schema.js';
import type { Message } from '../messages/message.js';

export function helpReply(topic: ActionName | undefined, environments: readonly string[]): Message {
  if (topic) {
    const spec = ACTION_CATALOG[topic];
    const text = `${spec.name}: ${spec.summary}\nUsage: ${spec.usage}\nExample: ${spec.example}`;
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  const rows = ACTION_NAMES.map((name) => [name, ACTION_CATALOG[name].summary, ACTION_CATALOG[name].example]);
  const footer = `Environments: ${environments.join(', ')}. Deploys to protected environments, rollbacks and scaling to 0 ask you to confirm first. Type \`help <command>\` for details.`;
  return {
    text: `Commands:\n${rows.map(([name, , example]) => `  ${name} — e.g. ${example}`).join('\n')}\n${footer}`,
    tone: 'info',
    blocks: [
      { type: 'text', text: 'Here is what I can do:' },
      { type: 'table', columns: ['command', 'what it does', 'example'], rows },
      { type: 'context', text: footer },
    ],
  };
}
