import { spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { ensureDir, logTail, runSync, startChild, stopChild, waitFor, waitForChild } from './processes.js';
import { findOrInstallRedisServer } from './redis.js';

/**
 * A real Redis Cluster on loopback for tests and the scale test: `masters` masters with
 * `replicasPerMaster` replicas each, made by `redis-cli --cluster create`. Data lives in a
 * temporary folder that stop() removes; nothing persists (no RDB, no AOF).
 */
export interface LocalRedisCluster {
  /** `redis://127.0.0.1:p1,127.0.0.1:p2,…`: every node, as PROVD_REDIS_URL. */
  url: string;
  nodes: ClusterNode[];
  /** Kills one node (SIGKILL), e.g. a master, to watch a failover. */
  kill: (port: number) => Promise<void>;
  stop: () => Promise<void>;
}

export interface ClusterNode {
  port: number;
  child: ChildProcess;
}

export interface RedisClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  /** cluster-node-timeout: how long until a silent master is failed over. Short for tests. */
  nodeTimeoutMs?: number;
  dataDir?: string;
}

/** redis-cli ships with redis-server in Debian (redis-tools); install it as root when missing. */
export function findOrInstallRedisCli(): string {
  const which = () => spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).stdout.trim();
  if (which()) return which();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'redis-tools'], { stdio: 'ignore', env });
  }
  if (which()) return which();
  throw new Error('redis-cli not found: install it (Debian/Ubuntu: `sudo apt-get install -y redis-tools`)');
}

function cli(binary: string, port: number, ...args: string[]): string {
  return runSync(binary, ['-h', '127.0.0.1', '-p', String(port), ...args]);
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<LocalRedisCluster> {
  const server = findOrInstallRedisServer();
  const redisCli = findOrInstallRedisCli();
  const masters = options.masters ?? 3;
  const count = masters * (1 + (options.replicasPerMaster ?? 1));
  const root = options.dataDir ?? mkdtempSync(join(tmpdir(), 'provd-redis-cluster-'));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => stopChild(node.child, 'SIGTERM', 5000)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const dir = join(root, String(port));
      ensureDir(dir);
      const logPath = join(dir, 'redis.log');
      const log = openSync(logPath, 'a');
      const child = startChild(
        server,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          String(options.nodeTimeoutMs ?? 2000),
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'noeviction',
        ],
        { logFile: log },
      );
      closeSync(log);
      nodes.push({ port, child });
      await waitForChild(
        child,
        async () => cli(redisCli, port, 'ping').trim() === 'PONG',
        10_000,
        `redis cluster node ${port}`,
        () => logTail(logPath, 0),
      );
    }
    runSync(redisCli, [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      String(options.replicasPerMaster ?? 1),
      '--cluster-yes',
    ]);
    // Every node must agree the cluster is whole (and know its replicas, which a failover needs)
    // before a client's first CLUSTER SLOTS.
    const replicas = count - masters;
    await waitFor(
      async () =>
        nodes.every(
          (node) =>
            cli(redisCli, node.port, 'cluster', 'info').includes('cluster_state:ok') &&
            cli(redisCli, node.port, 'cluster', 'nodes')
              .split('\n')
              .filter((line) => (line.split(' ')[2] ?? '').split(',').includes('slave')).length === replicas,
        ),
      20_000,
      'redis cluster state ok on every node',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`,
    nodes,
    kill: async (port) => {
      const node = nodes.find((candidate) => candidate.port === port);
      if (node) await stopChild(node.child, 'SIGKILL', 1000);
    },
    stop,
  };
}

/** Ports of the current masters (as one living node sees it). */
export function clusterMasters(cluster: LocalRedisCluster): number[] {
  const redisCli = findOrInstallRedisCli();
  for (const node of cluster.nodes) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) continue;
    const text = cli(redisCli, node.port, 'cluster', 'nodes');
    // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <state> <slots…>: masters serving slots.
    return text
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => (fields[2] ?? '').split(',').includes('master') && fields[7] === 'connected' && fields[8])
      .map((fields) => Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]))
      .filter((port) => port > 0);
  }
  return [];
}
