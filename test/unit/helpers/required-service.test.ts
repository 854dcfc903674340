import { jest } from '@jest/globals';
import { requireService } from '../../helpers/required-service.js';

describe('requireService: a suite whose service is missing', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    jest.restoreAllMocks();
  });

  it.each(['true', '1'])('fails in CI (CI=%s), naming what is missing, instead of being skipped', (value) => {
    process.env.CI = value;
    expect(() => requireService(false, 'needs PostgreSQL at 127.0.0.1:5432/test')).toThrow(/needs PostgreSQL at 127\.0\.0\.1:5432\/test.*CI=true/);
  });

  it('is skipped outside CI, saying why', () => {
    delete process.env.CI;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireService(false, 'needs /usr/bin/chromium')).toBe(false);
    expect(warn).toHaveBeenCalledWith('Skipping: needs /usr/bin/chromium');
  });

  it('runs when the service is there, in CI or not', () => {
    process.env.CI = 'true';
    expect(requireService(true, 'unused')).toBe(true);
  });
});
