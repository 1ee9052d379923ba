import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  client(commonName: string): { cert: Buffer; key: Buffer };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throw-away CA, a server certificate for 127.0.0.1, and client certificates on demand (openssl CLI). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'provd-pki-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=provd test CA',
    ],
    dir,
  );
  const issue = (name: string, subject: string, ext?: string) => {
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject],
      dir,
    );
    const args = [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
    ];
    if (ext) {
      writeFileSync(join(dir, `${name}.ext`), ext);
      args.push('-extfile', `${name}.ext`);
    }
    openssl(args, dir);
  };
  issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  let counter = 0;
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    client(commonName: string) {
      counter += 1;
      issue(`client${counter}`, `/CN=${commonName}`);
      return {
        cert: readFileSync(join(dir, `client${counter}.pem`)),
        key: readFileSync(join(dir, `client${counter}.key`)),
      };
    },
  };
}
