/** full: from scratch; incremental: on from the model's latest weights; finetune: from another model, with new labels. */
export type TrainMode = 'full' | 'incremental' | 'finetune';
