import { SlackApiFake } from '../test/helpers/slack-api-fake.js';

/**
 * The Slack Web API fake of the ack bench, in a process of its own: the servers under test
 * call it while the client times their acks, and in the client's process its work would sit
 * in the very event loop that takes the timings (opsbot calls it more than plain Bolt does).
 * Argument: how many bench users to know. Prints `READY <url> <token>`; answers an IPC
 * message `{ count: method }` with `{ count: n }`, the calls made to that method so far.
 */
const users = Number(process.argv[2] ?? '0');
const api = await SlackApiFake.start();
for (let i = 0; i < users; i++) api.addUser({ id: `U0BENCH${i}`, name: `bench${i}` });
process.on('message', (message: { count?: string }) => {
  if (typeof message.count === 'string') process.send?.({ count: api.callsTo(message.count).length });
});
process.once('disconnect', () => void api.close().then(() => process.exit(0)));
process.stdout.write(`READY ${api.url} ${api.token}\n`);
