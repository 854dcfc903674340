import type { ChatPort, Logger, OpsbotConfig, StateStore } from '../core/index.js';
import { AlertCommands } from './alert-commands.js';
import { AlertmanagerClient } from './alertmanager-client.js';
import { AlertTriage } from './alert-triage.js';

/** The triage threads and their buttons, when the Alertmanager receiver is configured (alerts.receiverToken); else undefined. */
export function createAlertTriage(deps: { config: OpsbotConfig; store: StateStore; chat: ChatPort; log: Logger }): { triage: AlertTriage; commands: AlertCommands; token: string } | undefined {
  const alerts = deps.config.alerts;
  if (!alerts?.receiverToken) return undefined;
  const triage = new AlertTriage({ store: deps.store, chat: deps.chat, routes: alerts.routes, log: deps.log });
  const alertmanager = alerts.alertmanagerUrl ? new AlertmanagerClient(alerts.alertmanagerUrl) : undefined;
  const commands = new AlertCommands({ config: deps.config, store: deps.store, triage, alertmanager, log: deps.log });
  return { triage, commands, token: alerts.receiverToken };
}
