/**
 * A real single-node SLURM cluster for the tests (Debian's slurm-wlm 22.05, installed by
 * scripts/cluster/installSlurm.sh): munge for authentication, a slurm.conf of its own in a temporary folder
 * (state, spool, logs, pid files there too), slurmctld and slurmd started as root, and stopped again with
 * everything they started. Recipe: ../shared/ENVIRONMENT.md.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface SlurmCluster {
  /** Environment for sbatch, squeue, scontrol…: SLURM_CONF points at this cluster. */
  env: NodeJS.ProcessEnv;
  /** Runs a SLURM client command (argument array) against this cluster. */
  run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string };
  stop(): void;
}

/** Why the cluster cannot start here, or undefined. */
export function noSlurmReason(): string | undefined {
  const missing = ['slurmctld', 'slurmd', 'sbatch', 'munged'].filter((p) => spawnSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) return `SLURM is not installed (missing ${missing.join(', ')}); bash scripts/cluster/installSlurm.sh installs it`;
  if (process.getuid?.() !== 0) return 'the test cluster runs slurmctld and slurmd as root';
  return undefined;
}

function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** munge: a key (made once, as Debian's package expects it) and the daemon, unless one already answers. */
function ensureMunge(): boolean {
  if (sh('sh', ['-c', 'munge -n | unmunge']).status === 0) return false;
  const key = '/etc/munge/munge.key';
  if (!existsSync(key)) {
    mkdirSync(path.dirname(key), { recursive: true });
    writeFileSync(key, randomBytes(1024), { mode: 0o400 });
    const uid = Number(sh('id', ['-u', 'munge']).stdout.trim());
    const gid = Number(sh('id', ['-g', 'munge']).stdout.trim());
    if (Number.isInteger(uid)) chownSync(key, uid, gid);
    chmodSync(key, 0o400);
  }
  for (const dir of ['/run/munge', '/var/log/munge', '/var/lib/munge']) mkdirSync(dir, { recursive: true });
  const started = sh('munged', ['--force']);
  if (started.status !== 0) throw new Error(`munged did not start: ${started.stderr.trim()}`);
  for (let i = 0; i < 50 && sh('sh', ['-c', 'munge -n | unmunge']).status !== 0; i++) spawnSync('sleep', ['0.1']);
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** True while the process runs; a zombie (exited, not yet reaped by an init that may never reap it) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ...": the state follows the command name's closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits (bounded) until none of the processes is alive; returns those still alive at the deadline. */
function waitForExit(pids: readonly number[], timeoutMs: number): number[] {
  const deadline = Date.now() + timeoutMs;
  let living = pids.filter(alive);
  while (living.length > 0 && Date.now() < deadline) {
    spawnSync('sleep', ['0.1']);
    living = living.filter(alive);
  }
  return living;
}

/**
 * Ports nothing listens on now, for slurmctld and slurmd: not fixed ones, which a cluster left over by a run
 * that was killed (or any other service) could hold, and whose daemons the clients would then talk to.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const [ctldPort, slurmdPort] = await freePorts(2);
  const dir = path.join(os.tmpdir(), `emotion-lens-slurm-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['state', 'spool', 'log']) mkdirSync(path.join(dir, sub), { recursive: true });
  const host = os.hostname().split('.')[0]!;
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=emotionlens',
    `SlurmctldHost=${host}(127.0.0.1)`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'ReturnToService=2',
    'MpiDefault=none',
    'SchedulerType=sched/backfill',
    'JobCompType=jobcomp/none',
    'AccountingStorageType=accounting_storage/none',
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${slurmdPort}`,
    `StateSaveLocation=${path.join(dir, 'state')}`,
    `SlurmdSpoolDir=${path.join(dir, 'spool')}`,
    `SlurmctldLogFile=${path.join(dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${path.join(dir, 'log', 'slurmd.log')}`,
    `SlurmctldPidFile=${path.join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${path.join(dir, 'slurmd.pid')}`,
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${os.availableParallelism()} RealMemory=8000 State=UNKNOWN`,
    `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const startedMunge = ensureMunge();
  const stop = (): void => {
    const pids = ['slurmd.pid', 'slurmctld.pid'].map((pidFile) => {
      const file = path.join(dir, pidFile);
      return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    }).filter((pid) => pid > 0);
    for (const pid of pids) signal(pid, 'SIGTERM');
    // slurmctld saves its state on SIGTERM: its folder can only go once it has exited (else ENOTEMPTY).
    const stragglers = waitForExit(pids, 15_000);
    for (const pid of stragglers) signal(pid, 'SIGKILL');
    waitForExit(stragglers, 5_000);
    // Job steps a killed slurmd leaves behind.
    sh('pkill', ['-f', `slurmstepd.*${dir}`]);
    if (startedMunge) sh('sh', ['-c', 'kill "$(cat /run/munge/munged.pid)"']);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  for (const [daemon, args] of [['slurmctld', ['-f', conf]], ['slurmd', ['-f', conf]]] as const) {
    const started = sh(daemon, [...args], env);
    if (started.status !== 0) {
      stop();
      throw new Error(`${daemon} did not start: ${started.stderr.trim()}`);
    }
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = sh('sinfo', ['-h', '-o', '%t'], env).stdout.trim();
    if (state === 'idle') break;
    if (Date.now() > deadline) {
      const logs = ['slurmctld.log', 'slurmd.log'].map((f) => readFileSync(path.join(dir, 'log', f), 'utf8').split('\n').slice(-5).join('\n')).join('\n');
      stop();
      throw new Error(`the test cluster's node is '${state}', not idle, after 30 s:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { env, run: (command, args) => sh(command, args, env), stop };
}
