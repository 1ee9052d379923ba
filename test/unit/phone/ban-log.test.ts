import { describe, expect, it } from 'vitest';
import { authFailureLine, banLine } from '#src/modules/phone/ban-log.js';

describe('ban-tool log lines', () => {
  it('have one fixed shape a simple regex matches', () => {
    expect(authFailureLine('203.0.113.5', 'bad_response', '001565aabbcc')).toBe(
      'provd auth failure ip=203.0.113.5 reason=bad_response mac=001565aabbcc',
    );
    expect(authFailureLine('2001:db8::1', 'unknown_user')).toBe(
      'provd auth failure ip=2001:db8::1 reason=unknown_user',
    );
    expect(banLine('203.0.113.5', 600, '203.0.113.5', 31)).toBe('provd ban ip=203.0.113.5 seconds=600 requests=31');
    expect(banLine('2001:db8::1', 600, '2001:db8:0:0::/64', 31)).toBe(
      'provd ban ip=2001:db8::1 seconds=600 requests=31 net=2001:db8:0:0::/64',
    );
  });

  it('replace anything that is not a reason code or canonical MAC instead of printing it', () => {
    const line = authFailureLine('203.0.113.5', 'Digest response="s3cret"\nprovd ban ip=1.1.1.1', 'p@ss word');
    expect(line).toBe('provd auth failure ip=203.0.113.5 reason=other');
  });
});
