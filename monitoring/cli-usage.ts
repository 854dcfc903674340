/** Usage lines of the monitoring commands, apart so that `opsbot --help` loads nothing else of monitoring/. */
export const ALERT_RULES_USAGE = `alert-rules export [--out FILE]
                          write the alert rules (alerts.rules, OPSBOT_ALERT_RULES) as a Prometheus rule file`;
export const PROMETHEUS_CONFIG_USAGE = `prometheus-config [--out FILE] [--file-sd FILE] [--rules FILE] [--token-file FILE]
                          print Prometheus scrape configs for the bot, workers and model servers (local: writes a file_sd file)`;

