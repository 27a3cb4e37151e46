import type { Sweeper } from './sweeper.ts';

/** Where job outcomes are logged (pino or console). */
export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A further periodic task run after each sweep (search backfill, class-model retraining). */
export interface PeriodicTask {
  name: string;
  /**
   * Work on shared data that must not run on two nodes at once: the runner skips it while another node holds its
   * lock. Tasks that fill this process's own memory (the class models) run on every node.
   */
  singleton?: boolean;
  run(): Promise<unknown>;
}

/** Runs `fn` unless another node holds the lock `name` (server/db/sql/advisory-lock.ts). */
export type Exclusive = (name: string, fn: () => Promise<unknown>) => Promise<{ ran: boolean }>;

/** The notification outbox worker (outbox-worker.ts): polled on its own, shorter interval. */
export interface OutboxJob {
  readonly intervalMs: number;
  runOnce(): Promise<{ sent: number; retry: number; dead: number }>;
}

/** Runs the durable jobs on an interval and lets shutdown wait for the pass in flight. */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private outboxTimer: NodeJS.Timeout | null = null;
  private outboxRunning: Promise<unknown> | null = null;

  constructor(
    private readonly sweeper: Sweeper,
    private readonly intervalMs: number,
    private readonly log: JobLog,
    private readonly tasks: readonly PeriodicTask[] = [],
    private readonly outbox: OutboxJob | null = null,
    private readonly exclusive: Exclusive = async (_name, fn) => {
      await fn();
      return { ran: true };
    },
  ) {}

  private startOutbox(): void {
    const job = this.outbox;
    if (!job || job.intervalMs <= 0 || this.outboxTimer) return;
    const tick = () => {
      if (this.outboxRunning) return;
      this.outboxRunning = job
        .runOnce()
        .then((r) => {
          if (r.sent + r.retry + r.dead > 0) this.log.info(r, 'outbox delivery');
        })
        .catch((err: unknown) => this.log.error({ err }, 'outbox delivery failed'))
        .finally(() => {
          this.outboxRunning = null;
        });
    };
    this.outboxTimer = setInterval(tick, job.intervalMs);
    this.outboxTimer.unref();
    tick();
  }

  /** Starts the interval (0 disables it, as in tests that drive the sweeper by hand). */
  start(): void {
    this.startOutbox();
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
        if (r.orders > 0) this.log.info({ ...r, ...this.sweeper.lastPass }, 'deadline sweep');
      })
      .catch((err: unknown) => this.log.error({ err }, 'deadline sweep failed'))
      .then(() => this.runTasks())
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  private async runTasks(): Promise<void> {
    for (const t of this.tasks) {
      try {
        if (t.singleton) await this.exclusive(`job:${t.name}`, () => t.run());
        else await t.run();
      } catch (err) {
        this.log.error({ err }, `${t.name} failed`);
      }
    }
  }

  /** Stops the interval and waits for a pass in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.outboxTimer) clearInterval(this.outboxTimer);
    this.outboxTimer = null;
    if (this.running) await this.running;
    if (this.outboxRunning) await this.outboxRunning;
  }
}
