import type { Express } from 'express';
import type { AuditEntry, ChatPort, DispatchResult, IncomingCommand, Logger, OpsbotConfig, Platform } from '../core/index.js';

/** What every chat adapter gets: the config, the one entry into core, and a logger. */
export interface AdapterContext {
  config: OpsbotConfig;
  /** Runs a command (typed, or a button's command) through the dispatcher. */
  handle: (command: IncomingCommand) => Promise<DispatchResult>;
  log: Logger;
  /**
   * Core's audit log, for what an adapter refuses before there is a command to dispatch
   * (a click on a Slack button that is no longer valid). Without it, such refusals are only logged.
   */
  audit?: (entry: AuditEntry) => Promise<unknown>;
}

/**
 * A chat platform, shaped like bolt-js's Receiver: it turns platform traffic into
 * IncomingCommands, and renders core's neutral messages back through its ChatPort.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly chat: ChatPort;
  /** Adds the adapter's routes to the shared HTTP server (before it listens). */
  mount(app: Express): void;
  /** Connects what is not HTTP (Slack Socket Mode, say); a no-op for pure HTTP adapters. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz, where the platform can tell: rejects with why it is not connected. */
  readiness?(): Promise<void>;
}
