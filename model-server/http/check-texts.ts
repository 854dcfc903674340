import type { ServingState } from '../serving-state.js';
import { HttpError } from './http-error.js';

/** The per-request limits both protocols share: how many texts, and how long each may be. */
export function checkTexts(state: ServingState, texts: readonly string[]): void {
  const { maxTextsPerRequest, maxTextChars } = state.limits;
  if (texts.length > maxTextsPerRequest) throw new HttpError(400, `the request has ${texts.length} texts; the limit is ${maxTextsPerRequest} per request`);
  const long = texts.findIndex((text) => text.length > maxTextChars);
  if (long >= 0) throw new HttpError(400, `text ${long} has ${(texts[long] as string).length} characters; the limit is ${maxTextChars}`);
}
