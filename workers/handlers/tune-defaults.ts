/** Epochs per trial, as `train`'s default, so a tuned version compares with a trained one; early stopping ends most sooner. */
export const DEFAULT_TRIAL_EPOCHS = 10;
