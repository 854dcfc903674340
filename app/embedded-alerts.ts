import type { AlertTriage } from '../alerts/alert-triage.js';
import type { Logger, OpsbotConfig, StateStore } from '../core/index.js';
import { EmbeddedRuleEvaluator, localMetricsTargets } from '../monitoring/evaluator/index.js';

/**
 * Whether opsbot evaluates its alert rules itself: there are rules, `alerts.evaluator` is `embedded` (the default) and
 * the model servers are the local target's, which it can scrape. With Kubernetes, Prometheus does it (`opsbot
 * alert-rules export`), and a warning says so.
 */
export function evaluatesAlertRules(config: OpsbotConfig, log: Logger): boolean {
  const alerts = config.alerts;
  if (!alerts || alerts.rules.length === 0 || alerts.evaluator !== 'embedded') return false;
  if (config.deploy.target !== 'local') {
    log.warn(
      {},
      'alert rules are not evaluated by opsbot with the kubernetes deploy target: load `opsbot alert-rules export` in Prometheus and set alerts.evaluator (OPSBOT_ALERT_EVALUATOR) to "prometheus"',
    );
    return false;
  }
  return true;
}

/** The embedded evaluator over the local target's routers, posting into the triage threads; started. */
export function startEmbeddedEvaluator(deps: { config: OpsbotConfig; store: StateStore; triage: AlertTriage; log: Logger }): EmbeddedRuleEvaluator {
  const { config, store, triage, log } = deps;
  const alerts = config.alerts!;
  const evaluator = new EmbeddedRuleEvaluator({
    rules: alerts.rules,
    targets: localMetricsTargets(config.dataDir),
    store: store.ruleAlerts,
    served: async (model, env) => (await store.blueGreen.slot(model, env))?.live !== undefined,
    deliver: (notification) => triage.receive(notification),
    log,
  });
  evaluator.start(alerts.evaluationIntervalSeconds * 1000);
  log.info({ rules: alerts.rules.length, intervalSeconds: alerts.evaluationIntervalSeconds }, 'evaluating alert rules against the model servers');
  return evaluator;
}
