// Reading the CSVs a scenario refers to (arrival and order curves, event logs, staffing plans) as a
// stream: the bytes come in chunks, each row goes to a callback and is dropped, so memory follows
// what the caller keeps (counts per interval or minute), never the number of rows. Errors name the
// file, line and column. Pure: the bytes come from an injected source.

import { Parser } from 'csv-parse';
import { InputError } from '../errors.js';
import { badByteMessage, Utf8Stream, type BadByte } from './utf8.js';

export interface CsvSource {
  /** The file as messages show it. */
  readonly file: string;
  /**
   * The bytes in order, in chunks of any size. Each chunk must be a fresh buffer: the parser keeps
   * a view of an unfinished row's bytes until the next chunk arrives.
   */
  chunks(): Iterable<Uint8Array>;
  /** The same bytes each time chunks() is called (a regular file, text in memory; not a pipe). */
  readonly rereadable?: boolean;
}

/** A source over text already in memory (plans given on the command line, tests). */
export function textSource(text: string, file: string): CsvSource {
  return { file, chunks: () => [Buffer.from(text, 'utf8')], rereadable: true };
}

export interface CsvHeader {
  readonly file: string;
  readonly header: readonly string[];
}

export interface CsvRow {
  /** The row's 1-based line number in the file. */
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * What a caller does with the rows. Which error is reported never depends on the chunking and is
 * the one a whole-file reader gives: invalid UTF-8 anywhere, then an empty file, then the first
 * CSV syntax error, then the header, then `count`, then the first error `row` threw, then `end`.
 * So reading goes on after an error (rows are then counted, not passed on).
 */
export interface CsvReader {
  /** Data rows beyond this many are counted but not passed to `row`. */
  readonly maxRows?: number;
  /** Each data row in file order; `index` counts data rows from 0. Throw an InputError to reject it. */
  row(t: CsvHeader, row: CsvRow, index: number): void;
  /** Checks on the number of data rows; `extraLine` is the line of the first row beyond maxRows. */
  count?(t: CsvHeader, rows: number, extraLine: number | undefined): void;
  /** Checks once every row was accepted. */
  end?(t: CsvHeader, rows: number): void;
}

/** No legitimate row of these files comes near this; an unclosed quote would otherwise swallow the rest of the file. */
export const MAX_RECORD_BYTES = 1 << 20;

/** csv-parse's incremental core, the one its stream and sync APIs drive. */
interface ParserCore {
  /** Counters; `lines` is the line the parser is on, i.e. the line a record ends on when it is pushed. */
  readonly info: { readonly lines: number };
  parse(buf: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): (Error & { lines?: number }) | undefined;
}

// csv-parse exposes its incremental parser only as the `api` of its stream class; we drive it
// synchronously so that loading a scenario stays synchronous (worker threads and the planner load
// scenarios in plain loops).
function parserCore(): ParserCore {
  const api = (new Parser({ bom: true, skip_empty_lines: true, relax_column_count: false, trim: true, max_record_size: MAX_RECORD_BYTES }) as unknown as { api?: ParserCore }).api;
  if (api === undefined || typeof api.parse !== 'function') throw new Error('this csv-parse version does not expose its incremental parser (Parser#api)');
  return api;
}

export function readCsv(src: CsvSource, required: readonly string[], reader: CsvReader): void {
  const file = src.file;
  const core = parserCore();
  const utf8 = new Utf8Stream();
  // decoded only until something other than white space shows up (the empty-file check)
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let content = false;
  let syntax: InputError | null = null;
  let bug: unknown = null;
  let t: CsvHeader | null = null;
  let headerError: InputError | null = null;
  let rowError: InputError | null = null;
  let rows = 0;
  let extraLine: number | undefined;
  const maxRows = reader.maxRows ?? Infinity;

  const utf8Error = (b: BadByte | null): void => {
    if (b !== null) throw new InputError(badByteMessage(b), { file, line: b.line, column: b.column });
  };
  const push = (r: unknown): void => {
    if (bug !== null || headerError !== null) return;
    // The line from the parser's counters, not its `info` option, which copies them into an
    // object per record (a third of the time on a large file).
    const record = r as string[];
    const line = core.info.lines;
    try {
      if (t === null) {
        t = { file, header: record.map((h) => h.trim()) };
        headerError = checkHeader(t, required);
        return;
      }
      const index = rows++;
      if (index >= maxRows) {
        if (index === maxRows) extraLine = line;
        return;
      }
      if (rowError === null) reader.row(t, { line, cells: record }, index);
    } catch (e) {
      if (e instanceof InputError) rowError = e;
      else bug = e;
    }
  };
  const feed = (buf: Buffer | undefined, end: boolean): void => {
    if (syntax !== null) return;
    const err = core.parse(buf, end, push, () => {});
    if (bug !== null) throw bug;
    if (err !== undefined) {
      const raw = (err as { record?: unknown }).record;
      const rec: string[] = Array.isArray(raw) ? raw.map(String) : [];
      // "1,000": a thousands separator splits a number into two fields
      const split = rec.findIndex((c, i) => /^\s*\d{1,3}\s*$/.test(c) && /^\s*\d{3}(\.\d+)?\s*$/.test(rec[i + 1] ?? ''));
      const why = split >= 0 ? `a thousands separator in a number? write ${rec[split].trim()}${rec[split + 1].trim()} without the comma (` : '';
      syntax = new InputError(`not a valid CSV: ${why}${err.message.replace(/^Invalid Record Length: /, '').split('\n')[0]}${why ? ')' : ''}`, { file, line: err.lines });
    }
  };

  for (const chunk of src.chunks()) {
    utf8Error(utf8.push(chunk));
    if (!content) content = /\S/.test(decoder.decode(chunk, { stream: true }));
    feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false);
  }
  utf8Error(utf8.end());
  if (!content) content = /\S/.test(decoder.decode());
  if (!content) throw new InputError('the file is empty; expected a header line', { file, line: 1 });
  feed(undefined, true);
  if (syntax !== null) throw syntax;
  if (t === null) throw new InputError('the file is empty; expected a header line', { file, line: 1 });
  if (headerError !== null) throw headerError;
  reader.count?.(t, rows, extraLine);
  if (rowError !== null) throw rowError;
  reader.end?.(t, rows);
}

function checkHeader(t: CsvHeader, required: readonly string[]): InputError | null {
  const { header, file } = t;
  if (header.length === 1 && /[;\t|]/.test(header[0])) {
    return new InputError(`the header uses '${/[;\t|]/.exec(header[0])![0].replace('\t', '\\t')}' as a separator; peakplan reads comma-separated files`, { file, line: 1 });
  }
  for (const col of required) {
    if (!header.includes(col)) return new InputError(`missing column '${col}' (the header has: ${header.join(', ')})`, { file, line: 1 });
    // two columns of the same name: which one holds the numbers would be a guess
    const second = header.indexOf(col, header.indexOf(col) + 1);
    if (second >= 0) return new InputError(`column '${col}' appears twice in the header`, { file, line: 1, column: second + 1 });
  }
  return null;
}

/** A cell as a finite number ≥ 0, or an InputError pointing at it. */
export function cellNumber(t: CsvHeader, row: CsvRow, col: string, opts: { integer?: boolean } = {}): number {
  const ci = t.header.indexOf(col);
  const raw = row.cells[ci];
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < 0 || (opts.integer && !Number.isInteger(v))) {
    const what = opts.integer ? 'a whole number ≥ 0' : 'a number ≥ 0';
    throw new InputError(`must be ${what}, got '${raw}'`, { file: t.file, line: row.line, column: ci + 1, path: col });
  }
  return v;
}

export function cellString(t: CsvHeader, row: CsvRow, col: string): string {
  return row.cells[t.header.indexOf(col)];
}

export function cellPlace(t: CsvHeader, row: { line: number }, col: string) {
  return { file: t.file, line: row.line, column: t.header.indexOf(col) + 1, path: col };
}
