import type { Sweeper } from './sweeper.ts';

/** Where job outcomes are logged (pino or console). */
export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Runs the durable jobs on an interval and lets shutdown wait for the pass in flight. */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sweeper: Sweeper,
    private readonly intervalMs: number,
    private readonly log: JobLog,
  ) {}

  /** Starts the interval (0 disables it, as in tests that drive the sweeper by hand). */
  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweeper
      .runOnce()
      .then((r) => {
        if (r.orders > 0) this.log.info(r, 'deadline sweep');
      })
      .catch((err: unknown) => this.log.error({ err }, 'deadline sweep failed'))
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  /** Stops the interval and waits for a pass in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running;
  }
}
