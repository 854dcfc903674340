import type { RequestHandler } from 'express';
import { sendPng } from '../../send-png.js';
import type { HostedImageStore } from './hosted-image-store.js';

/** Where hosted images are served: GET /images/<id>.png. */
export const IMAGES_ROUTE = '/images/:file';

/** An image's content never changes under its id, so any cache (Teams' image proxy too) may keep it. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The absolute URL of image `id`, under the public URL (keeping any path a proxy serves opsbot under). */
export function hostedImageUrl(publicUrl: string, id: string): string {
  return new URL(`images/${id}.png`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
}

/** Serves the store's images, unauthenticated: Teams clients fetch them without credentials, and the unguessable id is the key. */
export function imagesRoute(store: HostedImageStore): RequestHandler {
  return async (req, res) => {
    const id = /^(.+)\.png$/.exec(String(req.params.file))?.[1];
    const png = id === undefined ? undefined : await store.get(id);
    if (!png) {
      res.status(404).type('text/plain').send('There is no such image.');
      return;
    }
    sendPng(res, png, CACHE_CONTROL);
  };
}
