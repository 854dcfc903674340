import { PermanentJobError, type DatasetCheck } from '../../../core/index.js';

/** The dispatcher's look at a dataset path, with the worker's own checks and words (not found, a directory, an unknown format). */
export function datasetCheck(baseDir: string): DatasetCheck {
  return async (path) => {
    try {
      // The readers (CSV, Parquet) load with the first check, not when the bot starts.
      const { locateDataset } = await import('./text-dataset.js');
      await locateDataset(path, baseDir);
      return undefined;
    } catch (error) {
      if (error instanceof PermanentJobError) return error.userMessage;
      throw error;
    }
  };
}
