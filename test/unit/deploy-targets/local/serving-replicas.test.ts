import { InvalidInputError } from '../../../../core/errors.js';
import { servingReplicas } from '../../../../deploy-targets/local/serving-replicas.js';

describe('servingReplicas (the local target has no autoscaler)', () => {
  it('serves a fixed count as asked, 0 meaning stopped', () => {
    expect(servingReplicas({ replicas: 3 })).toBe(3);
    expect(servingReplicas({ replicas: 0 })).toBe(0);
  });

  it('serves the minimum of a range, but at least one: nothing would wake a colour scaled to zero', () => {
    expect(servingReplicas({ min: 2, max: 5 })).toBe(2);
    expect(servingReplicas({ min: 0, max: 4 })).toBe(1);
  });

  it('refuses counts that are not whole and ranges that are upside down', () => {
    expect(() => servingReplicas({ replicas: -1 })).toThrow(InvalidInputError);
    expect(() => servingReplicas({ replicas: 1.5 })).toThrow(InvalidInputError);
    expect(() => servingReplicas({ min: 3, max: 2 })).toThrow(/0 ≤ min ≤ max/);
    expect(() => servingReplicas({ min: 0, max: 0 })).toThrow(InvalidInputError);
  });
});
