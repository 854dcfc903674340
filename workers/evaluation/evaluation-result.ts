import type { JobResult } from '../../core/index.js';
import { compareEvaluations, tallyComparisons, type MetricComparison } from './compare-evaluations.js';
import type { EvaluationReport } from './evaluate-classifier.js';
import { formatComparison, formatMetric, formatPercent } from './format-metric.js';
import { HEADLINE_METRICS, metricLabel } from './metric-catalog.js';
import { nextEnvironment } from './suggest-deploy.js';

/** Classes listed in the per-class table; more would drown the channel (the confusion chart shows them all). */
const MAX_CLASS_ROWS = 50;

/** The deployed version an evaluation is compared with: its report on the same examples, or why there is none. */
export type DeployedBaseline = { version: number; env: string } & (
  | { kind: 'compared'; report: EvaluationReport }
  /** The evaluated version is the deployed one. */
  | { kind: 'same' }
  | { kind: 'unavailable'; problem: string }
);

export interface EvaluationResultInput {
  model: string;
  version: number;
  /** What was evaluated, e.g. `the validation split of sentiment.csv`. */
  on: string;
  report: EvaluationReport;
  baseline?: DeployedBaseline;
  /** Configured environments in promotion order, and those the evaluated version runs in. */
  environments: readonly string[];
  runsIn: readonly string[];
  notes?: readonly string[];
}

/** The evaluate job's reply: one-line summary, headline metrics (against the deployed version), confusion matrix, next steps. */
export function evaluationResult(input: EvaluationResultInput): JobResult {
  const { model, version, report, baseline } = input;
  const comparisons = baseline?.kind === 'compared' ? compareEvaluations(report, baseline.report) : undefined;
  const headline = `${model} v${version} on ${input.on} (${report.examples} examples): accuracy ${formatPercent(report.metrics.accuracy)}, macro F1 ${formatMetric(report.metrics.macro_f1)}.`;
  const notes = [...(input.notes ?? [])];
  if (report.unseenLabels.length > 0) notes.push(`The data has labels the model never saw: ${report.unseenLabels.join(', ')}.`);
  const details: Record<string, string | number> = { examples: report.examples };
  if (comparisons && baseline) details['compared with'] = `v${baseline.version}, deployed in ${baseline.env} (★ marks the better value)`;
  for (const name of HEADLINE_METRICS) {
    const comparison = comparisons?.find((c) => c.name === name);
    details[metricLabel(name, report.topK)] = comparison ? formatComparison(comparison) : formatMetric(report.metrics[name]);
  }
  const { micro, weighted } = report.averages;
  details['micro precision / recall / F1'] = [micro.precision, micro.recall, micro.f1].map(formatMetric).join(' / ');
  details['weighted precision / recall / F1'] = [weighted.precision, weighted.recall, weighted.f1].map(formatMetric).join(' / ');
  const deployTo = shouldSuggestDeploy(comparisons) ? nextEnvironment(input.environments, input.runsIn) : undefined;
  return {
    summary: [headline, baselineSentence(input, comparisons), ...notes].join(' '),
    details,
    table: perClassTable(report),
    confusion: { labels: report.labels, counts: report.confusion },
    nextSteps: deployTo ? [{ label: `Deploy to ${deployTo}`, command: `deploy ${model} v${version} to ${deployTo}` }] : [],
  };
}

/** One row per class, the most frequent first: precision, recall, F1, support (true examples) and how often it was predicted. */
function perClassTable(report: EvaluationReport): NonNullable<JobResult['table']> {
  const classes = [...report.perClass].sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
  const rows = classes.slice(0, MAX_CLASS_ROWS).map((c) => [c.label, formatMetric(c.precision), formatMetric(c.recall), formatMetric(c.f1), String(c.support), String(c.predicted)]);
  const rest = classes.length - rows.length;
  if (rest > 0) rows.push([`… ${rest} more classes`, '', '', '', String(classes.slice(MAX_CLASS_ROWS).reduce((n, c) => n + c.support, 0)), '']);
  return { columns: ['class', 'precision', 'recall', 'F1', 'support', 'predicted'], rows };
}

/** Offering to deploy a version that is worse than what runs would invite a regression. */
function shouldSuggestDeploy(comparisons: readonly MetricComparison[] | undefined): boolean {
  return comparisons?.find((c) => c.name === 'macro_f1')?.winner !== 'baseline';
}

function baselineSentence(input: EvaluationResultInput, comparisons: readonly MetricComparison[] | undefined): string {
  const { baseline, model, version } = input;
  if (!baseline) return `No version of ${model} is deployed to compare with.`;
  if (baseline.kind === 'same') return `v${version} is the version deployed in ${baseline.env}.`;
  if (baseline.kind === 'unavailable') return `Could not compare with v${baseline.version} deployed in ${baseline.env}: ${baseline.problem}`;
  const tally = tallyComparisons(comparisons ?? []);
  const compared = tally.candidate + tally.baseline + tally.tie;
  return `Against v${baseline.version} deployed in ${baseline.env}: better on ${tally.candidate}, worse on ${tally.baseline}, tied on ${tally.tie} of ${compared} metrics.`;
}
