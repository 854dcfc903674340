import { splitCommandLine } from '../../../../core/config/command-line.js';
import { externalTrainerSchema, trainerCommandProblems } from '../../../../core/config/external-trainer.schema.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../../core/index.js';
import { trainerArgv } from '../../../../workers/external/trainer-argv.js';
import { parseTrainerLine } from '../../../../workers/external/trainer-line.js';
import { LineTail } from '../../../../workers/external/line-tail.js';

const values = { dataset: 'data/x.csv', epochs: '5', artifact: '/tmp/out dir/model.pt', gpus: '2' };

describe('trainer commands', () => {
  it.each([
    ['python train.py --data {dataset} --epochs {epochs}', ['python', 'train.py', '--data', 'data/x.csv', '--epochs', '5']],
    ['python train.py --out={artifact}', ['python', 'train.py', '--out=/tmp/out dir/model.pt']],
    [`python -c 'print("a b")' "x \\"y\\"" a\\ b`, ['python', '-c', 'print("a b")', 'x "y"', 'a b']],
    ['torchrun --nproc-per-node {gpus} train.py "--name=run {epochs}" \'{"lr": 1}\'', ['torchrun', '--nproc-per-node', '2', 'train.py', '--name=run 5', '{"lr": 1}']],
    ['python "a;b" \'$HOME\' "|"', ['python', 'a;b', '$HOME', '|']],
  ])('splits %j into argv without a shell', (command, argv) => {
    expect(trainerCommandProblems(command)).toEqual([]);
    expect(trainerArgv(command, values)).toEqual(argv);
  });

  it('keeps a hostile value inside one argument', () => {
    expect(trainerArgv('python t.py --data {dataset}', { ...values, dataset: 'x.csv; rm -rf / "$(id)"' })).toEqual(['python', 't.py', '--data', 'x.csv; rm -rf / "$(id)"']);
  });

  it.each([
    ['python train.py | tee log', /unquoted "\|" at character 17: the command runs without a shell/],
    ['python train.py > log', /unquoted ">"/],
    ['python $SCRIPT', /unquoted "\$"/],
    ["python 'train.py", /' quote at character 8 is never closed/],
    ['python "train.py', /" quote is never closed/],
    ['{dataset} --x', /the program \(first word\) must be fixed/],
    ['python train.py --data {data}', /unknown placeholder \{data\}; use \{dataset\}, \{epochs\}, \{artifact\}, \{gpus\}/],
    ['   ', /the command is empty/],
  ])('refuses %j', (command, problem) => {
    expect(trainerCommandProblems(command).join('\n')).toMatch(problem);
  });

  it('throws for a trailing backslash', () => {
    expect(() => splitCommandLine('python \\')).toThrow(/lone backslash/);
  });

  it('validates model trainer configs when the config loads, with defaults', () => {
    expect(externalTrainerSchema.parse({ command: 'python t.py' })).toEqual({ command: 'python t.py', timeoutSeconds: 3600, env: {}, passEnv: [], killGraceSeconds: 10 });
    expect(() => externalTrainerSchema.parse({ command: 'python t.py', env: { CUDA_VISIBLE_DEVICES: '0' } })).toThrow(/CUDA_VISIBLE_DEVICES is set by opsbot/);
    expect(() => externalTrainerSchema.parse({ command: 'python t.py', passEnv: ['CUDA_VISIBLE_DEVICES'] })).toThrow(/CUDA_VISIBLE_DEVICES is set by opsbot/);
    expect(() => externalTrainerSchema.parse({ command: 'python t.py', passEnv: ['WANDB API KEY'] })).toThrow(/letters, digits and/);
  });

  it('reads models.<name>.trainer from opsbot.config.json, naming what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-config-'));
    try {
      const write = (models: unknown) => writeFileSync(join(dir, 'opsbot.config.json'), JSON.stringify({ models }));
      write({ 'bert-intents': { trainer: { command: 'python train.py --data {dataset} --out {artifact}', timeoutSeconds: 60, cwd: 'trainers' } } });
      const { config, warnings } = loadConfig({ OPSBOT_GPUS: '2' }, dir);
      expect(config.models?.['bert-intents']?.trainer).toEqual({
        command: 'python train.py --data {dataset} --out {artifact}',
        timeoutSeconds: 60,
        cwd: 'trainers',
        env: {},
        passEnv: [],
        killGraceSeconds: 10,
      });
      expect(warnings).toEqual([]);
      write({ 'bert-intents': { trainer: { command: 'python train.py {data} | tee log' } }, Bad_Name: {} });
      const problems = (() => {
        try {
          loadConfig({}, dir);
          return [];
        } catch (error) {
          return (error as ConfigError).problems;
        }
      })();
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^models\.bert-intents\.trainer\.command: trainer command: unquoted "\|"/),
          expect.stringMatching(/^models\.Bad_Name: "Bad_Name": model names are DNS labels/),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trainer stdout lines', () => {
  it('reads metrics lines, keeping extra numeric fields and ignoring the rest', () => {
    expect(parseTrainerLine('{"epoch":1,"loss":0.41,"accuracy":0.88,"f1":0.8,"note":"x","total_epochs":10}')).toEqual({
      kind: 'metrics',
      point: { epoch: 1, loss: 0.41, accuracy: 0.88, f1: 0.8 },
      totalEpochs: 10,
    });
  });

  it.each([
    ['Epoch 1/10: 100%|████|', { kind: 'log' }],
    ['{"epoch": 1, "loss": NaN}', { kind: 'malformed', problem: expect.stringMatching(/not valid JSON/) }],
    ['{"loss": 0.4}', { kind: 'malformed', problem: expect.stringMatching(/^epoch: /) }],
    ['{"epoch": 1, "accuracy": "high"}', { kind: 'malformed', problem: expect.stringMatching(/^accuracy: /) }],
    ['[1, 2]', { kind: 'log' }],
  ])('classifies %j', (line, expected) => {
    expect(parseTrainerLine(line)).toEqual(expected);
  });
});

describe('LineTail', () => {
  it('keeps the last lines across chunk boundaries', () => {
    const tail = new LineTail(2, 10);
    tail.push('one\ntw');
    tail.push('o\nthree\nfour is a long line\nfi');
    expect(tail.text()).toBe('four is a …\nfi');
  });
});
