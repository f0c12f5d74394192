/**
 * Real `redis-server` processes on free loopback ports, started by the test that needs them and
 * killed by pid afterwards:
 * `import { startRedis, startRedisCluster } from '@roomcast/test-support/redis-process'`.
 *
 * Never touches the Redis on 6379: every port comes from the kernel (listen on port 0, close).
 * Every wait is bounded in tries and time.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisProcess {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The pid of the current server process (changes after `restart()`). */
  readonly pid: number | undefined;
  /** Kills the server with SIGKILL (no shutdown, no goodbye to clients) and waits for its exit. */
  kill(): Promise<void>;
  /** Starts a fresh server on the same port (data is gone: persistence is off). */
  restart(): Promise<void>;
  /** Kills the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisClusterProcess {
  /** The masters, as ioredis `Cluster` startup nodes. */
  readonly nodes: { host: string; port: number }[];
  readonly processes: RedisProcess[];
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A crashed test run must not leave servers behind: kill whatever is still ours on exit.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port the kernel just handed out on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>(resolve => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/** Sends one inline command and resolves with the raw reply (enough for PING and INFO). */
export function rawCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', error => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
    socket.on('data', chunk => {
      reply += chunk.toString('utf8');
      if (isCompleteReply(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  });
}

function isCompleteReply(reply: string): boolean {
  if (!reply.endsWith('\r\n')) return false;
  if (!reply.startsWith('$')) return true;
  const header = reply.indexOf('\r\n');
  const length = Number(reply.slice(1, header));
  return length < 0 || reply.length >= header + 2 + length + 2;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  failed: () => boolean = () => false,
  // Generous: on a loaded 2-core CI machine a fork + exec can take seconds.
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    if (await check().catch(() => false)) return;
    if (failed()) throw new Error(`gave up waiting for ${what}: the process exited`);
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface StartRedisOptions {
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  args?: string[];
}

/**
 * Starts `redis-server` on a free port (or `port`) and resolves once it answers PING.
 *
 * @example
 * const redis = await startRedis();
 * const client = new Redis(redis.port, '127.0.0.1');
 * afterAll(() => redis.stop());
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), `roomcast-redis-${port}-`));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    child = started;
    live.add(started);
    started.once('exit', () => live.delete(started));
    try {
      await waitFor(
        `redis-server on port ${port}`,
        // -NOAUTH: up, and guarded by --requirepass.
        async () => /^(\+PONG|-NOAUTH)/.test(await rawCommand(port, 'PING')),
        () => started.exitCode !== null,
      );
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
  };

  const kill = async (): Promise<void> => {
    const current = child;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>(resolve => current.once('exit', () => resolve()));
    current.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    get pid() {
      return child?.pid;
    },
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a 3-master Redis Cluster (no replicas) and resolves once every node says
 * `cluster_state:ok`. Each node gets its own free cluster-bus port (`cluster-port`, Redis 7), so
 * nothing depends on `port + 10000` being free.
 *
 * @example
 * const cluster = await startRedisCluster();
 * const client = new Cluster(cluster.nodes);
 * afterAll(() => cluster.stop());
 */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const processes: RedisProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const busPort = await freePort();
      const port = await freePort();
      processes.push(
        await startRedis({
          port,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(busPort),
            // Relative to the server's own temporary --dir, so stop() removes it too.
            '--cluster-config-file',
            `nodes-${port}.conf`,
            // The handshake of `--cluster create` is dropped after this long: short values fail
            // on a loaded machine.
            '--cluster-node-timeout',
            '10000',
          ],
        }),
      );
    }
    const addresses = processes.map(p => `127.0.0.1:${p.port}`);
    await execFileAsync('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const node of processes) {
      await waitFor(`cluster_state:ok on ${node.port}`, async () =>
        (await rawCommand(node.port, 'CLUSTER INFO')).includes('cluster_state:ok'),
      );
    }
  } catch (error) {
    await Promise.all(processes.map(p => p.stop()));
    throw error;
  }
  return {
    nodes: processes.map(p => ({ host: p.host, port: p.port })),
    processes,
    stop: async () => {
      await Promise.all(processes.map(p => p.stop()));
    },
  };
}

function execFileAsync(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}
