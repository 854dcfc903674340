import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostedImageStore } from '../../../../bot/teams/images/hosted-image-store.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const png = (fill: number, size = 100) => new Uint8Array(size).fill(fill);

describe('HostedImageStore', () => {
  let dir: string;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'opsbot-images-')), 'images');
  });

  afterEach(() => {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('keeps each image under a fresh random id, on disk, and gives the bytes back', async () => {
    const store = new HostedImageStore(dir);
    const first = await store.put(png(1));
    const second = await store.put(png(1));
    expect(first).toMatch(UUID_V4);
    expect(second).not.toBe(first);
    expect(await store.get(first)).toEqual(Buffer.from(png(1)));
    expect(readdirSync(dir).sort()).toEqual([`${first}.png`, `${second}.png`].sort());
  });

  it('survives a restart: a new store on the same directory serves what the old one kept', async () => {
    const id = await new HostedImageStore(dir).put(png(5));
    expect(await new HostedImageStore(dir).get(id)).toEqual(Buffer.from(png(5)));
  });

  it('answers undefined for unknown ids and for anything that is not an id', async () => {
    const store = new HostedImageStore(dir);
    const id = await store.put(png(1));
    expect(await store.get('7b0c1f7e-4a51-4c8e-9a43-3f5d2b7c9e10')).toBeUndefined();
    for (const name of ['', `${id}.png`, `../images/${id}`, id.toUpperCase(), `${id}/`]) expect(await store.get(name)).toBeUndefined();
  });

  it('drops the oldest images past maxBytes', async () => {
    const store = new HostedImageStore(dir, { maxBytes: 250 });
    const ids = [];
    for (const fill of [1, 2, 3]) {
      ids.push(await store.put(png(fill)));
      // mtime is the age; make each image clearly older than the next.
      utimesSync(join(dir, `${ids[ids.length - 1]}.png`), new Date(), new Date(Date.now() - (4 - fill) * 60_000));
    }
    expect(await store.get(ids[0] as string)).toBeUndefined();
    expect(await store.get(ids[1] as string)).toEqual(Buffer.from(png(2)));
    expect(await store.get(ids[2] as string)).toEqual(Buffer.from(png(3)));
  });

  it('drops images older than maxAgeMs when the next one is stored', async () => {
    const store = new HostedImageStore(dir, { maxAgeMs: 24 * 60 * 60 * 1000 });
    const old = await store.put(png(1));
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(join(dir, `${old}.png`), twoDaysAgo, twoDaysAgo);
    const fresh = await store.put(png(2));
    expect(existsSync(join(dir, `${old}.png`))).toBe(false);
    expect(await store.get(fresh)).toEqual(Buffer.from(png(2)));
  });
});
