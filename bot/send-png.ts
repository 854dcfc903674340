import type { Response } from 'express';

/** Answers with PNG bytes as they are (a view, not a copy): how the playground and Teams' hosted images serve charts. */
export function sendPng(res: Response, png: Uint8Array, cacheControl: string): void {
  res.set({ 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' });
  res.type('image/png').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
}
