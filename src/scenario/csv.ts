// Reading the CSVs a scenario refers to (arrival curves, staffing plans), with errors that name
// the file, line and column. Pure: takes the text, returns rows.

import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  /** Each row with its 1-based line number in the file. */
  readonly rows: readonly { line: number; cells: readonly string[] }[];
}

export function parseCsvTable(text: string, file: string, required: readonly string[]): CsvTable {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw new InputError('the file is empty; expected a header line', { file, line: 1 });
  if (text.includes('\uFFFD')) {
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new InputError('the file is not valid UTF-8', { file, line });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as never;
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new InputError(`not a valid CSV: ${err.message.replace(/^Invalid Record Length: /, '').split('\n')[0]}`, { file, line: err.lines });
  }
  const header = records[0].record.map((h) => h.trim());
  if (header.length === 1 && /[;\t|]/.test(header[0])) {
    throw new InputError(`the header uses '${/[;\t|]/.exec(header[0])![0].replace('\t', '\\t')}' as a separator; peakplan reads comma-separated files`, { file, line: 1 });
  }
  for (const col of required) {
    if (!header.includes(col)) {
      throw new InputError(`missing column '${col}' (the header has: ${header.join(', ')})`, { file, line: 1 });
    }
  }
  const rows = records.slice(1).map((r) => ({ line: r.info.lines, cells: r.record }));
  return { file, header, rows };
}

/** A cell as a finite number ≥ 0, or an InputError pointing at it. */
export function cellNumber(t: CsvTable, row: { line: number; cells: readonly string[] }, col: string, opts: { integer?: boolean } = {}): number {
  const ci = t.header.indexOf(col);
  const raw = row.cells[ci];
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < 0 || (opts.integer && !Number.isInteger(v))) {
    const what = opts.integer ? 'a whole number ≥ 0' : 'a number ≥ 0';
    throw new InputError(`must be ${what}, got '${raw}'`, { file: t.file, line: row.line, column: ci + 1, path: col });
  }
  return v;
}

export function cellString(t: CsvTable, row: { line: number; cells: readonly string[] }, col: string): string {
  return row.cells[t.header.indexOf(col)];
}

export function cellPlace(t: CsvTable, row: { line: number }, col: string) {
  return { file: t.file, line: row.line, column: t.header.indexOf(col) + 1, path: col };
}
