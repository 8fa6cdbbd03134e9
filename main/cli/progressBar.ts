/**
 * A one-line progress bar on stderr (count, rate, ETA). On a terminal it redraws in place; when
 * stderr is a file or pipe it prints a line every few seconds instead, so logs stay readable.
 */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastLineAt = 0;
  private lastWidth = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly unit: string,
    private readonly enabled = true,
  ) {}

  update(done: number, total: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    const finished = done >= total;
    if (!finished && now - this.lastLineAt < (this.tty ? 100 : 5000)) return;
    this.lastLineAt = now;
    const seconds = Math.max((now - this.startedAt) / 1000, 1e-3);
    const rate = done / seconds;
    const eta = rate > 0 && total > done ? formatDuration((total - done) / rate) : '0s';
    const fraction = total > 0 ? Math.min(done / total, 1) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line =
      `${this.label} ${bar} ${done}/${total} ${this.unit} ` +
      `${rate.toFixed(rate < 10 ? 1 : 0)}/s ETA ${eta}${extra ? `  ${extra}` : ''}`;
    if (this.tty) {
      process.stderr.write(`\r${line.padEnd(this.lastWidth)}`);
      this.lastWidth = line.length;
      if (finished) process.stderr.write('\n');
    } else {
      process.stderr.write(`${line}\n`);
    }
  }

  /** Ends the line when the work stopped before reaching its total. */
  end(): void {
    if (this.enabled && this.tty && this.lastWidth > 0) process.stderr.write('\n');
    this.lastWidth = 0;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
