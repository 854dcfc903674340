import { ACTION_CATALOG } from '../actions/action-catalog.js';
import { actionHelp } from '../actions/action-help.js';
import type { ActionLimits } from '../actions/action-limits.js';
import { ACTION_NAMES, type ActionName } from '../actions/action.schema.js';
import type { Message } from '../messages/message.js';

export interface HelpContext {
  limits: ActionLimits;
  /** Whether the asking user's roles let them run this command (somewhere). */
  allowed: (action: ActionName) => boolean;
}

/** `help`: the commands this user may run; `help <command>`: its usage, each option with its limits, and examples. */
export function helpReply(topic: ActionName | undefined, context: HelpContext): Message {
  return topic ? commandHelp(topic, context) : commandList(context);
}

function commandHelp(topic: ActionName, context: HelpContext): Message {
  const spec = ACTION_CATALOG[topic];
  const { options, examples } = actionHelp(topic, context.limits);
  const note = context.allowed(topic) ? [] : [`Your roles do not allow ${topic}; an opsbot admin can grant a role that does.`];
  const lines = [
    `${spec.name}: ${spec.summary}`,
    `Usage: ${spec.usage}`,
    ...options.map(([option, meaning]) => `  ${option} — ${meaning}`),
    `Examples: ${examples.map((example) => `\`${example}\``).join(', ')}`,
    ...note,
  ];
  const text = lines.join('\n');
  return {
    text,
    tone: 'info',
    blocks: [
      { type: 'text', text: `${spec.name}: ${spec.summary}\nUsage: \`${spec.usage}\`` },
      { type: 'table', columns: ['option', 'meaning'], rows: options.map(([option, meaning]) => [option, meaning]) },
      { type: 'text', text: `Examples:\n${examples.map((example) => `\`${example}\``).join('\n')}` },
      ...note.map((line) => ({ type: 'context' as const, text: line })),
    ],
  };
}

function commandList(context: HelpContext): Message {
  const allowed = ACTION_NAMES.filter((name) => context.allowed(name));
  const hidden = ACTION_NAMES.length - allowed.length;
  const rows = allowed.map((name) => [name, ACTION_CATALOG[name].summary, ACTION_CATALOG[name].example]);
  const others = hidden > 0 ? ` ${hidden} more commands exist that your roles do not allow; an opsbot admin can grant roles.` : '';
  const footer = `Environments: ${context.limits.environments.join(', ')}. Rollbacks and scaling to 0 ask you to confirm first; promotions into protected environments wait for approvers (the card's Promote/Reject buttons, or approve/reject with the deployment id). Type \`help <command>\` for details, or say what you want in your own words.${others}`;
  return {
    text: `Commands you can run:\n${rows.map(([name, , example]) => `  ${name} — e.g. ${example}`).join('\n')}\n${footer}`,
    tone: 'info',
    blocks: [
      { type: 'text', text: 'Here is what I can do for you:' },
      { type: 'table', columns: ['command', 'what it does', 'example'], rows },
      { type: 'context', text: footer },
    ],
  };
}
