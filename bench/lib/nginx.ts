import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../scripts/stack/ports.js';
import { stopChild, waitFor } from '../../scripts/stack/processes.js';

export interface Nginx {
  url: string;
  /** The master process (its workers are its children). */
  pid: number;
  workers: string;
  version: string;
  stop: () => Promise<void>;
}

function nginxBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  return undefined;
}

/**
 * The Debian package, installed on first use when we may (root + apt-get, and BENCH_NO_INSTALL
 * unset); undefined when unavailable.
 */
export function findOrInstallNginx(): string | undefined {
  const found = nginxBinary();
  if (found || process.getuid?.() !== 0 || process.env.BENCH_NO_INSTALL) return found;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('flock', ['/tmp/apt.lock', 'apt-get', 'install', '-y', '-q', 'nginx'], { stdio: 'ignore', env });
  return nginxBinary();
}

/**
 * nginx on loopback with a generated config in a temp folder, serving `files` (path → bytes) as
 * static files: the reference a pre-rendered profile is compared with. Debian defaults where they
 * matter (worker_processes auto, sendfile, ETag); keep-alive without a per-connection request
 * cap, as phones and our server have none; no access log (ours logs no request lines either).
 */
export async function startNginx(binary: string, files: Map<string, Buffer>): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'www');
  for (const [path, body] of files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    writeFileSync(target, body, { mode: 0o644 });
  }
  const port = await freePort();
  const config = `
daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 10000000;
  default_type text/plain;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    etag on;
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), config);
  const child: ChildProcess = spawn(binary, ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      return (await fetch(`${url}/`).catch(() => undefined)) !== undefined;
    },
    10_000,
    'nginx',
  );
  const version = spawnSync(binary, ['-v'], { encoding: 'utf8' })
    .stderr.trim()
    .replace(/^nginx version: /, '');
  return {
    url,
    pid: child.pid!,
    workers: 'auto',
    version,
    stop: async () => {
      await stopChild(child, 'SIGQUIT', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
