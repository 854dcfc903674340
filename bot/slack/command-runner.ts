import { userFacingMessage, type ChatPort, type DispatchResult, type IncomingCommand, type Logger } from '../../core/index.js';

/**
 * Runs commands after their request was acknowledged: Slack wants its answer within 3 s
 * and the dispatcher may take longer (a busy queue), so nothing here is awaited by a
 * listener. Failures become a plain apology in the conversation, never a stack trace.
 */
export class CommandRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      handle: (command: IncomingCommand) => Promise<DispatchResult>;
      chat: ChatPort;
      log: Logger;
    },
  ) {}

  /** Starts `build` (which may look up names) and the dispatch of the command it returns. */
  run(build: () => Promise<IncomingCommand | undefined>): void {
    const task = this.execute(build);
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Resolves when every command started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async execute(build: () => Promise<IncomingCommand | undefined>): Promise<void> {
    const { handle, chat, log } = this.deps;
    let command: IncomingCommand | undefined;
    try {
      command = await build();
      if (!command) return;
      await handle(command);
    } catch (error) {
      log.error({ err: error, text: command?.text.slice(0, 200) }, 'a Slack command failed');
      if (!command) return;
      const text = userFacingMessage(error);
      await chat.post(command.conversation, { text, tone: 'error', blocks: [{ type: 'text', text }] }).catch((postError: unknown) => {
        log.error({ err: postError }, 'could not tell the channel that a command failed');
      });
    }
  }
}
