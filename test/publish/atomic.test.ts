/** Atomic file output (publish/atomic.ts) under many writes not awaited one by one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { AtomicWriter } from '../../src/publish/atomic.js';
import { tempDir } from '../helpers/tmp.js';

test('writes that find the buffer full share one wait for its drain: no listener per write, which put Node\'s MaxListenersExceededWarning on stderr past 10 (found by a probe: run compiling a process of 5,000 modifications)', async () => {
  for (const name of ['rows.csv', 'rows.jsonl.gz']) {
    const path = join(tempDir('decp-ocds-atomic-'), name);
    const w = await AtomicWriter.open(path);
    const sink = (w as unknown as { sink: Writable }).sink;
    const before = [sink.listenerCount('drain'), sink.listenerCount('error')];
    const line = (k: number): string => `${k}\t${'x'.repeat(300 * 1024)}\n`;
    // (as run's compile part writes an ocid's rows: each write's promise kept, awaited together)
    const waits: Array<Promise<void>> = [];
    let most = [0, 0];
    for (let k = 0; k < 40; k++) {
      waits.push(w.write(line(k)));
      most = [Math.max(most[0]!, sink.listenerCount('drain') - before[0]!), Math.max(most[1]!, sink.listenerCount('error') - before[1]!)];
    }
    await Promise.all(waits);
    expect([name, most]).toEqual([name, [1, 1]]);
    await w.close();
    await w.commit();
    const text = name.endsWith('.gz') ? (await import('node:zlib')).gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
    expect(text).toBe([...Array(40).keys()].map(line).join(''));
  }
});
