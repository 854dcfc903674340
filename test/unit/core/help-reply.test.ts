import { defaultConfig, Dispatcher, silentLogger, type ChatPort, type Identity, type Message } from '../../../core/index.js';
import { grammarInterpreter } from '../../../app/command-interpreter.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { InProcessJobQueue } from '../../../workers/in-process/in-process-job-queue.js';
import { alice, terminal } from '../../helpers/fixtures.js';

const chat: ChatPort = { post: async () => 'm1', update: async () => undefined };
const slackUser: Identity = { platform: 'slack', workspace: 'T1', userId: 'U1', displayName: 'u1' };

describe('help', () => {
  const store = openSqliteStateStore(':memory:');
  const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 0, concurrency: 1 });
  const config = defaultConfig();
  const dispatcher = new Dispatcher({ config, store, queue, chat, interpret: grammarInterpreter(config), log: silentLogger });
  const help = async (text: string, identity = alice): Promise<Message> => (await dispatcher.handle({ identity, conversation: terminal, text })).reply;
  afterAll(async () => {
    await queue.close();
    await store.close();
  });

  it('lists only the commands the user’s roles allow, and says that others exist', async () => {
    const admin = await help('help');
    expect(admin.text).toMatch(/^Commands you can run:\n {2}train — e\.g\./);
    expect(admin.text).toMatch(/ {2}prune — /);
    expect(admin.text).not.toMatch(/more commands exist/);
    const viewer = await help('help', slackUser);
    expect(viewer.text.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim().split(' ')[0])).toEqual(['status', 'curve', 'audit', 'help']);
    expect(viewer.text).toMatch(/10 more commands exist that your roles do not allow; an opsbot admin can grant roles\.$/);
  });

  it('explains one command: usage, each option with its meaning and limits, and two or more examples', async () => {
    const train = await help('help train');
    expect(train.text).toMatch(/^train: train a new model version/);
    expect(train.text).toMatch(/\n {2}--epochs N — passes over the data, 1 to 1000\n/);
    expect(train.text).toMatch(/\n {2}--dataset <path> — .*absolute paths and "\.\." are refused/);
    const examples = /Examples: (.*)/.exec(train.text)?.[1]?.split(', ') ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect((await help('help scale')).text).toMatch(/to <replicas> — replicas, 0 to 50; 0 asks you to confirm/);
  });

  it('says what deploy does: idle colour, smoke test, promotion or approvals', async () => {
    const deploy = await help('help deploy');
    expect(deploy.text).toMatch(/^deploy: roll a version out to the idle colour, smoke-test it, then promote it \(or ask for approval where the environment needs it\)/);
    expect(deploy.text).toMatch(/to <env> — the environment: dev, staging, prod \(never guessed\); the version starts on the idle colour, is smoke-tested, then goes live, or waits for approvals/);
  });

  it('tells a user whose roles do not allow the command', async () => {
    expect((await help('help train', slackUser)).text).toMatch(/Your roles do not allow train; an opsbot admin can grant a role that does\.$/);
  });
});
