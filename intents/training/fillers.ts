/** Pools the data templates are filled from. Held-out sentences name models training never saw. */
export const TRAIN_MODELS: readonly string[] = [
  'fraud', 'churn', 'sentiment', 'spam-filter', 'fraud-detector', 'ranker', 'toxicity', 'intent-router', 'ticket-triage',
  'lang-id', 'recsys', 'pricing', 'demand-forecast', 'credit-risk', 'review-classifier', 'support-bot', 'news-topics',
  'invoice-tagger', 'email-priority', 'ad-ctr', 'search-rerank', 'pii-detector', 'chargeback', 'kyc-screen', 'lead-score',
  'moderation', 'doc-classifier', 'bert-small', 'faq-matcher', 'claims-triage', 'abuse', 'langdetect', 'topic-model', 'nps',
  'retention', 'upsell', 'geo-tagger', 'ocr-router', 'sarcasm', 'xgb-risk',
];

export const HELD_OUT_MODELS: readonly string[] = [
  'churn-predictor', 'sentiment-en', 'spam', 'anomaly', 'risk-score', 'triage-bot', 'translator', 'summarizer', 'tagger',
  'loan-default', 'cx-intent', 'ner-tagger', 'reviews', 'clickbait', 'hate-speech', 'priority', 'routing', 'emotion',
  'eta-model', 'fraudnet',
];

/**
 * Names for error analysis only (intents/training/dev-report.ts): unseen by training like the
 * held-out pool's, so the dev figures show how unknown names are read without touching held-out.
 */
export const DEV_MODELS: readonly string[] = [
  'churnzilla', 'sentiment-v2', 'spamguard', 'outlier', 'risk-model', 'helpdesk-bot', 'captioner', 'digest', 'labeler',
  'default-risk', 'cx-router', 'entity-tagger', 'ratings', 'headline-clf', 'toxic-chat', 'urgency', 'dispatch', 'mood',
  'arrival-time', 'fraudscope',
];

export const DATASETS: readonly string[] = [
  'data/train.csv', 'data/reviews-2024.csv', 'datasets/tickets.jsonl', 'data/q3/labels.parquet', 'exports/fraud_labels.csv',
  'holdout.csv', 'data/new-labels.json', 'data/holdout.csv', 'corpus/emails.csv', 'data/latest.csv', 'labels/v2/train.jsonl',
  'data/churn_march.parquet',
];

/** Number ranges per slot; min stays below max so a range is always valid. */
export const NUMBER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  replicas: [1, 12],
  min: [1, 3],
  max: [4, 20],
  epochs: [1, 40],
  gpus: [1, 8],
  trials: [5, 60],
  limit: [5, 50],
  delta: [1, 4],
};

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 23 → "twenty three" (or "twenty-three"). */
export function numberInWords(n: number, hyphen: boolean): string {
  if (n < 20) return ONES[n]!;
  const tens = TENS[Math.floor(n / 10)]!;
  const ones = n % 10;
  return ones === 0 ? tens : `${tens}${hyphen ? '-' : ' '}${ONES[ones]}`;
}

/** Typos people make in a word: two letters swapped, one dropped, one doubled. */
export function typosOf(word: string): string[] {
  if (word.length < 4) return [];
  const typos = new Set<string>();
  for (let i = 1; i < word.length - 1; i++) {
    typos.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    if (word.length >= 6) typos.add(word.slice(0, i) + word.slice(i + 1));
  }
  typos.delete(word);
  return [...typos];
}
