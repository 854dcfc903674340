import { DATASET_RULE, MODEL_NAME_RULE, type ActionName } from '../../../core/index.js';
import {
  createCommandParser,
  formatParseOutcome,
  parseCommand,
  usageOf,
  type GrammarContext,
  type ParseOutcome,
} from '../../../intents/index.js';

const context: GrammarContext = {
  limits: { environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 },
  environments: [
    { name: 'dev', aliases: ['development'] },
    { name: 'staging', aliases: ['stage', 'stg'] },
    { name: 'prod', aliases: ['production', 'prd'] },
  ],
  knownModels: ['sentiment', 'fraud-detector', 'churn'],
};
const parse = createCommandParser(context);

/** Relative `since` values count back from Date.now(), which is pinned for exact expectations. */
const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const realNow = Date.now;
beforeAll(() => {
  Date.now = () => NOW;
});
afterAll(() => {
  Date.now = realNow;
});

const RULE = MODEL_NAME_RULE;
const DEPLOY_USAGE = 'deploy <model> [v<version>] to <env>';
const TRAIN_USAGE = 'train <model> [--dataset <path>] [--epochs N] [--gpus N] [--algorithm softmax|mlp] [--mode full|incremental|finetune] [--base <model>]';
const AUDIT_USAGE =
  'audit [verify] [--user <user>] [--action <action>] [--model <model>] [--since 24h|7d|30m|<date>] [--limit N]';
const SCALE_USAGE = 'scale <model> in <env> (to N | --min N --max N)';
const COMMANDS = 'train, tune, evaluate, quantize, deploy, rollback, scale, delete, prune, status, curve, cancel, audit, help';

type Expected = { action: ActionName; args: Record<string, unknown> };

const valid: Array<[string, Expected]> = [
  // a polite word first is skipped
  ['please deploy sentiment to prod', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  ['hey, please status', { action: 'status', args: {} }],
  // train
  ['train sentiment', { action: 'train', args: { model: 'sentiment' } }],
  ['train sentiment --dataset data/x.csv --epochs 5 --gpus 2', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5, gpus: 2 } }],
  ['train sentiment --dataset=data/x.csv --epochs=5', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5 } }],
  ['train sentiment dataset=data/x.csv epochs=5 gpus=1', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5, gpus: 1 } }],
  ['train sentiment on data/x.csv for 5 epochs with 2 gpus', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5, gpus: 2 } }],
  ['train new-model epochs 10', { action: 'train', args: { model: 'new-model', epochs: 10 } }],
  ['fit churn --data data/churn.parquet', { action: 'train', args: { model: 'churn', dataset: 'data/churn.parquet' } }],
  ['retrain fraud-detector 3 epochs 1 gpu', { action: 'train', args: { model: 'fraud-detector', epochs: 3, gpus: 1 } }],
  ['TRAIN sentiment --EPOCHS 4', { action: 'train', args: { model: 'sentiment', epochs: 4 } }],
  ['train sentiment --gpus 0', { action: 'train', args: { model: 'sentiment', gpus: 0 } }],
  ['train --epochs 3 sentiment', { action: 'train', args: { model: 'sentiment', epochs: 3 } }],
  ['train sentiment using data/x.csv', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv' } }],
  ['train sentiment --dataset "data/my.csv"', { action: 'train', args: { model: 'sentiment', dataset: 'data/my.csv' } }],
  ['train sentiment epoch 1 gpu 8', { action: 'train', args: { model: 'sentiment', epochs: 1, gpus: 8 } }],
  ['/opsbot train sentiment', { action: 'train', args: { model: 'sentiment' } }],
  ['@opsbot train churn --epochs 1000', { action: 'train', args: { model: 'churn', epochs: 1000 } }],
  ['opsbot: train churn', { action: 'train', args: { model: 'churn' } }],
  ['train sentiment \u2014epochs 3', { action: 'train', args: { model: 'sentiment', epochs: 3 } }],
  ['train sentiment on data/x.csv, 5 epochs, 2 gpus', { action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5, gpus: 2 } }],
  ['train "sentiment"\twith --gpus 1', { action: 'train', args: { model: 'sentiment', gpus: 1 } }],
  ['train --model sentiment --epochs 007', { action: 'train', args: { model: 'sentiment', epochs: 7 } }],
  // evaluate
  ['evaluate sentiment', { action: 'evaluate', args: { model: 'sentiment' } }],
  ['eval sentiment v3', { action: 'evaluate', args: { model: 'sentiment', version: '3' } }],
  ['evaluate sentiment version 3 on data/test.csv', { action: 'evaluate', args: { model: 'sentiment', version: '3', dataset: 'data/test.csv' } }],
  ['assess churn latest', { action: 'evaluate', args: { model: 'churn', version: 'latest' } }],
  ['evaluate churn previous against data/holdout.csv', { action: 'evaluate', args: { model: 'churn', version: 'previous', dataset: 'data/holdout.csv' } }],
  ['evaluate sentiment --version 7 --dataset data/t.csv', { action: 'evaluate', args: { model: 'sentiment', version: '7', dataset: 'data/t.csv' } }],
  ['eval sentiment:4', { action: 'evaluate', args: { model: 'sentiment', version: '4' } }],
  ['evaluate fraud-detector@latest', { action: 'evaluate', args: { model: 'fraud-detector', version: 'latest' } }],
  ['eval sentiment 5', { action: 'evaluate', args: { model: 'sentiment', version: '5' } }],
  ['evaluate sentiment V012', { action: 'evaluate', args: { model: 'sentiment', version: '12' } }],
  // deploy
  ['deploy sentiment v2 to production', { action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' } }],
  ['deploy sentiment to staging', { action: 'deploy', args: { model: 'sentiment', env: 'staging' } }],
  ['ship churn latest to prd', { action: 'deploy', args: { model: 'churn', version: 'latest', env: 'prod' } }],
  ['release fraud-detector v10 to stage', { action: 'deploy', args: { model: 'fraud-detector', version: '10', env: 'staging' } }],
  ['promote sentiment previous to dev', { action: 'deploy', args: { model: 'sentiment', version: 'previous', env: 'dev' } }],
  ['deploy sentiment:3 to staging', { action: 'deploy', args: { model: 'sentiment', version: '3', env: 'staging' } }],
  ['deploy sentiment@3 to stg', { action: 'deploy', args: { model: 'sentiment', version: '3', env: 'staging' } }],
  ['deploy sentiment --version 4 --env prod', { action: 'deploy', args: { model: 'sentiment', version: '4', env: 'prod' } }],
  ['deploy sentiment --env=PROD', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  ['deploy to prod sentiment v5', { action: 'deploy', args: { model: 'sentiment', version: '5', env: 'prod' } }],
  ['deploy sentiment in development', { action: 'deploy', args: { model: 'sentiment', env: 'dev' } }],
  ['deploy sentiment to prod.', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  ['deploy sentiment v2 to prod --env production', { action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' } }],
  ['deploy sentiment to v2 in prod', { action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' } }],
  ['/deploy sentiment to prod', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  ['deploy sentiment env=staging v=3', { action: 'deploy', args: { model: 'sentiment', version: '3', env: 'staging' } }],
  ['DEPLOY sentiment TO PROD', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  ['deploy sentiment version latest to prod', { action: 'deploy', args: { model: 'sentiment', version: 'latest', env: 'prod' } }],
  ['deploy \u201csentiment\u201d to \u2018staging\u2019', { action: 'deploy', args: { model: 'sentiment', env: 'staging' } }],
  ['deploy  sentiment\u00a0to   prod ', { action: 'deploy', args: { model: 'sentiment', env: 'prod' } }],
  // rollback
  ['rollback sentiment in prod', { action: 'rollback', args: { model: 'sentiment', env: 'prod' } }],
  ['rollback sentiment in prod to v2', { action: 'rollback', args: { model: 'sentiment', env: 'prod', version: '2' } }],
  ['roll back churn from production', { action: 'rollback', args: { model: 'churn', env: 'prod' } }],
  ['revert fraud-detector on staging to previous', { action: 'rollback', args: { model: 'fraud-detector', env: 'staging', version: 'previous' } }],
  ['rollback sentiment --env prod --version 3', { action: 'rollback', args: { model: 'sentiment', env: 'prod', version: '3' } }],
  ['roll-back sentiment in dev', { action: 'rollback', args: { model: 'sentiment', env: 'dev' } }],
  ['rollback sentiment to prod', { action: 'rollback', args: { model: 'sentiment', env: 'prod' } }],
  ['rollback sentiment to v1 from prd', { action: 'rollback', args: { model: 'sentiment', env: 'prod', version: '1' } }],
  // scale
  ['scale sentiment in prod to 4', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 4 } }],
  ['scale sentiment on staging --replicas 3', { action: 'scale', args: { model: 'sentiment', env: 'staging', replicas: 3 } }],
  ['scale sentiment in prod 5 replicas', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 5 } }],
  ['scale churn in dev --min 2 --max 8', { action: 'scale', args: { model: 'churn', env: 'dev', min: 2, max: 8 } }],
  ['scale churn in dev min=2 max=8', { action: 'scale', args: { model: 'churn', env: 'dev', min: 2, max: 8 } }],
  ['scale churn in stg between 2 and 8', { action: 'scale', args: { model: 'churn', env: 'staging', min: 2, max: 8 } }],
  ['scale sentiment to 0 in prod', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 0 } }],
  ['scale sentiment replicas 50 env prod', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 50 } }],
  ['scale sentiment from prod to 3 replicas', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 3 } }],
  ['scale sentiment in production 7', { action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 7 } }],
  ['scale sentiment in prod between 1 and 4 replicas', { action: 'scale', args: { model: 'sentiment', env: 'prod', min: 1, max: 4 } }],
  // status, cancel
  ['status', { action: 'status', args: {} }],
  ['status j-4f9k2a', { action: 'status', args: { jobId: 'j-4f9k2a' } }],
  ['jobs', { action: 'status', args: {} }],
  ['ps j-abc123def', { action: 'status', args: { jobId: 'j-abc123def' } }],
  ['cancel j-4f9k2a', { action: 'cancel', args: { jobId: 'j-4f9k2a' } }],
  ['delete sentiment v2', { action: 'delete', args: { model: 'sentiment', version: '2' } }],
  ['remove sentiment 3', { action: 'delete', args: { model: 'sentiment', version: '3' } }],
  ['prune sentiment --keep 3', { action: 'prune', args: { model: 'sentiment', keep: 3 } }],
  ['prune sentiment', { action: 'prune', args: { model: 'sentiment' } }],
  ['stop j-4f9k2a', { action: 'cancel', args: { jobId: 'j-4f9k2a' } }],
  ['abort J-4F9K2A', { action: 'cancel', args: { jobId: 'j-4f9k2a' } }],
  ['kill --job j-4f9k2a', { action: 'cancel', args: { jobId: 'j-4f9k2a' } }],
  ['cancel job j-4f9k2a', { action: 'cancel', args: { jobId: 'j-4f9k2a' } }],
  // audit
  ['audit', { action: 'audit', args: {} }],
  ['audit verify', { action: 'audit', args: { verify: true } }],
  ['audit verify by bob', { action: 'audit', args: { verify: true, user: 'bob' } }],
  ['audit --verify', { action: 'audit', args: { verify: true } }],
  ['audit --user alice --action deploy --model sentiment --limit 20', { action: 'audit', args: { user: 'alice', action: 'deploy', model: 'sentiment', limit: 20 } }],
  ['audit since 24h', { action: 'audit', args: { since: '2026-11-24T12:00:00.000Z' } }],
  ['audit --since 7d', { action: 'audit', args: { since: '2026-11-18T12:00:00.000Z' } }],
  ['audit --since=30m', { action: 'audit', args: { since: '2026-11-25T11:30:00.000Z' } }],
  ['audit --since 2026-01-31', { action: 'audit', args: { since: '2026-01-31T00:00:00.000Z' } }],
  ['audit --since 2026-01-31T10:00:00+02:00', { action: 'audit', args: { since: '2026-01-31T08:00:00.000Z' } }],
  ['log by bob', { action: 'audit', args: { user: 'bob' } }],
  ['history deploy', { action: 'audit', args: { action: 'deploy' } }],
  ['audit log --action ship', { action: 'audit', args: { action: 'deploy' } }],
  ['audit user="Alice Smith" limit=5', { action: 'audit', args: { user: 'Alice Smith', limit: 5 } }],
  ['audit --model retired-model', { action: 'audit', args: { model: 'retired-model' } }],
  // help
  ['help', { action: 'help', args: {} }],
  ['help deploy', { action: 'help', args: { topic: 'deploy' } }],
  ['? train', { action: 'help', args: { topic: 'train' } }],
  ['commands', { action: 'help', args: {} }],
  ['usage rollback', { action: 'help', args: { topic: 'rollback' } }],
  ['help roll back', { action: 'help', args: { topic: 'rollback' } }],
  ['help kill', { action: 'help', args: { topic: 'cancel' } }],
  ['deploy --help', { action: 'help', args: { topic: 'deploy' } }],
  ['scale -h', { action: 'help', args: { topic: 'scale' } }],
  ['help help', { action: 'help', args: { topic: 'help' } }],
  ['status?', { action: 'status', args: {} }],
  // status <model>: the alternate positional takes a word shaped like a model name
  ['status sentiment', { action: 'status', args: { model: 'sentiment' } }],
  ['status fraud-detector!', { action: 'status', args: { model: 'fraud-detector' } }],
  ['status --model churn', { action: 'status', args: { model: 'churn' } }],
  ['status "please"', { action: 'status', args: { model: 'please' } }],
  // "status report" asks for the status, as "audit log" asks for the log; a model after it still counts
  ['Status report!', { action: 'status', args: {} }],
  ['status update j-4f9k2a', { action: 'status', args: { jobId: 'j-4f9k2a' } }],
];

const invalid: Array<[string, string | RegExp]> = [
  // empty and malformed text
  ['', 'empty command — type `help` to see what I can do'],
  ['   \t  ', 'empty command — type `help` to see what I can do'],
  ['/opsbot', 'empty command — type `help` to see what I can do'],
  ['deploy sentiment to prod '.repeat(4200), 'the command is 105000 characters long; the limit is 4000 — send a shorter command'],
  ['deploy\u0000 sentiment', 'the command contains the control character U+0000 at position 7; remove it and send the command again'],
  ['deploy sentiment to prod\u001b[0m', 'the command contains the control character U+001B at position 25; remove it and send the command again'],
  ['🚀🚀 deploy\nsentiment', 'the command contains the control character U+000A at position 10; remove it and send the command again'],
  ['deploy "sentiment to prod', 'the quote " at position 8 is never closed — add the closing "'],
  // unknown command
  ['deplyo sentiment to prod', 'unknown command "deplyo" — did you mean "deploy"? Type `help` to see all commands.'],
  ['banana', 'unknown command "banana". Type `help` to see all commands.'],
  ['stauts', 'unknown command "stauts" — did you mean "status"? Type `help` to see all commands.'],
  ['trian sentiment', 'unknown command "trian" — did you mean "train"? Type `help` to see all commands.'],
  ['please fly sentiment to prod', 'unknown command "fly". Type `help` to see all commands.'],
  ['please', 'unknown command "please". Type `help` to see all commands.'],
  // models
  ['deploy sentimnt to prod', 'unknown model "sentimnt" — did you mean "sentiment"?'],
  ['deploy sentimnt', 'unknown model "sentimnt" — did you mean "sentiment"?'],
  ['deploy xgboost to prod', 'unknown model "xgboost"; known models are sentiment, fraud-detector, churn'],
  ['rollback fraud-detecter in prod', 'unknown model "fraud-detecter" — did you mean "fraud-detector"?'],
  ['deploy Sentiment to prod', `invalid model name "Sentiment": ${RULE} — did you mean "sentiment"?`],
  ['deploy séntiment to prod', `invalid model name "séntiment": ${RULE} — did you mean "sentiment"?`],
  ['deploy 🚀 to prod', `invalid model name "🚀": ${RULE}`],
  ['train sent;rm', `invalid model name "sent;rm": ${RULE}`],
  ['train a|b', `invalid model name "a|b": ${RULE}`],
  ['train a&&b', `invalid model name "a&&b": ${RULE}`],
  ['train $(whoami)', `invalid model name "$(whoami)": ${RULE}`],
  ['train `id`', `invalid model name "\`id\`": ${RULE}`],
  ['train -sentiment', `invalid model name "-sentiment": ${RULE}`],
  [`train ${'a'.repeat(64)}`, `invalid model name "${'a'.repeat(64)}": ${RULE}`],
  // leftovers
  ['deploy sentiment banana to prod', `I could not understand "banana" in this deploy command. Usage: ${DEPLOY_USAGE}`],
  ['deploy sentiment 🚀 to prod', `I could not understand "🚀" in this deploy command. Usage: ${DEPLOY_USAGE}`],
  ['deploy sentiment model to prod', `I could not understand "model" in this deploy command. Usage: ${DEPLOY_USAGE}`],
  ['train sentiment 5', `I could not understand "5" in this train command. Usage: ${TRAIN_USAGE}`],
  ['audit banana split', `I could not understand "banana split" in this audit command. Usage: ${AUDIT_USAGE}`],
  // missing pieces
  ['deploy sentiment', 'deploy needs an environment: add "to <env>" (dev, staging or prod); I never guess the environment'],
  ['rollback sentiment to v2', 'rollback needs an environment: add "in <env>" (dev, staging or prod); I never guess the environment'],
  ['scale sentiment to 3', 'scale needs an environment: add "in <env>" (dev, staging or prod); I never guess the environment'],
  ['train', `train needs a model name. Usage: ${TRAIN_USAGE}`],
  ['deploy to prod', `deploy needs a model name. Usage: ${DEPLOY_USAGE}`],
  ['cancel', 'cancel needs a job id, e.g. cancel j-4f9k2a7q (see `status`)'],
  ['delete sentiment', 'delete needs a version, such as v2; I never guess which one. Usage: delete <model> v<version>'],
  ['deploy sentiment to', '"to" needs a value after it, e.g. "to dev"'],
  ['train sentiment --epochs', '--epochs needs a value, e.g. --epochs 5'],
  ['train sentiment --epochs= --gpus 1', '--epochs needs a value, e.g. --epochs 5'],
  ['scale sentiment in prod between 2', `"between" needs a range such as "between 2 and 8". Usage: ${SCALE_USAGE}`],
  // environments
  ['deploy sentiment to stagin', 'unknown environment "stagin" — did you mean "staging"? Environments are dev, staging, prod.'],
  ['deploy sentiment to mars', 'unknown environment "mars". Environments are dev, staging, prod.'],
  ['deploy sentiment to prod to staging', 'environment is given twice ("prod" and "staging") — give it once'],
  // numbers and other values
  ['train sentiment --epochs 5 --epochs 6', 'epochs is given twice ("5" and "6") — give it once'],
  ['train sentiment --epochs five', 'epochs must be a whole number between 1 and 1000'],
  ['train sentiment --epochs -3', 'epochs must be between 1 and 1000'],
  ['train sentiment --epochs 2.5', 'epochs must be a whole number between 1 and 1000'],
  ['train sentiment --epochs 0', 'epochs must be between 1 and 1000'],
  ['train sentiment --gpus 9', 'gpus must be between 0 and 8'],
  ['scale sentiment in prod to 51', 'replicas must be between 0 and 50'],
  ['scale sentiment in prod', 'say how many replicas: `scale <model> in <env> to 4`, or an autoscaling range `--min 2 --max 8`'],
  ['scale sentiment in prod to 3 --min 2', 'give either a replica count or a --min/--max range, not both'],
  ['scale sentiment in prod --min 8 --max 2', 'min must not be greater than max'],
  ['audit --limit 501', 'limit must be between 1 and 500'],
  ['deploy sentiment v0 to prod', 'invalid version "v0": a version is a number such as v3, or "latest" or "previous"'],
  ['train sentiment --dataset ../secret.csv', `invalid dataset "../secret.csv": ${DATASET_RULE}`],
  ['train sentiment --dataset /etc/passwd.csv', `invalid dataset "/etc/passwd.csv": ${DATASET_RULE}`],
  ['train sentiment --dataset //server/share/x.csv', `invalid dataset "//server/share/x.csv": ${DATASET_RULE}`],
  ['evaluate sentiment on /etc/x.csv', `invalid dataset "/etc/x.csv": ${DATASET_RULE}`],
  ['tune sentiment --dataset /data/x.csv', `invalid dataset "/data/x.csv": ${DATASET_RULE}`],
  ['evaluate sentiment on staging', '"staging" is an environment, not a dataset; to score a version on a file, name the file: evaluate sentiment v<N> on data/holdout.csv (evaluate compares with the deployed version by itself)'],
  ['train sentiment --dataset C:/data/x.csv', `invalid dataset "C:/data/x.csv": ${DATASET_RULE}`],
  ['train sentiment --dataset C:\\data\\x.csv', `invalid dataset "C:\\data\\x.csv": ${DATASET_RULE}`],
  ['train sentiment --dataset data\\x.csv', `invalid dataset "data\\x.csv": ${DATASET_RULE}`],
  // a polite or filler word after status is never a model called "please"
  ['status please!', 'I could not understand "please" in this status command. Usage: status [<job-id> | <model>]'],
  ['status pls', 'I could not understand "pls" in this status command. Usage: status [<job-id> | <model>]'],
  ['status thanks', 'I could not understand "thanks" in this status command. Usage: status [<job-id> | <model>]'],
  ['status now', 'I could not understand "now" in this status command. Usage: status [<job-id> | <model>]'],
  ['status again?', 'I could not understand "again" in this status command. Usage: status [<job-id> | <model>]'],
  ['status sentiment_v2', 'I could not understand "sentiment_v2" in this status command. Usage: status [<job-id> | <model>]'],
  ['status j-xyz', 'invalid job id "j-xyz": job ids look like j-4f9k2a7q (see `status`)'],
  ['cancel j-12', 'invalid job id "j-12": job ids look like j-4f9k2a7q (see `status`)'],
  [`audit --user ${'u'.repeat(201)}`, `invalid user "${'u'.repeat(79)}…": at most 200 characters`],
  ['audit verify=maybe', 'verify takes no value: write "verify" or --verify'],
  // options
  ['train sentiment --epocs 3', `unknown option "--epocs" for train — did you mean "--epochs"? Usage: ${TRAIN_USAGE}`],
  ['train sentiment --colour red', `unknown option "--colour" for train. Usage: ${TRAIN_USAGE}`],
  ['deploy sentiment --epochs 3 to prod', `deploy does not take "--epochs". Usage: ${DEPLOY_USAGE}`],
  ['audit --action deplyo', `unknown action "deplyo" — did you mean "deploy"? Commands are ${COMMANDS}.`],
  ['help deplyo', `unknown help topic "deplyo" — did you mean "deploy"? Commands are ${COMMANDS}.`],
  // dates
  ['audit --since yesterday', /^I could not read the time "yesterday": use a duration such as 30m, 24h or 7d, or a date such as \d{4}-\d{2}-\d{2}$/],
  ['audit --since 2026-02-30', /^I could not read the time "2026-02-30": use a duration/],
  ['audit --since 99999999d', /^I could not read the time "99999999d": use a duration/],
];

describe('command grammar', () => {
  it('has a table of at least 70 valid and 45 invalid commands', () => {
    expect(valid.length).toBeGreaterThanOrEqual(70);
    expect(invalid.length).toBeGreaterThanOrEqual(45);
  });

  it.each(valid)('parses %j', (text, expected) => {
    expect(parse(text)).toEqual({ ok: true, action: expected, confidence: 1, source: 'grammar' });
  });

  it.each(invalid)('rejects %j', (text, message) => {
    const outcome = parse(text);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    if (typeof message === 'string') expect(outcome.error).toBe(message);
    else expect(outcome.error).toMatch(message);
  });

  // How fast it refuses is measured in bench/grammar.bench.ts, not here.
  it('rejects 100 KB of text by its length, before reading it', () => {
    const outcome = parse('a'.repeat(100 * 1024));
    expect(outcome).toEqual({ ok: false, error: 'the command is 102400 characters long; the limit is 4000 — send a shorter command' });
  });

  it('never throws, whatever the text', () => {
    const samples = ['\u0000'.repeat(5000), '"'.repeat(3999), '--'.repeat(1000), '= = =', '\ud83d', 'deploy \u202e to prod', '\u00a0'.repeat(10)];
    for (const text of samples) expect(() => parse(text)).not.toThrow();
  });

  it('checks only the name rule when no models are known', () => {
    const open = createCommandParser({ ...context, knownModels: [] });
    expect(open('deploy xgboost to prod')).toEqual({
      ok: true,
      action: { action: 'deploy', args: { model: 'xgboost', env: 'prod' } },
      confidence: 1,
      source: 'grammar',
    });
  });

  it('honours a configured length limit', () => {
    const short = createCommandParser({ ...context, maxLength: 10 });
    expect(short('deploy sentiment')).toEqual({ ok: false, error: 'the command is 16 characters long; the limit is 10 — send a shorter command' });
  });

  it('parseCommand gives what a prepared parser gives', () => {
    expect(parseCommand('deploy sentiment v2 to production', context)).toEqual(parse('deploy sentiment v2 to production'));
  });

  it('lists the usage of each command', () => {
    expect(usageOf('deploy')).toBe(DEPLOY_USAGE);
    expect(usageOf('cancel')).toBe('cancel <job-id>');
  });
});

describe('formatParseOutcome', () => {
  it('prints an action as one JSON line in a fixed key order', () => {
    const line = formatParseOutcome(parse('deploy sentiment v2 to production'));
    expect(line).toBe('{"action":"deploy","args":{"model":"sentiment","version":"2","env":"prod"},"confidence":1,"source":"grammar"}');
  });

  it('prints an error as {"error": ...}', () => {
    const outcome: ParseOutcome = { ok: false, error: 'empty command — type `help` to see what I can do' };
    expect(formatParseOutcome(outcome)).toBe('{"error":"empty command — type `help` to see what I can do"}');
    expect(JSON.parse(formatParseOutcome(parse('banana')))).toEqual({
      error: 'unknown command "banana". Type `help` to see all commands.',
    });
  });
});

describe('command grammar: training options, tuning, quantization and curves', () => {
  const parse = createCommandParser(context);
  it.each([
    ['train sentiment --algorithm mlp --epochs 8', { action: 'train', args: { model: 'sentiment', epochs: 8, algorithm: 'mlp' } }],
    ['train sentiment --mode incremental', { action: 'train', args: { model: 'sentiment', mode: 'incremental' } }],
    // "from scratch" is a full run, not a fine-tune of a model called scratch.
    ['retrain sentiment from scratch on data/x.csv', { action: 'train', args: { model: 'sentiment', mode: 'full', dataset: 'data/x.csv' } }],
    ['train intents --mode finetune --base sentiment --dataset data/intents.csv', { action: 'train', args: { model: 'intents', dataset: 'data/intents.csv', mode: 'finetune', base: 'sentiment' } }],
    ['tune sentiment on data/x.csv --trials 6 --method bayes', { action: 'tune', args: { model: 'sentiment', dataset: 'data/x.csv', trials: 6, method: 'bayes' } }],
    ['tune churn 4 trials', { action: 'tune', args: { model: 'churn', trials: 4 } }],
    ['quantize sentiment v2', { action: 'quantize', args: { model: 'sentiment', version: '2' } }],
    ['quantise churn', { action: 'quantize', args: { model: 'churn' } }],
    ['curve j-4f9k2a7q', { action: 'curve', args: { jobId: 'j-4f9k2a7q' } }],
  ])('parses %s', (text, expected) => {
    expect(parse(text)).toEqual({ ok: true, action: expected, confidence: 1, source: 'grammar' });
  });
  it.each([
    ['train sentiment --mode finetune', 'a fine-tune needs a base model: train <model> --mode finetune --base <base-model>'],
    ['train sentiment --algorithm forest', 'algorithm must be one of softmax, mlp'],
    ['tune sentiment --method random', 'method must be one of grid, bayes'],
    ['tune sentiment --trials 500', 'trials must be between 1 and 100'],
    ['quantize sentimnt', 'unknown model "sentimnt" — did you mean "sentiment"?'],
    ['curve', 'curve needs a job id, e.g. curve j-4f9k2a7q (see `status`)'],
  ])('rejects %s', (text, message) => {
    expect(parse(text)).toEqual({ ok: false, error: message });
  });
});
