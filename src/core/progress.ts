/**
 * A progress line on stderr for people at a terminal: files done, records,
 * rate and an estimate of the time left. Cron runs (no terminal) get the plain
 * log lines instead.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  start(files: number): void;
  /** A file is done, with its records (those not counted already by `read`). */
  file(records: number): void;
  /** More records read in files not done yet (drawn at most every 200 ms). */
  read(records: number): void;
  /** A stage after reading (compile's buckets): `label done/total`, with its own ETA. */
  step(label: string, done: number, total: number): void;
  /** The bar is cleared for good (again: no effect). */
  done(): void;
  /**
   * Text for the same stream (log lines, newline-terminated): the bar's line is cleared first, so
   * that a line never follows the bar on the terminal, and the bar is drawn again below it.
   */
  print(text: string): void;
}

/**
 * What reading tells a progress bar (IngestOptions.watch): how many files the inputs are, then each
 * batch of events as it is read. `file` is for a file read elsewhere (a worker thread): its records.
 */
export interface ReadWatch {
  files(n: number): void;
  batch(events: ReadonlyArray<{ readonly type: string }>): void;
  file(records: number): void;
  step(label: string, done: number, total: number): void;
}

/** The watch that draws reading on `progress` (none without a bar). */
export function readWatch(progress: Progress | undefined): ReadWatch | undefined {
  if (progress === undefined) return undefined;
  return {
    files: (n) => progress.start(n),
    batch(events) {
      let n = 0;
      for (const e of events) {
        if (e.type === 'record' || e.type === 'reject' || e.type === 'release-text') n++;
        else if (e.type === 'file-end') {
          progress.file(n);
          n = 0;
        }
      }
      if (n > 0) progress.read(n);
    },
    file: (records) => progress.file(records),
    step: (label, done, total) => progress.step(label, done, total),
  };
}

const duration = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

export function progressLine(p: { files: number; total: number; records: number; seconds: number; step?: { label: string; done: number; total: number; seconds: number } | undefined }): string {
  const rate = p.seconds > 0 ? p.records / p.seconds : 0;
  const records = `${p.records.toLocaleString('en-US')} records`;
  if (p.step !== undefined) {
    const s = p.step;
    const left = s.done > 0 && s.done < s.total ? (s.seconds / s.done) * (s.total - s.done) : 0;
    return `${s.label} ${s.done}/${s.total} · ${records}${left > 0 ? ` · ETA ${duration(left)}` : ''}`;
  }
  const left = p.files > 0 && p.files < p.total ? (p.seconds / p.files) * (p.total - p.files) : 0;
  return `files ${p.files}/${p.total} · ${records} · ${Math.round(rate).toLocaleString('en-US')} rec/s${left > 0 ? ` · ETA ${duration(left)}` : ''}`;
}

export function createProgress(stream: Writable, isTTY: boolean, enabled: boolean, now: () => number = () => performance.now()): Progress | undefined {
  if (!enabled || !isTTY) return undefined;
  let total = 0;
  let files = 0;
  let records = 0;
  let t0 = now();
  let step: { label: string; done: number; total: number; t0: number } | undefined;
  /** Is the bar on the screen (started, not done)? */
  let shown = false;
  let drawn = Number.NEGATIVE_INFINITY;
  const CLEAR = '\r\x1b[2K';
  const bar = (): string => {
    const t = now();
    return progressLine({ files, total, records, seconds: (t - t0) / 1000, step: step && { label: step.label, done: step.done, total: step.total, seconds: (t - step.t0) / 1000 } });
  };
  const draw = (): void => {
    shown = true;
    drawn = now();
    stream.write(`${CLEAR}${bar()}`);
  };
  // (a batch of records every few milliseconds: the terminal is written to five times a second)
  const drawSometimes = (): void => {
    if (now() - drawn >= 200) draw();
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
    read(n) {
      records += n;
      drawSometimes();
    },
    step(label, done, n) {
      if (step === undefined || step.label !== label) step = { label, done, total: n, t0: now() };
      step.done = done;
      step.total = n;
      drawSometimes();
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
