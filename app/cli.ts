import { parseArgs } from 'node:util';
import { InvalidInputError, isOpsbotError, loadConfig, userFacingMessage } from '../core/index.js';
import { FETCH_ARTIFACT_USAGE, MANIFESTS_USAGE } from '../deploy-targets/kubernetes/cli-usage.js';
import { SERVE_MODEL_USAGE } from '../model-server/serve-model-usage.js';
import { ALERT_RULES_USAGE, PROMETHEUS_CONFIG_USAGE } from '../monitoring/cli-usage.js';

const USAGE = `Usage: opsbot <command> [options]

  start [--user NAME]     the bot with a local chat in this terminal and the browser playground (default)
  serve                   the bot without a terminal chat: Slack, Teams, playground, until SIGTERM
  teams-package --app-id ID [--out FILE] [--domain HOST]
                          write the Microsoft Teams app package (manifest and icons, zipped)
  worker [--queues a,b]   take jobs from Redis (needs REDIS_URL); --queues limits the job kinds
  parse [--models a,b]    parse one command per stdin line, print one JSON object per line
  audit verify            check the audit log's hash chain (exit 1 if tampered)
  audit [--user U] [--action A] [--model M] [--since 24h|ISO] [--until 24h|ISO] [--limit N]
                          print audit records as JSON lines, newest first
  audit export --format jsonl|csv [--since …] [--until …] [--user U] [--action A] [--model M] [--out FILE]
                          every matching record, oldest first, with sequence and hashes (exit 2 on a bad flag)
  ${SERVE_MODEL_USAGE}
  ${MANIFESTS_USAGE}
  ${FETCH_ARTIFACT_USAGE}
  ${ALERT_RULES_USAGE}
  ${PROMETHEUS_CONFIG_USAGE}

Configuration: opsbot.config.json (or OPSBOT_CONFIG) and environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  // serve-model reads its own flags (model-server/serve-model-cli.ts).
  if (argv[0] === 'serve-model') return (await import('../model-server/index.js')).runServeModel(argv.slice(1), loadConfig());
  // fetch-artifact runs in a pod's init container, with no opsbot configuration.
  if (argv[0] === 'fetch-artifact') return (await import('../deploy-targets/kubernetes/fetch-artifact-cli.js')).runFetchArtifact(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      models: { type: 'string' },
      queues: { type: 'string' },
      action: { type: 'string' },
      model: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'app-id': { type: 'string' },
      out: { type: 'string' },
      domain: { type: 'string' },
      version: { type: 'string' },
      colour: { type: 'string' },
      'file-sd': { type: 'string' },
      rules: { type: 'string' },
      'token-file': { type: 'string' },
    },
  });
  const [command = 'start', sub] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const loaded = loadConfig();
  switch (command) {
    // Each command loads only its own modules, so none pays for what another needs.
    case 'start': {
      const { startBot } = await import('./start-bot.js');
      await startBot(loaded, { user: values.user ?? process.env.OPSBOT_USER });
      return 0;
    }
    case 'serve': {
      const { serveBot } = await import('./start-bot.js');
      await serveBot(loaded);
      return 0;
    }
    case 'teams-package': {
      const { writeTeamsPackage } = await import('./teams-package-cli.js');
      const appId = values['app-id'] ?? loaded.config.teams?.appId;
      if (!appId) throw new InvalidInputError('teams-package needs the bot\'s app id: --app-id <MICROSOFT_APP_ID>');
      const outFile = values.out ?? 'opsbot-teams.zip';
      await writeTeamsPackage({ appId, outFile, validDomain: values.domain });
      process.stdout.write(`wrote ${outFile}: upload it in Teams (Apps → Manage your apps → Upload an app)\n`);
      return 0;
    }
    case 'worker': {
      const { startWorker } = await import('./start-worker.js');
      await startWorker(loaded, { queues: values.queues });
      return 0;
    }
    case 'parse': {
      const { runParseCli } = await import('./parse-cli.js');
      await runParseCli(loaded.config, { models: values.models, input: process.stdin, output: process.stdout });
      return 0;
    }
    case 'audit': {
      const { runAuditExport, runAuditList, runAuditVerify } = await import('./audit-cli.js');
      if (sub === 'verify') return runAuditVerify(loaded.config, process.stdout);
      if (sub === 'export') {
        const { format, since, until, user, action, model, out, limit } = values;
        return runAuditExport(loaded.config, { format, since, until, user, action, model, out, limit }, process);
      }
      await runAuditList(
        loaded.config,
        { user: values.user, action: values.action, model: values.model, since: values.since, until: values.until, limit: values.limit ? Number(values.limit) : undefined },
        process.stdout,
      );
      return 0;
    }
    case 'manifests': {
      const { runManifestsCli } = await import('../deploy-targets/kubernetes/manifests-cli.js');
      return runManifestsCli(loaded.config, { model: sub, env: positionals[2], version: values.version, colour: values.colour }, process.stdout);
    }
    case 'alert-rules': {
      const { runAlertRulesCli } = await import('../monitoring/index.js');
      return runAlertRulesCli(loaded.config, sub, { out: values.out }, process);
    }
    case 'prometheus-config': {
      const { runPrometheusConfigCli } = await import('../monitoring/index.js');
      return runPrometheusConfigCli(loaded.config, { out: values.out, fileSd: values['file-sd'], rules: values.rules, tokenFile: values['token-file'] }, process);
    }
    default:
      process.stderr.write(`opsbot: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`opsbot: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`opsbot: ${isOpsbotError(error) ? error.userMessage : userFacingMessage(error)}\n`);
    if (!isOpsbotError(error)) process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = isOpsbotError(error) && error.code === 'config_invalid' ? 2 : 1;
  },
);
