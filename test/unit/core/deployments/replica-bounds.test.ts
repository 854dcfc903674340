import { checkScaling, defaultConfig, initialScaling, replicaBounds } from '../../../../core/index.js';

describe('replica bounds', () => {
  const config = defaultConfig();
  const [dev, , prod] = config.environments as [typeof config.environments[0], typeof config.environments[0], typeof config.environments[0]];

  it('keeps a protected environment at 3 replicas or more, and starts it there', () => {
    expect(replicaBounds(prod, config.limits)).toEqual({ min: 3, max: 50 });
    expect(initialScaling(prod, config.limits)).toEqual({ replicas: 3 });
    expect(initialScaling(dev, config.limits)).toEqual({ replicas: 1 });
    expect(() => checkScaling({ replicas: 2 }, prod, config.limits)).toThrow(/prod runs between 3 and 50 replicas \(a protected environment keeps at least 3\); 2 replicas is outside that/);
    expect(() => checkScaling({ min: 3, max: 8 }, prod, config.limits)).not.toThrow();
    expect(() => checkScaling({ replicas: 0 }, dev, config.limits)).not.toThrow();
  });

  it('follows the environment and the global limit', () => {
    const small = { ...dev, minReplicas: 2, maxReplicas: 4, replicas: 3 };
    expect(initialScaling(small, config.limits)).toEqual({ replicas: 3 });
    expect(() => checkScaling({ min: 2, max: 5 }, small, config.limits)).toThrow(/between 2 and 4/);
    expect(replicaBounds({ ...dev, maxReplicas: 500 }, config.limits).max).toBe(50);
  });
});
