import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One page's shell: every step runs in its own `bash` process with `-e -o pipefail`, but
 * starts where the previous step ended: its shell variables (exported or not), functions and
 * working directory are saved when a step exits (an EXIT trap, also when it fails) and restored
 * before the next one. A process per step, rather than one long-lived bash fed through stdin,
 * keeps each step's exit status, output and time limit its own: a step that exits or is killed
 * at its time limit does not take the session with it.
 *
 * Not carried over: shell options (`set -x`), traps, aliases, and an `unset` of a variable
 * the runner's environment has.
 */
export interface StepRun {
  /** The exit status; null when the step was killed at its time limit. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/** Variables bash manages itself, or that belong to one process (never restored). */
const NOT_CARRIED =
  '__ws_*|BASH|BASH_*|BASHOPTS|BASHPID|SHELLOPTS|EUID|UID|PPID|GROUPS|FUNCNAME|PIPESTATUS|DIRSTACK|RANDOM|SRANDOM|SECONDS|LINENO|HISTCMD|EPOCHSECONDS|EPOCHREALTIME|COMP_*|_|OPTIND|OPTARG|PWD|OLDPWD|SHLVL|COLUMNS|LINES';

const PRELUDE = (directory: string) => `__ws_dir=${quote(directory)}
__ws_save() {
  local __ws_status=$1 __ws_name __ws_decl __ws_attrs
  {
    for __ws_name in $(compgen -v); do
      case $__ws_name in ${NOT_CARRIED}) continue ;; esac
      __ws_decl=$(declare -p "$__ws_name" 2>/dev/null) || continue
      __ws_attrs=\${__ws_decl#declare -}
      __ws_attrs=\${__ws_attrs%% *}
      case $__ws_attrs in *r*) continue ;; esac
      printf '%s\\n' "$__ws_decl"
    done
    declare -f
  } >"$__ws_dir/state.sh" 2>/dev/null
  pwd >"$__ws_dir/cwd"
  exit "$__ws_status"
}
source "$__ws_dir/state.sh"
cd -- "$(<"$__ws_dir/cwd")"
trap '__ws_save $?' EXIT
set -e -o pipefail
`;

const MAX_OUTPUT = 1024 * 1024;

export class ShellSession {
  /** Every step's process group: close() ends what a step left running in the background. */
  private readonly groups = new Set<number>();

  private constructor(
    private readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A fresh session in `cwd` (the repository root), with `env` as every step's environment. */
  static async open(cwd: string, env: NodeJS.ProcessEnv): Promise<ShellSession> {
    const directory = await mkdtemp(join(tmpdir(), 'workshop-shell-'));
    await writeFile(join(directory, 'state.sh'), '');
    await writeFile(join(directory, 'cwd'), `${cwd}\n`);
    return new ShellSession(directory, env);
  }

  async run(command: string, timeoutSeconds: number): Promise<StepRun> {
    const script = join(this.directory, 'step.sh');
    // The step's own text follows the prelude unchanged, so `exit 3` and `set -e` act as in a terminal.
    await writeFile(script, `${PRELUDE(this.directory)}${command}\n`);
    const started = performance.now();
    const child = spawn('bash', ['--noprofile', '--norc', script], {
      cwd: this.directory,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a time limit kills whatever the step started (npm, node, curl).
      detached: true,
    });
    if (child.pid !== undefined) this.groups.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(0, MAX_OUTPUT)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(0, MAX_OUTPUT)));

    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => child.pid !== undefined && killProcessGroup(child.pid, signal);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 2_000).unref();
    }, timeoutSeconds * 1_000);

    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      // 'exit', then a moment for the pipes: a process the step left in the background may
      // hold them open, and must not hold the step.
      child.on('exit', (code, signal) => {
        const done = () => resolve(signal === null ? code : null);
        if (child.stdout.readableEnded && child.stderr.readableEnded) done();
        else {
          const grace = setTimeout(done, 500);
          child.on('close', () => {
            clearTimeout(grace);
            done();
          });
        }
      });
    });
    clearTimeout(timer);
    return { exitCode: timedOut ? null : exitCode, stdout, stderr, timedOut, durationMs: Math.round(performance.now() - started) };
  }

  async close(): Promise<void> {
    for (const group of this.groups) killProcessGroup(group, 'SIGKILL');
    await rm(this.directory, { recursive: true, force: true });
  }
}

function killProcessGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // Already gone.
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
