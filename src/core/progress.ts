/**
 * A progress line on stderr for people at a terminal: files done, records,
 * rate and an estimate of the time left. Cron runs (no terminal) get the plain
 * log lines instead.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  start(files: number): void;
  /** A file is done, with its records. */
  file(records: number): void;
  /** The bar is cleared for good (again: no effect). */
  done(): void;
  /**
   * Text for the same stream (log lines, newline-terminated): the bar's line is cleared first, so
   * that a line never follows the bar on the terminal, and the bar is drawn again below it.
   */
  print(text: string): void;
}

const duration = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

export function progressLine(p: { files: number; total: number; records: number; seconds: number }): string {
  const rate = p.seconds > 0 ? p.records / p.seconds : 0;
  const left = p.files > 0 && p.files < p.total ? (p.seconds / p.files) * (p.total - p.files) : 0;
  return `files ${p.files}/${p.total} · ${p.records.toLocaleString('en-US')} records · ${Math.round(rate).toLocaleString('en-US')} rec/s${left > 0 ? ` · ETA ${duration(left)}` : ''}`;
}

export function createProgress(stream: Writable, isTTY: boolean, enabled: boolean, now: () => number = () => performance.now()): Progress | undefined {
  if (!enabled || !isTTY) return undefined;
  let total = 0;
  let files = 0;
  let records = 0;
  let t0 = now();
  /** Is the bar on the screen (started, not done)? */
  let shown = false;
  const CLEAR = '\r\x1b[2K';
  const bar = (): string => progressLine({ files, total, records, seconds: (now() - t0) / 1000 });
  const draw = (): void => {
    shown = true;
    stream.write(`${CLEAR}${bar()}`);
  };
  return {
    start(n) {
      total = n;
      t0 = now();
      draw();
    },
    file(n) {
      files++;
      records += n;
      draw();
    },
    done() {
      if (shown) stream.write(CLEAR);
      shown = false;
    },
    print(text) {
      // one write: the cleared line, the text, the bar again
      stream.write(shown ? `${CLEAR}${text}${bar()}` : text);
    },
  };
}
