import { alertName, type AlertRule } from '../core/config/alert-rules.schema.js';
import { alertExpression } from './alert-expression.js';
import { conditionText } from './rule-description.js';
import { toYaml, type YamlMap } from './yaml.js';

export const RULE_GROUP = 'opsbot-alert-rules';
/** Replace with your runbook; the rule's `runbook_url` does so per rule. */
export const RUNBOOK_PLACEHOLDER = 'https://runbooks.example.com/opsbot/';

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The rule's runbook, or the placeholder page for it. */
export const runbookUrl = (rule: AlertRule) => rule.runbook_url ?? `${RUNBOOK_PLACEHOLDER}${slug(rule.name)}`;

/** Prometheus fills in the value when the alert fires. */
const VALUE = '{{ $value | printf \"%.4g\" }}';

/** One Prometheus alerting rule: `alert` / `expr` / `for` / `labels` / `annotations`. */
export function prometheusRule(rule: AlertRule): YamlMap {
  return {
    alert: alertName(rule.name),
    expr: alertExpression(rule),
    for: rule.period,
    labels: {
      severity: rule.severity,
      rule: rule.name,
      metric: rule.metric,
      source: 'opsbot',
      // Fixed only when the rule selects them; otherwise each alert carries its series' own model and env.
      model: rule.model,
      env: rule.env,
    },
    annotations: {
      summary: `${rule.name}: {{ $labels.model }} in {{ $labels.env }}`,
      description: `${conditionText(rule, VALUE)} for ${rule.period}.`,
      runbook_url: runbookUrl(rule),
    },
  };
}

/** The rule file's document: one group holding every rule, in order. */
export function prometheusRuleGroups(rules: AlertRule[], interval?: string): YamlMap {
  return { groups: [{ name: RULE_GROUP, interval, rules: rules.map(prometheusRule) }] };
}

/** The rule file as YAML, ready for `rule_files:` (and `promtool check rules`). */
export function prometheusRuleFile(rules: AlertRule[], interval?: string): string {
  return toYaml(prometheusRuleGroups(rules, interval), 'Written by `opsbot alert-rules export` from opsbot\'s alert rules; edit those and export again.');
}
