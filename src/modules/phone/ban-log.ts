/**
 * The log lines a ban tool matches. One fixed shape each, starting with `provd `, values from
 * closed sets or validated forms only (an IP, a canonical MAC, a reason code), so nothing a
 * client sends — a secret, an Authorization header, a URL or its query — can appear in them.
 *
 * fail2ban, on the JSON lines pino writes:
 *   failregex = "msg":"provd auth failure ip=<HOST> reason=
 *               "msg":"provd ban ip=<HOST> seconds=
 */

const REASON = /^[a-z][a-z0-9_]{0,39}$/;
const MAC = /^[0-9a-f]{12}$/;

export function authFailureLine(ip: string, reason: string, mac?: string): string {
  const safeReason = REASON.test(reason) ? reason : 'other';
  return `provd auth failure ip=${ip} reason=${safeReason}${mac !== undefined && MAC.test(mac) ? ` mac=${mac}` : ''}`;
}

export function banLine(ip: string, seconds: number, subject: string, count: number): string {
  const network = subject !== ip ? ` net=${subject}` : '';
  return `provd ban ip=${ip} seconds=${seconds} requests=${count}${network}`;
}
