import { commandFromSlackText } from '../../../../bot/slack/command-text.js';

describe('commandFromSlackText', () => {
  it('strips the bot mention wherever it is', () => {
    expect(commandFromSlackText('<@UBOT1> deploy sentiment v3 to prod', 'UBOT1')).toBe('deploy sentiment v3 to prod');
    expect(commandFromSlackText('hey <@UBOT1|opsbot>   status', 'UBOT1')).toBe('hey status');
    expect(commandFromSlackText('<@UBOT1>', 'UBOT1')).toBe('');
  });

  it('strips a leading mention when the bot id is unknown, and keeps other mentions', () => {
    expect(commandFromSlackText('<@UBOT1> audit <@U0ALICE>')).toBe('audit <@U0ALICE>');
  });

  it('unwraps links and channels and decodes entities', () => {
    expect(commandFromSlackText('train m --dataset <https://data.example.com/a.csv|a.csv> in <#C123|ml-ops> &amp; &lt;x&gt;', 'UBOT1')).toBe(
      'train m --dataset https://data.example.com/a.csv in #ml-ops & <x>',
    );
  });
});
