/**
 * What `sluice start` has started, stopped in reverse order: on a signal, when the process that
 * ran it goes away, or when starting fails half way. Each step is bounded by the shared
 * deadline; one failing step does not keep the others from running.
 */
export class Teardown {
  private readonly steps: { name: string; stop: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, stop: () => Promise<void> | void) {
    this.steps.push({ name, stop });
  }

  run(onError: (name: string, error: unknown) => void = () => {}): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.stop();
        } catch (error) {
          onError(step.name, error);
        }
      }
    })();
    return this.running;
  }
}

export const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `stop` on SIGINT, SIGTERM or SIGHUP, and when the parent process dies (`npm start`
 * killed: npm forwards only some signals, and a dead parent re-parents us). A second signal
 * exits at once; `stop` past `timeoutMs` exits with code 1. Either way the `exit` hooks run.
 */
export function stopOnSignals(
  stop: (reason: string) => Promise<void>,
  options: { timeoutMs: number; onForcedExit?: (reason: string) => void },
) {
  let stopping = false;
  const parentAtStart = process.ppid;
  const handle = (reason: string) => {
    if (stopping) {
      options.onForcedExit?.(`${reason} while stopping: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const deadline = setTimeout(() => {
      options.onForcedExit?.('stopping took too long: exiting');
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    stop(reason).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => handle(signal));
  const watch = setInterval(() => {
    if (process.ppid !== parentAtStart) handle('parent process exited');
  }, 1_000);
  watch.unref();
}
