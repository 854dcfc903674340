import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { HostedImageStore } from '../../../../bot/teams/images/hosted-image-store.js';
import { hostedImageUrl, IMAGES_ROUTE, imagesRoute } from '../../../../bot/teams/images/images-route.js';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

/** A raw GET, so `..` reaches the server as sent instead of being resolved by the client. */
function rawGet(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(new URL(url), { path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('GET /images/<id>.png', () => {
  let dataDir: string;
  let store: HostedImageStore;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'opsbot-images-route-'));
    store = new HostedImageStore(join(dataDir, 'images'));
    // Files beside the image directory that must stay out of reach.
    mkdirSync(join(dataDir, 'images'));
    writeFileSync(join(dataDir, 'secret.png'), 'not for the web');
    const app = express();
    app.get(IMAGES_ROUTE, imagesRoute(store));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a stored image byte for byte as image/png, cacheable for good', async () => {
    const id = await store.put(PNG);
    const response = await fetch(`${url}/images/${id}.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
  });

  it('answers 404 for an unknown id, a name without .png, and names that are not ids', async () => {
    const id = await store.put(PNG);
    for (const path of ['/images/7b0c1f7e-4a51-4c8e-9a43-3f5d2b7c9e10.png', `/images/${id}`, `/images/${id}.jpg`, '/images/secret.png', '/images/.png']) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it('never reaches outside the image directory', async () => {
    for (const path of ['/images/..%2Fsecret.png', '/images/%2E%2E%2Fsecret.png', '/images/../secret.png', '/images/..%5Csecret.png', '/images/%2Fetc%2Fpasswd.png']) {
      expect({ path, status: await rawGet(url, path) }).toEqual({ path, status: 404 });
    }
  });
});

describe('hostedImageUrl', () => {
  it.each([
    ['https://opsbot.example.com', 'https://opsbot.example.com/images/abc.png'],
    ['https://opsbot.example.com/', 'https://opsbot.example.com/images/abc.png'],
    ['https://example.com/opsbot', 'https://example.com/opsbot/images/abc.png'],
    ['https://example.com/opsbot/', 'https://example.com/opsbot/images/abc.png'],
  ])('puts the image under %s', (publicUrl, expected) => {
    expect(hostedImageUrl(publicUrl, 'abc')).toBe(expected);
  });
});
