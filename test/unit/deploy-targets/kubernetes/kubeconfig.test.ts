import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../../core/errors.js';
import { loadKubeConfig } from '../../../../deploy-targets/kubernetes/kubeconfig.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - { name: prod, cluster: { server: https://prod.example.com:6443 } }
  - { name: dev, cluster: { server: https://dev.example.com:6443 } }
users:
  - { name: bot, user: { token: abc } }
contexts:
  - { name: prod, context: { cluster: prod, user: bot } }
  - { name: dev, context: { cluster: dev, user: bot } }
current-context: dev
`;

describe('loadKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-kubeconfig-'));
  const file = join(dir, 'config');
  writeFileSync(file, KUBECONFIG);

  it('loads the configured file, on its current context or the one named', () => {
    expect(loadKubeConfig({ kubeconfig: file }).getCurrentCluster()?.server).toBe('https://dev.example.com:6443');
    expect(loadKubeConfig({ kubeconfig: file, context: 'prod' }).getCurrentCluster()?.server).toBe('https://prod.example.com:6443');
  });

  it('says what is wrong with a missing file or an unknown context', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'nope') })).toThrow(ConfigError);
    expect(() => loadKubeConfig({ kubeconfig: file, context: 'staging' })).toThrow(/no context "staging" \(it has prod, dev\)/);
  });

  it('falls back to KUBECONFIG as kubectl does', () => {
    const before = process.env.KUBECONFIG;
    process.env.KUBECONFIG = file;
    try {
      expect(loadKubeConfig({}).getCurrentCluster()?.server).toBe('https://dev.example.com:6443');
    } finally {
      if (before === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = before;
    }
  });
});
