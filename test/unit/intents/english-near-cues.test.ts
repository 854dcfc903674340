import { englishNearCues } from '../../../intents/training/english-near-cues.js';
import { ENGLISH_NEAR_CUES } from '../../../intents/nl/english-near-cues.js';

describe('English words near cue words', () => {
  it('is the list `npm run train:intents` writes from the cue words and the dictionaries', () => {
    expect([...ENGLISH_NEAR_CUES]).toEqual(englishNearCues());
  });

  it('holds common words one edit from a cue and leaves rare words and forms of the cues out', () => {
    for (const word of ['purse', 'tread', 'prime', 'restrict', 'revealed']) expect([word, ENGLISH_NEAR_CUES.has(word)]).toEqual([word, true]);
    for (const word of ['tunning', 'tuned', 'kills', 'retrained']) expect([word, ENGLISH_NEAR_CUES.has(word)]).toEqual([word, false]);
  });
});
