import {
  compareEvaluations,
  evaluateClassifier,
  evaluationResult,
  formatComparison,
  nextEnvironment,
  notAvailable,
  metric,
  type EvaluationReport,
} from '../../../../workers/evaluation/index.js';

const labels = ['neg', 'pos'];
const actual = ['neg', 'neg', 'pos', 'pos'];
/** Right on all four, fairly confident. */
const good = evaluateClassifier({ labels, actual, probabilities: [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9]] });
/** Wrong on the last example. */
const worse = evaluateClassifier({ labels, actual, probabilities: [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]] });

function comparison(candidate: EvaluationReport, baseline: EvaluationReport, name: string) {
  const found = compareEvaluations(candidate, baseline).find((c) => c.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('compareEvaluations', () => {
  it('names the better side per metric, lower being better for losses', () => {
    expect(comparison(good, worse, 'accuracy')).toMatchObject({ delta: 0.25, winner: 'candidate' });
    expect(comparison(worse, good, 'accuracy')).toMatchObject({ delta: -0.25, winner: 'baseline' });
    const logLoss = comparison(good, worse, 'log_loss');
    expect(logLoss.winner).toBe('candidate');
    expect(logLoss.delta).toBeLessThan(0);
    expect(comparison(good, good, 'macro_f1')).toMatchObject({ delta: 0, winner: 'tie' });
  });

  it('calls differences below the shown precision a tie', () => {
    const nudged: EvaluationReport = { ...good, metrics: { ...good.metrics, accuracy: metric(1 - 1e-6) } };
    expect(comparison(nudged, good, 'accuracy')).toMatchObject({ delta: 0, winner: 'tie' });
  });

  it('names no winner when a side is n/a or top-k uses different k', () => {
    const undefinedMcc: EvaluationReport = { ...good, metrics: { ...good.metrics, mcc: notAvailable('every prediction is the same class') } };
    const mcc = comparison(undefinedMcc, good, 'mcc');
    expect(mcc.winner).toBeUndefined();
    expect(mcc.delta).toBeUndefined();
    expect(comparison({ ...good, topK: 3 }, good, 'top_k_accuracy').winner).toBeUndefined();
  });
});

describe('formatComparison', () => {
  it('puts ★ on the better value and the arrow on the sign of the change', () => {
    expect(formatComparison(comparison(good, worse, 'accuracy'))).toBe('★ 1.0000 vs 0.7500 (▲ +0.2500)');
    expect(formatComparison(comparison(worse, good, 'accuracy'))).toBe('0.7500 vs ★ 1.0000 (▼ −0.2500)');
    expect(formatComparison(comparison(good, worse, 'log_loss'))).toMatch(/^★ 0\.\d{4} vs 0\.\d{4} \(▼ −0\.\d{4}\)$/);
    expect(formatComparison(comparison(good, good, 'accuracy'))).toBe('1.0000 vs 1.0000 (tie)');
    const undefinedMcc: EvaluationReport = { ...good, metrics: { ...good.metrics, mcc: notAvailable('every prediction is the same class') } };
    expect(formatComparison(comparison(undefinedMcc, good, 'mcc'))).toBe('n/a (every prediction is the same class) vs 1.0000');
  });
});

describe('nextEnvironment', () => {
  const envs = ['dev', 'staging', 'prod'];
  it.each([
    [envs, [], 'staging'],
    [envs, ['dev'], 'staging'],
    [envs, ['dev', 'staging'], 'prod'],
    [envs, ['prod'], undefined],
    [['dev', 'prod'], [], 'dev'],
    [['prod'], [], 'prod'],
  ])('in %j, running in %j → %s', (environments, runsIn, expected) => {
    expect(nextEnvironment(environments, runsIn)).toBe(expected);
  });
});

describe('evaluationResult', () => {
  const base = { model: 'sentiment', version: 3, on: 'the validation split of sentiment.csv', environments: ['dev', 'staging', 'prod'], runsIn: [] };

  it('compares with the deployed version and offers the deploy when the candidate is not worse', () => {
    const result = evaluationResult({ ...base, report: good, baseline: { kind: 'compared', version: 2, env: 'prod', report: worse } });
    expect(result.summary).toMatch(
      /^sentiment v3 on the validation split of sentiment.csv \(4 examples\): accuracy 100\.0%, macro F1 1\.0000\. Against v2 deployed in prod: better on \d+, worse on 0, tied on \d+ of 10 metrics\.$/,
    );
    expect(result.details).toMatchObject({
      examples: 4,
      'compared with': 'v2, deployed in prod (★ marks the better value)',
      accuracy: '★ 1.0000 vs 0.7500 (▲ +0.2500)',
      'top-2 accuracy': '1.0000 vs 1.0000 (tie)',
      'micro precision / recall / F1': '1.0000 / 1.0000 / 1.0000',
      'weighted precision / recall / F1': '1.0000 / 1.0000 / 1.0000',
    });
    expect(result.table).toEqual({
      columns: ['class', 'precision', 'recall', 'F1', 'support', 'predicted'],
      rows: [
        ['neg', '1.0000', '1.0000', '1.0000', '2', '2'],
        ['pos', '1.0000', '1.0000', '1.0000', '2', '2'],
      ],
    });
    expect(result.confusion).toEqual({ labels, counts: [[2, 0], [0, 2]] });
    expect(result.nextSteps).toEqual([{ label: 'Deploy to staging', command: 'deploy sentiment v3 to staging' }]);
    expect(JSON.stringify(result)).not.toMatch(/NaN|null|Infinity/);
  });

  it('offers no deploy when the candidate is worse on macro F1', () => {
    const result = evaluationResult({ ...base, report: worse, baseline: { kind: 'compared', version: 2, env: 'prod', report: good } });
    expect(result.summary).toMatch(/worse on [1-9]/);
    expect(result.nextSteps).toEqual([]);
  });

  it('says when nothing is deployed, when the version is the deployed one, and when the deployed one cannot be scored', () => {
    expect(evaluationResult({ ...base, report: good }).summary).toMatch(/No version of sentiment is deployed to compare with\.$/);
    const same = evaluationResult({ ...base, report: good, runsIn: ['staging'], baseline: { kind: 'same', version: 3, env: 'staging' } });
    expect(same.summary).toMatch(/v3 is the version deployed in staging\.$/);
    expect(same.nextSteps).toEqual([{ label: 'Deploy to prod', command: 'deploy sentiment v3 to prod' }]);
    const missing = evaluationResult({ ...base, report: good, baseline: { kind: 'unavailable', version: 1, env: 'prod', problem: 'its artifact cannot be read.' } });
    expect(missing.summary).toMatch(/Could not compare with v1 deployed in prod: its artifact cannot be read\.$/);
    expect(missing.details).toMatchObject({ accuracy: '1.0000' });
  });

  it('shows n/a with the reason rather than a number when there are no examples', () => {
    const empty = evaluateClassifier({ labels, actual: [], probabilities: [] });
    const result = evaluationResult({ ...base, report: empty });
    expect(result.summary).toMatch(/\(0 examples\): accuracy n\/a \(no examples\), macro F1 n\/a \(no examples\)\./);
    expect(result.details).toMatchObject({ 'log loss': 'n/a (no examples)' });
    expect(result.table?.rows).toContainEqual(['pos', 'n/a (never predicted)', 'n/a (no examples of this class)', 'n/a (neither in the data nor predicted)', '0', '0']);
    expect(JSON.stringify(result)).not.toMatch(/NaN|null|Infinity/);
  });
});
