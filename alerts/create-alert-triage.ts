import type { AlertRoute, ChatPort, ConversationRef, Logger, OpsbotConfig, StateStore } from '../core/index.js';
import { AlertCommands } from './alert-commands.js';
import { AlertmanagerClient } from './alertmanager-client.js';
import { AlertTriage } from './alert-triage.js';

export interface AlertTriageSetup {
  triage: AlertTriage;
  commands: AlertCommands;
  /** The receiver's bearer token: `POST /alerts/alertmanager` is served only with one. */
  token?: string;
}

/**
 * The triage threads and their buttons, when something sends alerts: the Alertmanager receiver (alerts.receiverToken)
 * or the embedded evaluator (`embeddedAlerts`); else undefined. With no `alerts.routes`, `defaultConversation` takes
 * every group (the embedded default's playground), so the embedded evaluator's alerts are seen without any setup.
 */
export function createAlertTriage(deps: { config: OpsbotConfig; store: StateStore; chat: ChatPort; log: Logger; embeddedAlerts?: boolean; defaultConversation?: ConversationRef }): AlertTriageSetup | undefined {
  const alerts = deps.config.alerts;
  if (!alerts?.receiverToken && !deps.embeddedAlerts) return undefined;
  const configured = alerts?.routes ?? [];
  const routes: AlertRoute[] = configured.length === 0 && deps.defaultConversation ? [{ match: {}, conversation: deps.defaultConversation }] : configured;
  const triage = new AlertTriage({ store: deps.store, chat: deps.chat, routes, log: deps.log });
  const alertmanager = alerts?.alertmanagerUrl ? new AlertmanagerClient(alerts.alertmanagerUrl) : undefined;
  const commands = new AlertCommands({ config: deps.config, store: deps.store, triage, alertmanager, log: deps.log });
  return { triage, commands, token: alerts?.receiverToken };
}
