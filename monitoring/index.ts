/** Alert rules as Prometheus sees them, and the scrape configs that give it opsbot's series. */
export { PROMQL_METRICS, PREDICTION_ROUTES, RATE_WINDOW, type PromqlMetric } from './promql-metrics.js';
export { alertExpression, anomalyStep, anomalyZScore, metricExpression, ruleMatchers, MAD_SCALE } from './alert-expression.js';
export { prometheusRule, prometheusRuleFile, prometheusRuleGroups, RULE_GROUP, RUNBOOK_PLACEHOLDER } from './prometheus-rule-file.js';
export { localFileSd, localEndpointsFile, readLocalFileSd, type FileSdGroup } from './file-sd.js';
export { prometheusConfig, prometheusConfigYaml, type ScrapeConfigInput } from './scrape-config.js';
export { toYaml, type YamlMap, type YamlValue } from './yaml.js';
export { configuredRules, runAlertRulesCli, runPrometheusConfigCli } from './monitoring-cli.js';
export { ALERT_RULES_USAGE, PROMETHEUS_CONFIG_USAGE } from './cli-usage.js';
export { alertRulesSchema, alertRuleListSchema, alertName, type AlertRule, type AlertMetric } from '../core/config/alert-rules.schema.js';
