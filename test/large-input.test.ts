// Large CSV inputs are streamed: an event log of 2,000,000 rows and a per-interval CSV at the
// finest grid a scenario allows (one row per minute for a year) load exactly, under a heap cap
// that holding their rows would break; and what a reader sees never depends on the chunking.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readCsv, type CsvSource } from '../src/scenario/csv.js';
import { countByte, invalidUtf8At, Utf8Stream } from '../src/scenario/utf8.js';
import fc from 'fast-check';
import { scenarioFromYaml } from './helpers.js';

const root = join(import.meta.dirname, '..');
const HEAP_MB = 32; // the streamed loads fit in 16 (measured); the whole-file read needs well over 64

/** Counted per minute, the event log's arrivals: a deterministic, uneven pattern. */
const perMinute = (m: number) => 30 + ((m * 7919) % 33);
const DAYS = 30;
const MINUTES = DAYS * 1440;
const START_MS = Date.parse('2026-10-20T00:00:00+08:00');

/** `2026-10-20T00:07:` for a minute of the horizon (local time +08:00). */
function minutePrefix(m: number): string {
  return new Date(START_MS + 8 * 3600e3 + m * 60e3).toISOString().slice(0, 17);
}

/** Writes rows in blocks, never holding the file (the writer must be as frugal as the reader). */
function writeLines(path: string, header: string, each: (emit: (line: string) => void) => void): void {
  const fd = openSync(path, 'w');
  let buf: string[] = [header];
  const emit = (line: string) => {
    buf.push(line);
    if (buf.length >= 20000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; }
  };
  each(emit);
  writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
}

let dir: string;
let logRows = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'peakplan-large-'));
  // An order export: one row per order, minutes visited out of order (stride 7), seconds spread.
  writeLines(join(dir, 'orders.csv'), 'order_id,created_at,amount', (emit) => {
    for (let k = 0; k < MINUTES; k++) {
      const m = (k * 7) % MINUTES;
      const prefix = minutePrefix(m);
      for (let j = 0; j < perMinute(m); j++) {
        emit(`${logRows},${prefix}${String((j * 13) % 60).padStart(2, '0')}+08:00,${(j % 9) + 1}.90`);
        logRows++;
      }
    }
  });
  // Per-interval volumes at one-minute intervals over a whole year: 527,040 rows.
  writeLines(join(dir, 'volumes.csv'), 'interval_start,volume', (emit) => {
    for (let m = 0; m < 366 * 1440; m++) emit(`${minutePrefix(m)}00+08:00,${m % 11}`);
  });
  writeFileSync(join(dir, 'log.yaml'), `
name: event log
calendar: { start: 2026-10-20T00:00+08:00, horizon: ${DAYS}d, interval: 15m }
intents: [presale, other]
channels: { chat: { patience: none } }
orders:
  curve: { csv: orders.csv, timestamps: created_at, scale: 1.5 }
  categories: { all: { share: 1, returnRate: 0 } }
  causes: [{ channel: chat, intent: presale, perOrder: 0.1, lag: { exponential: 1h } }]
demand:
  - { channel: chat, intent: other, curve: { shape: flat, total: 100 } }
pools:
  - { name: p, channel: chat, skills: [presale, other], handleTime: { default: { exponential: 1m } }, staffing: 5 }
`);
  writeFileSync(join(dir, 'year.yaml'), `
name: a year by the minute
calendar: { start: 2026-10-20T00:00+08:00, horizon: 366d, interval: 1m }
intents: [other]
channels: { chat: { patience: none } }
demand:
  - { channel: chat, intent: other, curve: { csv: volumes.csv } }
pools:
  - { name: p, channel: chat, skills: [other], handleTime: { default: { exponential: 1m } }, staffing: 5 }
`);
  // The child loads a scenario under the heap cap and reports the curve it got, per step.
  writeFileSync(join(dir, 'load.mjs'), `
import { loadScenario } from ${JSON.stringify(pathToFileURL(join(root, 'dist/scenario/load.js')).href)};
const s = loadScenario(process.argv[2]);
const c = (s.orders ?? s.demand[0]).curve;
const counts = Array.from(c.rates, (r, i) => Math.round(r * Math.min(c.stepSec, s.calendar.horizonSec - i * c.stepSec) * 1e6) / 1e6);
process.stdout.write(JSON.stringify({ stepSec: c.stepSec, counts }));
`);
  // The control: the same file read whole and parsed into rows, as before streaming.
  writeFileSync(join(dir, 'whole.mjs'), `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const { parse } = createRequire(${JSON.stringify(join(root, 'package.json'))})('csv-parse/sync');
const rows = parse(readFileSync(process.argv[2], 'utf8'), { info: true, skip_empty_lines: true, trim: true });
process.stdout.write(String(rows.length));
`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const capped = (script: string, arg: string) =>
  spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, join(dir, script), join(dir, arg)], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe('large CSV inputs, streamed', () => {
  it(`an order export of ~2,000,000 rows loads under a ${HEAP_MB} MB heap, counted exactly per minute`, () => {
    expect(logRows).toBeGreaterThan(1_900_000);
    const r = capped('load.mjs', 'log.yaml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { stepSec, counts } = JSON.parse(r.stdout) as { stepSec: number; counts: number[] };
    expect(stepSec).toBe(60);
    expect(counts.length).toBe(MINUTES);
    let total = 0;
    for (let m = 0; m < MINUTES; m++) {
      expect(counts[m]).toBe(1.5 * perMinute(m));
      total += counts[m];
    }
    expect(total).toBe(1.5 * logRows);
  });

  it('a per-interval CSV of 527,040 rows (a year by the minute) loads under the same cap, exactly', () => {
    const r = capped('load.mjs', 'year.yaml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { counts } = JSON.parse(r.stdout) as { counts: number[] };
    expect(counts.length).toBe(366 * 1440);
    expect(counts.every((v, m) => v === m % 11)).toBe(true);
  });

  it(`the cap is tight: reading the export whole into rows fails under ${HEAP_MB} MB`, () => {
    const r = capped('whole.mjs', 'orders.csv');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/heap out of memory|Invalid string length/);
  });
});

/** A source that cuts the bytes into chunks of `size` (1 splits every multi-byte character). */
function chunked(bytes: Buffer, size: number, file = 'x.csv'): CsvSource {
  return {
    file,
    *chunks() {
      for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
    },
  };
}

/** Everything a reader sees, or the error, as text. */
function read(src: CsvSource, required: string[], maxRows?: number): string {
  const seen: string[] = [];
  try {
    readCsv(src, required, {
      maxRows,
      row: (t, row, i) => {
        if (row.cells[0] === 'bad') throw new InputError('bad row', { file: t.file, line: row.line, column: 1 });
        seen.push(`${i}@${row.line}:${row.cells.join('|')}`);
      },
      count: (t, rows, extra) => seen.push(`count ${rows} ${extra}`),
      end: (t, rows) => seen.push(`end ${rows} [${t.header.join('|')}]`),
    });
  } catch (e) {
    return `${e instanceof InputError ? 'InputError' : 'Error'}: ${(e as Error).message}`;
  }
  return seen.join('\n');
}

describe('streamed CSV reading does not depend on the chunking', () => {
  const cases: Record<string, Buffer> = {
    plain: Buffer.from('a,b\n1,2\n3,4\n'),
    'BOM, CRLF, blank lines, no final newline': Buffer.from('\uFEFFa,b\r\n\r\n1,2\r\n  \r\n3,4'),
    'quoted newline and quotes': Buffer.from('a,b\n"x\ny",2\n"say ""hi""",4\n'),
    'multi-byte characters': Buffer.from('名前,数\n订单,1\n退货,2\n'),
    'invalid UTF-8 after a bad row': Buffer.concat([Buffer.from('a,b\nbad,1\n1,2\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\n3,4\n')]),
    'a syntax error after a bad row': Buffer.from('a,b\nbad,1\n1,2,3\n'),
    'a bad row before too many rows': Buffer.from('a,b\n1,2\nbad,1\n3,4\n5,6\n'),
    'unclosed quote': Buffer.from('a,b\n1,"2\n3,4\n'),
    'missing column': Buffer.from('a,c\n1,2\n'),
    'semicolons': Buffer.from('a;b\n1;2\n'),
    'blank file': Buffer.from('\uFEFF \r\n\n'),
    'empty file': Buffer.alloc(0),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    it(name, () => {
      const whole = read(chunked(bytes, Math.max(1, bytes.length)), ['a', 'b'], 3);
      for (const size of [1, 2, 3, 5, 8]) expect(read(chunked(bytes, size), ['a', 'b'], 3)).toBe(whole);
    });
  }

  it('reports in the whole-file order: invalid UTF-8, syntax, header, count, rows, end', () => {
    expect(read(chunked(cases['invalid UTF-8 after a bad row'], 2), ['a', 'b'])).toBe('InputError: x.csv:4:1: byte 0xe2 is not valid UTF-8; save the file as UTF-8');
    expect(read(chunked(cases['a syntax error after a bad row'], 2), ['a', 'b'])).toMatch(/^InputError: x\.csv:3: not a valid CSV: expect 2, got 3 on line 3/);
    expect(read(chunked(cases['a bad row before too many rows'], 2), ['a', 'b'], 3)).toBe('InputError: x.csv:3:1: bad row');
    expect(read(chunked(cases['missing column'], 2), ['a', 'b'])).toBe("InputError: x.csv:1: missing column 'b' (the header has: a, c)");
    expect(read(chunked(cases['blank file'], 1), ['a', 'b'])).toBe('InputError: x.csv:1: the file is empty; expected a header line');
    expect(read(chunked(cases['BOM, CRLF, blank lines, no final newline'], 1), ['a', 'b'])).toBe('0@3:1|2\n1@5:3|4\ncount 2 undefined\nend 2 [a|b]');
  });

  it('an unclosed quote in a long file stops at the record limit instead of swallowing the file', () => {
    const big = Buffer.concat([Buffer.from('a,b\n1,"2\n'), Buffer.alloc(3 << 20, 'x,y\n')]);
    expect(read(chunked(big, 1 << 16), ['a', 'b'])).toMatch(/^InputError: x\.csv:\d+: not a valid CSV: Max Record Size/);
  });
});

describe('event logs (timestamps) are checked like every CSV', () => {
  const yaml = (file: string, extra = '') => `
name: log
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 30m }
intents: [presale]
channels: { chat: { patience: none } }
demand:
  - { channel: chat, intent: presale, curve: { csv: ${file}, timestamps: at${extra} } }
pools:
  - { name: p, channel: chat, skills: [presale], handleTime: { default: { exponential: 1m } }, staffing: 5 }
`;
  it('counts rows per minute of the horizon', () => {
    writeFileSync(join(dir, 'small-log.csv'), 'id,at\n1,2026-11-11T00:00:30+08:00\n2,2026-11-11T00:00:59+08:00\n3,2026-11-10T16:01Z\n');
    const c = scenarioFromYaml(yaml('small-log.csv'), dir).demand[0].curve;
    expect(c.stepSec).toBe(60);
    expect(c.rates[0] * 60).toBeCloseTo(2, 12);
    expect(c.rates[1] * 60).toBeCloseTo(1, 12);
    expect(c.rates.slice(2).every((r) => r === 0)).toBe(true);
  });
  it('names the cell of a time outside the horizon or not a time, and refuses column', () => {
    writeFileSync(join(dir, 'late-log.csv'), 'id,at\n1,2026-11-11T00:00:30+08:00\n2,2026-11-12T00:00+08:00\n');
    expect(() => scenarioFromYaml(yaml('late-log.csv'), dir)).toThrow(/late-log\.csv:3:2: at: 2026-11-12T00:00\+08:00 is outside the horizon \(2026-11-11T00:00\+08:00 to 2026-11-12T00:00\+08:00\)/);
    writeFileSync(join(dir, 'bad-log.csv'), 'id,at\n1,2026-11-11 00:00:30\n');
    expect(() => scenarioFromYaml(yaml('bad-log.csv'), dir)).toThrow(/bad-log\.csv:2:2: at: must be an ISO date-time with a UTC offset/);
    expect(() => scenarioFromYaml(yaml('bad-log.csv', ', column: volume'), dir)).toThrow(/column: names the volume column of a per-interval CSV/);
  });
});

describe('UTF-8 checked chunk by chunk', () => {
  /** Where the whole-file check puts the first bad byte (as the scenario loader reports it). */
  const whole = (b: Buffer) => {
    const bad = invalidUtf8At(b);
    if (bad < 0) return null;
    const start = bad > 0 ? b.lastIndexOf(0x0a, bad - 1) + 1 : 0;
    return { byte: b[bad], line: countByte(b, 0x0a, bad) + 1, column: b.toString('utf8', start, bad).length + 1 };
  };
  const streamed = (b: Buffer, size: number) => {
    const u = new Utf8Stream();
    for (let i = 0; i < b.length; i += size) {
      const r = u.push(Buffer.from(b.subarray(i, i + size)));
      if (r !== null) return r;
    }
    return u.end();
  };
  // bytes that make characters of every length, line ends, and the usual ways to be invalid
  const piece = fc.constantFrom(...['a', ',', '\n', 'é', '订', '😀', '\uFEFF'].map((x) => Buffer.from(x)), Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x80]));
  it('finds the same byte, line and column as the whole-file check, for any chunking', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (parts, size) => {
      const b = Buffer.concat(parts);
      expect(streamed(b, size)).toEqual(whole(b));
    }), { numRuns: 2000, seed: 6 });
  });
});
