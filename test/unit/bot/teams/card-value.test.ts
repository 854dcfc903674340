import { commandFromCardData } from '../../../../bot/teams/card-value.schema.js';
import { plainCommandText } from '../../../../bot/teams/incoming-command.js';

describe('commandFromCardData', () => {
  it('reads a button’s command', () => {
    expect(commandFromCardData({ command: ' confirm 4821 ' })).toBe('confirm 4821');
  });

  it('reads the chosen option of a select', () => {
    expect(commandFromCardData({ choice: 'opsbot-choice-3', 'opsbot-choice-3': 'status j-1' })).toBe('status j-1');
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'confirm 1'],
    ['an empty command', { command: '  ' }],
    ['a non-string command', { command: 42 }],
    ['an overlong command', { command: 'x'.repeat(2001) }],
    ['a select with nothing chosen', { choice: 'opsbot-choice-1' }],
    ['a choice naming another field', { choice: 'command', command: 1 }],
  ])('refuses %s', (_name, data) => {
    expect(commandFromCardData(data)).toBeUndefined();
  });
});

describe('plainCommandText', () => {
  it('undoes Teams markup around a command', () => {
    expect(plainCommandText('deploy&nbsp;sentiment v2 to <b>prod</b>')).toBe('deploy sentiment v2 to prod');
    expect(plainCommandText('audit --user <at>Bob Brown</at>')).toBe('audit --user Bob Brown');
    expect(plainCommandText('a &amp; b &lt;c&gt;')).toBe('a & b <c>');
  });
});
