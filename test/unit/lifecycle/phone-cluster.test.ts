import { describe, expect, it } from 'vitest';
import { loadConfig, phoneProcessCount } from '#src/config/config.js';
import { restartDelayMs } from '#src/lifecycle/phone-cluster.js';

describe('PROVD_PHONE_PROCESSES', () => {
  it('defaults to 1 (the phone server inside the api process)', () => {
    expect(phoneProcessCount(loadConfig({}), 8)).toBe(1);
  });

  it('takes a count, or auto = the CPUs given', () => {
    expect(phoneProcessCount(loadConfig({ PROVD_PHONE_PROCESSES: '3' }), 8)).toBe(3);
    expect(phoneProcessCount(loadConfig({ PROVD_PHONE_PROCESSES: 'auto' }), 2)).toBe(2);
    expect(phoneProcessCount(loadConfig({ PROVD_PHONE_PROCESSES: 'auto' }), 0)).toBe(1);
  });

  it('refuses 0 and words other than auto, naming the variable', () => {
    expect(() => loadConfig({ PROVD_PHONE_PROCESSES: '0' })).toThrow(/PROVD_PHONE_PROCESSES/);
    expect(() => loadConfig({ PROVD_PHONE_PROCESSES: 'all' })).toThrow(/PROVD_PHONE_PROCESSES/);
  });
});

describe('phone process restart backoff', () => {
  it('doubles from 250 ms per crash within a minute and stays bounded at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(restartDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });
});
