import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

/**
 * A service process the local cloud started (DynamoDB Local's JVM, cognito-local) and must
 * not leave behind. It keeps the last lines of output to explain a failed start.
 */
export class ManagedProcess {
  private readonly output: string[] = [];
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly killGroup: boolean,
  ) {
    const remember = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 30));
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve();
      });
      child.once('error', (error) => {
        this.output.push(String(error));
        this.exitCode = -1;
        resolve();
      });
    });
    // Last resort on any exit of this process (even an uncaught exception): no orphans.
    process.once('exit', () => this.signal('SIGKILL'));
  }

  /** Set once the process has ended during start-up; the caller stops waiting for it. */
  failure(): Error | undefined {
    if (this.exitCode === undefined) return undefined;
    return new Error(`${this.name} exited (code ${this.exitCode}) while starting:\n${this.output.join('\n')}`);
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.signal('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), delay(5_000).then(() => false)]);
    if (!stopped) {
      this.signal('SIGKILL');
      await this.exited;
    }
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exitCode !== undefined || this.child.pid === undefined) return;
    try {
      // A negative pid signals the whole process group: the shell wrapper and what it started.
      process.kill(this.killGroup ? -this.child.pid : this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions & { killGroup?: boolean }): ManagedProcess {
  const { killGroup = false, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions, detached: killGroup });
  return new ManagedProcess(name, child, killGroup);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
