// User files must be UTF-8, and when they are not the message names the first bad byte with its
// line and column — the same whether the file is read whole (scenarios) or streamed (CSVs). Pure.

import { isUtf8 } from 'node:buffer';

export function countByte(buf: Uint8Array, byte: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0 && i < end; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

/**
 * Offset of the first byte that makes the text invalid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or -1. A decoder's U+FFFD cannot tell a bad byte from a
 * U+FFFD the file really contains, and does not say where the byte was.
 */
export function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let need: number, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const x = i + k < n ? b[i + k] : -1;
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

export interface BadByte {
  readonly byte: number;
  readonly line: number;
  /** In characters of its line, from 1. */
  readonly column: number;
}

export const badByteMessage = (b: BadByte): string => `byte 0x${b.byte.toString(16).padStart(2, '0')} is not valid UTF-8; save the file as UTF-8`;

const chars = (b: Buffer, from: number, to: number): number => (to > from ? b.toString('utf8', from, to).length : 0);

/**
 * Checks a file chunk by chunk and finds the byte, line and column invalidUtf8At finds on the whole:
 * a character cut by a chunk boundary waits for the next chunk, and the line count and the
 * characters since the last line end are carried over.
 */
export class Utf8Stream {
  private carry: Buffer = Buffer.alloc(0);
  private lines = 0;
  private column = 0;

  /** The first bad byte in this chunk, or null. */
  push(chunk: Uint8Array): BadByte | null {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.carry.length === 0 ? view : Buffer.concat([this.carry, view]);
    let cut = data.length;
    for (let k = 1; k <= 3 && k <= data.length; k++) {
      const c = data[data.length - k];
      if (c < 0x80) break;
      if (c >= 0xc0) {
        if ((c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > k) cut = data.length - k;
        break;
      }
    }
    const seg = data.subarray(0, cut);
    // the native check first: ~50× faster on the (usual) valid chunk; the slow one only to locate
    const bad = isUtf8(seg) ? -1 : invalidUtf8At(seg);
    if (bad >= 0) return this.place(seg, bad);
    this.lines += countByte(seg, 0x0a, seg.length);
    const nl = seg.lastIndexOf(0x0a);
    this.column = nl >= 0 ? chars(seg, nl + 1, seg.length) : this.column + chars(seg, 0, seg.length);
    this.carry = Buffer.from(data.subarray(cut));
    return null;
  }

  /** At the end of the file: a character left unfinished is a bad byte. */
  end(): BadByte | null {
    return this.carry.length === 0 ? null : this.place(this.carry, invalidUtf8At(this.carry));
  }

  private place(seg: Buffer, bad: number): BadByte {
    const nl = bad > 0 ? seg.lastIndexOf(0x0a, bad - 1) : -1;
    return {
      byte: seg[bad],
      line: this.lines + countByte(seg, 0x0a, bad) + 1,
      column: (nl >= 0 ? chars(seg, nl + 1, bad) : this.column + chars(seg, 0, bad)) + 1,
    };
  }
}
