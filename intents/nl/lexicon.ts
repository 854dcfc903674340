import type { ActionName } from '../../core/index.js';

/**
 * Common English words: never read as a model name or a mistyped environment, however close
 * they come to one ("proud" is one edit from "prod", "starting" two from "staging").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those it its it's is are was were be been being am do does did done doing have has had having
  i me my mine we us our ours you your yours he him his she her they them their what which who whom whose when where why how
  and or but if then else so because as of at by for with without about against between into onto through during before after
  above below to from up down in out on off over under again further once here there all any both each few more most other
  some such no nor not only own same than too very can will just should would could may might must shall now also still yet
  please pls thanks thank ok okay hey hi hello yo sure yes yeah nope right left new old last next first latest previous prior
  one two three four five six seven eight nine ten model models version versions env environment cluster job jobs run runs
  get got give make made let lets let's go going want need needs like would love asap now today tomorrow yesterday week
  again back instead already really actually maybe thing things stuff something anything everything nothing someone anyone
  everyone proud pod pods prop page dave deb den dew devs stating starting stage prods product products produce prove probe
  stable started stating staff stats stat state stages test tests testing data dataset file files set using use used
  time times good bad better best worse worst broken fine great ok live lives paging paged fp32 fp16 bf16 fp8 int8 int4`.split(/\s+/).filter(Boolean),
);

/** Words and phrases naming each action, in the forms sentences use them (for help topics and audit filters). */
export const ACTION_MENTIONS: ReadonlyArray<readonly [string, ActionName]> = [
  ['roll back', 'rollback'], ['rolled back', 'rollback'], ['rolling back', 'rollback'], ['roll-back', 'rollback'],
  ['rollback', 'rollback'], ['rollbacks', 'rollback'], ['revert', 'rollback'], ['reverted', 'rollback'], ['reverts', 'rollback'],
  ['downgrade', 'rollback'], ['downgraded', 'rollback'], ['downgrades', 'rollback'], ['back out', 'rollback'], ['backed out', 'rollback'],
  ['deploy', 'deploy'], ['deployed', 'deploy'], ['deploys', 'deploy'], ['deploying', 'deploy'], ['deployment', 'deploy'],
  ['deployments', 'deploy'], ['shipped', 'deploy'], ['ship', 'deploy'], ['pushed', 'deploy'], ['push out', 'deploy'], ['pushed out', 'deploy'], ['promoted', 'deploy'], ['promote', 'deploy'], ['released', 'deploy'], ['releases', 'deploy'],
  // "who did yesterday's churn release": the noun names a deploy too.
  ['release', 'deploy'], ['releasing', 'deploy'], ['promoting', 'deploy'], ['promotion', 'deploy'], ['shipping', 'deploy'],
  ['scale', 'scale'], ['scaled', 'scale'], ['scaling', 'scale'], ['autoscaling', 'scale'], ['rescale', 'scale'], ['rescaled', 'scale'],
  ['resize', 'scale'], ['resized', 'scale'], ['beef up', 'scale'], ['beefed up', 'scale'], ['scale-down', 'scale'], ['scale-up', 'scale'],
  ['train', 'train'], ['trained', 'train'], ['training', 'train'], ['trainings', 'train'], ['retrained', 'train'], ['retrain', 'train'],
  ['tune', 'tune'], ['tuned', 'tune'], ['tuning', 'tune'], ['hyperparameters', 'tune'], ['hpo', 'tune'], ['sweep', 'tune'], ['sweeps', 'tune'],
  ['evaluate', 'evaluate'], ['evaluated', 'evaluate'], ['evaluation', 'evaluate'], ['evaluations', 'evaluate'], ['eval', 'evaluate'],
  ['benchmarked', 'evaluate'], ['benchmark', 'evaluate'], ['scored', 'evaluate'],
  ['quantize', 'quantize'], ['quantized', 'quantize'], ['quantization', 'quantize'], ['quantise', 'quantize'], ['quantised', 'quantize'],
  ['quantisation', 'quantize'], ['quantizing', 'quantize'], ['quantising', 'quantize'], ['int8', 'quantize'],
  ['cancel', 'cancel'], ['cancelled', 'cancel'], ['canceled', 'cancel'], ['cancellations', 'cancel'], ['cancels', 'cancel'], ['stopped', 'cancel'], ['killed', 'cancel'],
  ['kill', 'cancel'], ['stop', 'cancel'], ['nuke', 'cancel'], ['nuked', 'cancel'], ['abort', 'cancel'], ['aborted', 'cancel'], ['terminate', 'cancel'], ['terminated', 'cancel'],
  ['torched', 'cancel'], ['torching', 'cancel'], ['scrapped', 'cancel'], ['axed', 'cancel'],
  ['status', 'status'], ['check on', 'status'], ['checking on', 'status'], ['audit', 'audit'],
  // Curves are of training: "plot training curves" asks about curves, not about training.
  ['curve', 'curve'], ['curves', 'curve'], ['loss curve', 'curve'], ['training curve', 'curve'], ['training curves', 'curve'],
  ['learning curve', 'curve'], ['learning curves', 'curve'], ['training loss', 'curve'], ['accuracy curve', 'curve'], ['loss curves', 'curve'], ['plot', 'curve'], ['plots', 'curve'],
  ['delete', 'delete'], ['deleted', 'delete'], ['prune', 'prune'], ['pruned', 'prune'],
];

/** Words of tone that end a request without saying anything of it: "cap it at seven please", "deploy, thx". */
export const TONE_WORDS: readonly string[] = ['please', 'pls', 'plz', 'thanks', 'thx', 'ty', 'asap'];

/**
 * Words that point to an action only when nothing names one: the topic of "how do I check a job's
 * progress", the filter of "who bumped churn to a new version". Weaker than ACTION_MENTIONS ("how do I
 * compare training curves" is about curves).
 */
export const ACTION_HINTS: ReadonlyArray<readonly [string, ActionName]> = [
  ['new version', 'deploy'], ['progress', 'status'], ['running jobs', 'status'], ['healthy', 'status'], ['compare', 'evaluate'], ['comparing', 'evaluate'],
];

/** Environment synonyms people use beyond a config's aliases; each applies only when the config has that environment. */
export const ENV_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  prod: ['production', 'prd', 'live', 'prod-env'],
  staging: ['stage', 'stg', 'preprod', 'pre-prod', 'staging-env'],
  dev: ['development', 'devel', 'dev-env'],
};

/** Words after which the next word is likely an environment ("in prdo"): mistyped names are looked for only there. */
export const ENV_CUES: ReadonlySet<string> = new Set(['in', 'to', 'on', 'into', 'onto', 'from', 'at', 'for']);

/** Unit words after a number, and the slot they give it. */
export const NUMBER_UNITS: ReadonlyMap<string, string> = new Map([
  ...['replicas', 'replica', 'instances', 'instance', 'pods', 'pod', 'copies', 'copy', 'nodes', 'node', 'servers', 'server',
    'workers', 'containers', 'container', 'reps'].map((w) => [w, 'replicas'] as const),
  ...['epochs', 'epoch', 'passes', 'pass'].map((w) => [w, 'epochs'] as const),
  ...['gpus', 'gpu', 'cards', 'accelerators'].map((w) => [w, 'gpus'] as const),
  ...['trials', 'trial', 'rounds', 'runs', 'configurations', 'configs', 'experiments', 'tries', 'settings', 'combinations', 'combos', 'variants', 'candidates'].map((w) => [w, 'trials'] as const),
  ...['entries', 'events', 'records', 'actions', 'items', 'lines', 'changes'].map((w) => [w, 'limit'] as const),
]);

/** Words that make the model word before them a model: "the fraud model", "fraud's classifier". */
export const MODEL_NOUNS: ReadonlySet<string> = new Set([
  'model', 'classifier', 'models', 'service', 'endpoint', 'detector', 'status', 'deployed', 'weights', 'deploy', 'deployment',
  'deployments', 'release', 'rollout', 'replicas', 'training', 'metrics', 'accuracy', 'performance', 'needs', 'rolled', 'rescaled', 'scaled',
  'retrained',
]);

/** Words right before a model name in commands said as sentences: "deploy X", "retrain X", "roll back X". */
export const MODEL_VERBS: ReadonlySet<string> = new Set([
  'deploy', 'ship', 'release', 'promote', 'push', 'train', 'retrain', 're-train', 'fit', 'evaluate', 'eval', 'assess', 'score',
  'benchmark', 'test', 'quantize', 'quantise', 'compress', 'shrink', 'scale', 'rollback', 'revert', 'restore', 'downgrade',
  'tune', 'sweep', 'optimize', 'optimise', 'double', 'triple', 'halve', 'autoscale', 'bump', 'resize', 'undo', 'serve', 'launch',
  'publish', 'upgrade', 'back', 'of', 'for', 'called', 'named', 'roll', 'decrease', 'increase', 'reduce', 'set', 'change', 'let',
  'put', 'get', 'make', 'give', 'run', 'cut', 'int8', 'qunatize', 'lower', 'start', 'rebuild', 'cap',
]);

/**
 * Words and phrases that point to one intent, whatever else the sentence says. The intent model
 * reads a marker per cue it finds (typos of words included: "tuen" → tune), so what it learns for
 * a cue in some sentences carries to others, and to synonyms no training sentence used: in
 * cross-validation most requests misread were a verb or a noun only the left-out template had
 * ("shoot j-…", "is X behaving?", "any docs?"). A phrase is two or three words, matched as typed.
 */
export const INTENT_CUES: Readonly<Record<string, readonly string[]>> = {
  train: [
    'train', 'retrain', 're-train', 'training', 'retraining', 'fit', 'fitting', 'refit', 'refitting', 'finetune', 'fine-tune', 'finetuning',
    'fine-tuning', 'warm-start', 'from scratch', 'incrementally', 'clean slate', 'ground up', 'warm start', 'left off', 'kick off training',
    'start fresh', 'fresh start',
  ],
  tune: [
    'tune', 'tuning', 'hyperparameter', 'hyperparameters', 'hyperparams', 'hparams', 'hpo', 'sweep', 'autotune', 'auto-tune', 'optuna', 'hyperopt',
    'gridsearch', 'bayesopt', 'tuner', 'params', 'random search', 'grid search', 'hyperparameter search', 'weight decay', 'learning rate', 'lr',
    'search space', 'best hyperparameters', 'sweep over',
  ],
  evaluate: [
    'evaluate', 'eval', 'evals', 'evaluation', 'accuracy', 'accurate', 'f1', 'precision', 'recall', 'metrics', 'benchmark', 'assess', 'performance',
    'evaluating', 'validate', 'validation', 'grade', 'score', 'scores', 'scoring', 'auc', 'roc', 'macro', 'metric', 'confusion', 'measure', 'quality',
    'compare', 'benchmarks', 'benchmarking', 'stack up', 'report card', 'bake-off', 'bake off', 'appraise', 'up to snuff', 'better than',
    'worse than', 'holding up', 'how good', 'regression test', 'regressed', 'evl',
  ],
  quantize: [
    'quantize', 'quantise', 'quantized', 'quantization', 'quantisation', 'quantizing', 'quantising', 'int8', 'int8ify', 'int8-ify', 'int4', 'fp16', '8-bit',
    'compress', 'shrink', 'ptq', 'slim', 'slimmer', 'smaller', 'lighter', 'lightweight', 'compact', 'quant', 'fp8', '4-bit', 'tiny', 'trim', 'uint8',
    'fixed point', 'fixed-point', 'low-precision', 'low precision', 'featherweight', 'a diet', 'megabytes', '8 bits', '8-bits', 'int-8',
    'half precision', 'half-precision',
  ],
  deploy: [
    'deploy', 'ship', 'release', 'promote', 'publish', 'rollout', 'redeploy', 'upgrade', 'deploying', 'shipping', 'promoting', 'releasing',
    'roll-out', 'go-live', 'roll out', 'go live', 'green-lit', 'greenlit', 'cut over', 'cutover', 'roll forward', 'put live', 'push out',
    'push it out',
  ],
  rollback: [
    'rollback', 'revert', 'restore', 'undo', 'downgrade', 'unship', 'rb', 'reverting', 'restoring', 'roll-back', 'backout', 'roll back',
    'rolling back', 'back out', 'go back', 'put back', 'reverse', 'reinstate', 'reinstated', 'unpromote', 'retract', 'unrelease', 'unroll',
    'last good', 'known good', 'known-good', 'last-good', 'roll it back', 'take it back',
    'retreat', 'reactivate', 'resurrect', 'unpublish', 'come out of', 'one before', 'back onto',
  ],
  scale: [
    'scale', 'replicas', 'replica', 'autoscale', 'autoscaling', 'instances', 'pods', 'scaling', 'upscale', 'downscale', 'autoscaler', 'halve',
    'capacity', 'overprovisioned', 'headroom', 'scale up', 'scale down', 'scale out', 'more pods', 'fewer pods', 'more replicas', 'fewer replicas',
    'beef up', 'beefed up', 'resize', 'rescale', 'rescaled',
  ],
  status: [
    'status', 'queue', 'queued', 'progress', 'jobs', 'healthy', 'stuck', 'busy', 'behaving', 'describe', 'inspect', 'responding', 'answering', 'idle', 'poll',
    'backlog', 'sitrep', 'overview', 'eta', 'alive', 'wedged', 'finished', 'completed', 'pending', 'health', 'crashed', 'percentage', 'going on',
    'state of', 'working on', 'happened to', 'how long', 'so long', 'in flight', 'more info', 'tell me about', 'pulse', 'pulse check', 'much longer',
    'online', 'offline', 'still running', 'grinding', 'dead in the water', 'how are things', 'uptime', 'running right', 'up and running',
    'paged for', 'actually down', 'false alarm',
  ],
  cancel: [
    'cancel', 'abort', 'kill', 'terminate', 'halt', 'stop', 'ditch', 'scrap', 'nuke', 'dequeue', 'axe', 'zap', 'interrupt', 'sigterm', 'sigkill', 'needs to die',
    'ctrl-c', 'abandon', 'shoot', 'bin', 'stopped', 'stopping', 'killing', 'cancelling', 'canceling', 'aborting', 'terminating', 'shut down',
    'knock out', 'the plug', 'cut short', 'call off', 'power down', 'switch off', 'get rid', 'no longer', "don't run", 'end', 'skip', 'evict', 'nix',
    'whack', 'deep-six', 'wind down', 'finish off', 'pull the plug', 'kill off', 'stop it',
  ],
  audit: [
    'audit', 'audits', 'auditing', 'history', 'histories', 'log', 'trail', 'activity', 'timeline', 'timelines', 'changelog', 'ledger', 'who put',
    'who killed', 'who stopped', 'who deployed', 'who shipped', 'who promoted', 'who rolled', 'who scaled', 'who changed', 'who touched',
    'who started', 'who cancelled', 'footprints', 'who did', 'who ran', 'who launched', 'who kicked', 'who reverted', 'who bumped', 'who paused',
    'who approved', 'signed off', 'to blame', 'changes to', 'record of', 'how many times', 'how often', 'whodunnit', 'whodunit',
  ],
  curve: [
    'curve', 'curves', 'plot', 'plots', 'chart', 'charts', 'graph', 'graphs', 'visualize', 'visualise', 'loss', 'overfitting', 'converging',
    'converge', 'convergence', 'diverging', 'plateau', 'plateaued', 'overfit', 'overfitted', 'underfitting', 'plotting', 'visualization',
    'plateauing', 'train/val', 'learning anything', 'improving', 'learning curve', 'loss curve', 'val loss', 'training loss', 'eval loss',
    'accuracy curve', 'acc curve',
    'sparkline', 'trend',
  ],
  help: [
    'help', 'commands', 'usage', 'syntax', 'instructions', 'docs', 'documentation', 'onboarding', 'guide', 'tutorial', 'cheatsheet', '--help',
    'examples', 'faq', 'readme', 'howto', 'capabilities', 'intro', 'walkthrough', 'capable', 'yourself', 'can you do', 'you can do', 'the bot do',
    'you support', 'you understand', 'you able', 'are you for', 'with you', 'through you', 'say to you', 'talk to', 'i type', 'what now',
    'new to this', 'new here', 'you work', 'cheat sheet', 'getting started', 'get started', 'the ropes', 'the tour', 'primer', 'cookbook', '101',
    'newbie', 'where do i begin', 'what possible', 'supposed to be used', 'how do i', 'how would i', 'what do i type', 'what do i write',
    'is there a command', 'what the command', 'the command for', 'the format for', 'which flags', 'what flags', 'what arguments', "i'm lost",
    'through the bot', 'via the bot', 'with the bot', 'through opsbot', 'via opsbot', 'with opsbot', 'does status give', 'what info does',
    'eli5', "like i'm five", 'if i dont say', "if i don't say", 'by default',
  ],
};
