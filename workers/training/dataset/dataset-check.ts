import { PermanentJobError, type DatasetCheck } from '../../../core/index.js';
import { locateDataset } from './text-dataset.js';

/** The dispatcher's look at a dataset path, with the worker's own checks and words (not found, a directory, an unknown format). */
export function datasetCheck(baseDir: string): DatasetCheck {
  return async (path) => {
    try {
      await locateDataset(path, baseDir);
      return undefined;
    } catch (error) {
      if (error instanceof PermanentJobError) return error.userMessage;
      throw error;
    }
  };
}
