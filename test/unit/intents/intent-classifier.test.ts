import { sharedIntentClassifier } from '../../../intents/nl/intent-classifier.js';

describe('the intent classifier', () => {
  // It keeps its input arrays between sentences; sentences that overlap must not read each other's.
  it('scores sentences that overlap exactly as it scores them one at a time', async () => {
    const classifier = await sharedIntentClassifier();
    const texts = ['deploy zzmodel to zzenv zzcuedeploy zzslots', 'what is running zznoslots', 'the deploy meeting is at zznum zzslots', 'cancel zzjob zzcuecancel zzslots'];
    const alone = [];
    for (const text of texts) alone.push(await classifier.classify(text));
    const together = await Promise.all(texts.map((text) => classifier.classify(text)));
    expect(together).toEqual(alone);
    expect(alone.map((scores) => scores[0]!.label)).toEqual(['deploy', 'status', 'none', 'cancel']);
  });
});
