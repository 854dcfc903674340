/**
 * Looks at a dataset path as a worker will read it and says what is wrong with it (not
 * found, a directory, outside the working directory), or undefined when it can be read.
 * The worker's own message, so a refusal before queueing reads as the failure would have.
 */
export type DatasetCheck = (path: string) => Promise<string | undefined>;
