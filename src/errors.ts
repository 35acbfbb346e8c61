// Typed errors. An InputError is the user's to fix (bad file, bad option): the CLI prints its
// one line and exits 2. Anything else is a bug and keeps its stack.

export interface Place {
  /** The file, as the user named it. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Dot-path inside the file (pools[1].concurrency) or a CSV column name. */
  readonly path?: string;
}

export class InputError extends Error {
  readonly place: Place;
  readonly detail: string;
  constructor(detail: string, place: Place = {}) {
    super(formatPlace(place) + detail);
    this.name = 'InputError';
    this.place = place;
    this.detail = detail;
  }
}

export function formatPlace(p: Place): string {
  let s = '';
  if (p.file !== undefined) {
    s += p.file;
    if (p.line !== undefined) s += `:${p.line}` + (p.column !== undefined ? `:${p.column}` : '');
    s += ': ';
  }
  if (p.path !== undefined && p.path !== '') s += `${p.path}: `;
  return s;
}

/** Command-line usage errors (exit 2). */
export class UsageError extends InputError {}

/** A long run stopped by SIGINT/SIGTERM. */
export class InterruptedError extends Error {}
