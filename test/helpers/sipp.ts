/**
 * SIPp (Debian package `sip-tester`) as a scripted phone. Tests call ensureSipp() once: on a fresh
 * CI machine it installs the package under the shared apt lock when we are root on Debian, and
 * fails loudly otherwise; nothing is skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianTool } from './debian-tool.js';

const FIXTURES = new URL('../fixtures/sipp/', import.meta.url).pathname;

/** Absolute path of sipp, installing sip-tester first when missing (root on Debian only). */
export function ensureSipp(): string {
  return ensureDebianTool('sipp', 'sip-tester');
}

export type SippScenario = 'notify-200' | 'notify-481' | 'notify-silent';

export interface ReceivedMessage {
  transport: 'UDP' | 'TCP';
  raw: string;
}

export interface SippUas {
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** Every message SIPp received so far, retransmissions included, in arrival order. */
  received(): ReceivedMessage[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True once something holds the port: our own bind attempt fails with EADDRINUSE. */
function portTaken(port: number, transport: 'udp' | 'tcp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (transport === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(true));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
    } else {
      const server = createServer();
      server.once('error', () => resolve(true));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
    }
  });
}

export async function startSippUas(scenario: SippScenario, transport: 'udp' | 'tcp'): Promise<SippUas> {
  const sipp = ensureSipp();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const messageFile = join(dir, 'messages.log');
  const args = ['-sf', join(FIXTURES, `${scenario}.xml`), '-i', '127.0.0.1', '-p', String(port)];
  args.push('-t', transport === 'udp' ? 'u1' : 't1', '-nostdin', '-trace_msg', '-message_file', messageFile);
  const child: ChildProcess = spawn(sipp, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`sipp exited early (${child.exitCode}): ${stderr}`);
    if (await portTaken(port, transport)) break;
    if (i > 200) throw new Error('sipp did not bind its port within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    host: '127.0.0.1',
    port,
    transport,
    received: () => parseMessageFile(existsSync(messageFile) ? readFileSync(messageFile, 'utf8') : ''),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SIPp's -trace_msg file: entries separated by dashed date lines, each naming its direction. */
export function parseMessageFile(text: string): ReceivedMessage[] {
  const entries = text.split(/^-{10,} \d{4}-\d\d-\d\d [\d:.]+\r?\n/m);
  const received: ReceivedMessage[] = [];
  for (const entry of entries) {
    const header = /^(UDP|TCP) message received \[(\d+)\] bytes :\r?\n\r?\n/.exec(entry);
    if (!header) continue;
    const bytes = Buffer.from(entry.slice(header[0].length), 'utf8').subarray(0, Number(header[2]));
    received.push({ transport: header[1] as 'UDP' | 'TCP', raw: bytes.toString('utf8') });
  }
  return received;
}
