import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndpointPorts } from '../../../../deploy-targets/local/endpoint-ports.js';

describe('EndpointPorts (the stable ports file)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-ports-'));
    file = join(dir, 'deploy', 'local-endpoints.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each slot\'s ports across reopening, replacing the file whole (no temporary file left)', async () => {
    const ports = await EndpointPorts.open(file);
    expect(ports.get({ model: 'sentiment', env: 'prod' })).toBeUndefined();
    await ports.assign({ model: 'sentiment', env: 'prod' }, { endpoint: 18700, preview: 18701 });
    await ports.assign({ model: 'sentiment', env: 'dev' }, { endpoint: 18702, preview: 18703 });
    await ports.assign({ model: 'sentiment', env: 'prod' }, { endpoint: 18700, preview: 18704 });

    const reopened = await EndpointPorts.open(file);
    expect(reopened.get({ model: 'sentiment', env: 'prod' })).toEqual({ endpoint: 18700, preview: 18704 });
    expect(reopened.get({ model: 'sentiment', env: 'dev' })).toEqual({ endpoint: 18702, preview: 18703 });
    expect([...reopened.taken({ model: 'sentiment', env: 'dev' })].sort()).toEqual([18700, 18704]);
    expect(readdirSync(join(dir, 'deploy'))).toEqual(['local-endpoints.json']);
  });

  it('sets an unreadable file aside, with a warning, and starts afresh', async () => {
    await (await EndpointPorts.open(file)).assign({ model: 'm', env: 'e' }, { endpoint: 1, preview: 2 });
    writeFileSync(file, '{"formatVersion": 1, "slots": [{"model": "m"');
    const warnings: string[] = [];
    const ports = await EndpointPorts.open(file, { debug() {}, info() {}, warn: (_d, m) => void warnings.push(m ?? ''), error() {} });
    expect(ports.get({ model: 'm', env: 'e' })).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/could not be read/)]);
    expect(existsSync(file)).toBe(false);
    const aside = readdirSync(join(dir, 'deploy')).find((name) => name.includes('unreadable'));
    expect(readFileSync(join(dir, 'deploy', aside as string), 'utf8')).toContain('"model": "m"');
  });
});
