/**
 * Output helpers shared by every command: evaluation and benchmark commands print a table for people
 * and, as their very last line, one JSON object for machines.
 */

export type Cell = string | number | boolean | null | undefined;

function formatCell(value: Cell): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  return value == null ? '' : String(value);
}

/** Renders rows as an aligned plain-text table (first row's keys are the columns). */
export function formatTable(rows: ReadonlyArray<Record<string, Cell>>): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  const body = rows.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function printTable(rows: ReadonlyArray<Record<string, Cell>>): void {
  process.stdout.write(formatTable(rows) + '\n');
}

/** The machine-readable result: always the last line a suite prints. */
export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

/**
 * A progress bar on stderr (so stdout stays parseable). Redraws at most every 100 ms and only on a TTY;
 * elsewhere it prints a line at each 10% step so CI logs show progress without flooding.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  tick(n = 1): void {
    this.done += n;
    this.draw(false);
  }

  finish(): void {
    this.draw(true);
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private draw(force: boolean): void {
    const now = Date.now();
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const rate = this.done / Math.max(0.001, (now - this.started) / 1000);
    const text = `${this.label} ${this.done}/${this.total} (${(fraction * 100).toFixed(0)}%, ${rate.toFixed(1)}/s)`;
    if (this.stream.isTTY) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (!force && decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(text + '\n');
    }
  }
}

/** Reads a file path or `-` (stdin) as UTF-8 text. */
export async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8');
}
