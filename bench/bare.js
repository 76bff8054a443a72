/**
 * The bare pass over JSON Lines (the baseline of compile): read in 1 MiB chunks split at line breaks
 * (no readline), JSON.parse and JSON.stringify each line, nothing written. Also a worker thread's
 * body: given `workerData` ({ file, start, end }), it posts the count of its lines.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Lines of `file` between the byte offsets `start` (a line's first byte) and `end` (excluded), each parsed and stringified. */
export async function bareCount(file, start, end) {
  let records = 0;
  let rest = null;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, start, ...(end === Infinity ? {} : { end: end - 1 }) })) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let at = 0;
    for (let nl = buf.indexOf(10, at); nl >= 0; at = nl + 1, nl = buf.indexOf(10, at)) {
      if (nl > at) {
        JSON.stringify(JSON.parse(buf.toString('utf8', at, nl)));
        records++;
      }
    }
    rest = at < buf.length ? buf.subarray(at) : null;
  }
  if (rest && rest.length > 0) {
    JSON.stringify(JSON.parse(rest.toString('utf8')));
    records++;
  }
  return records;
}

/** The file as two byte ranges cut just after the first line break past its middle. */
export function halves(file) {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let at = Math.floor(size / 2); at < size; at += buf.length) {
      const n = readSync(fd, buf, 0, buf.length, at);
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) return [[0, at + nl + 1], [at + nl + 1, size]];
    }
    return [[0, size], [size, size]];
  } finally {
    closeSync(fd);
  }
}

if (!isMainThread && workerData) parentPort.postMessage(await bareCount(workerData.file, workerData.start, workerData.end));
