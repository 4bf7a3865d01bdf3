// A progress bar on stderr for long work: done/total, rate, ETA and a free-form status
// (loss, cooperation rate…). Redraws at most every 100 ms; prints nothing when stderr is
// not a terminal unless asked to, so logs and --json output stay clean.
import type { CliIo } from './context.js';

export interface ProgressOptions {
  total: number;
  label: string;
  unit?: string;
  /** Print plain periodic lines when stderr is not a TTY (default: silent). */
  logWhenNotTty?: boolean;
  quiet?: boolean;
}

export class ProgressBar {
  private done = 0;
  private status = '';
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly io: CliIo,
    private readonly opts: ProgressOptions,
  ) {
    this.tty = Boolean(io.stderr.isTTY) && !opts.quiet;
  }

  update(done: number, status?: string): void {
    this.done = done;
    if (status !== undefined) this.status = status;
    const now = Date.now();
    if (now - this.lastDraw < (this.tty ? 100 : 5000)) return;
    this.lastDraw = now;
    this.draw(false);
  }

  finish(status?: string): void {
    if (status !== undefined) this.status = status;
    this.done = Math.max(this.done, this.opts.total);
    this.draw(true);
  }

  private draw(final: boolean): void {
    if (this.opts.quiet || (!this.tty && !this.opts.logWhenNotTty && !final)) return;
    if (!this.tty && !this.opts.logWhenNotTty) return;
    const { total, label, unit = 'it' } = this.opts;
    const secs = (Date.now() - this.started) / 1000;
    const rate = this.done / Math.max(secs, 1e-3);
    const frac = total > 0 ? Math.min(1, this.done / total) : 0;
    const eta = rate > 0 && total > this.done ? (total - this.done) / rate : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const line = `${label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${fmt(this.done)}/${fmt(total)} ${unit} · ${fmt(rate)} ${unit}/s · ${final ? `${secs.toFixed(1)} s` : `ETA ${eta.toFixed(0)} s`}${this.status ? ' · ' + this.status : ''}`;
    if (this.tty) this.io.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else this.io.stderr.write(line + '\n');
  }
}

function fmt(n: number): string {
  if (n >= 1e6) return (n / 1e6).toFixed(2) + 'M';
  if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
