// `--xlsx FILE [--lang en|zh]` on simulate and plan: the workbook (report/xlsx.ts), checked before
// anything runs and written atomically like every output. exceljs loads only when asked for.

import { UsageError } from '../errors.js';
import type { Lang, WorkbookInput } from '../report/xlsx.js';
import { checkOutputPath, writeFileAtomic } from './io.js';

export interface XlsxCliOptions {
  xlsx?: string;
  lang?: string;
}

/** The workbook's file and language, or null without --xlsx; a bad --lang or folder is a usage error. */
export function xlsxOption(opts: XlsxCliOptions): { file: string; lang: Lang } | null {
  if (opts.lang !== undefined && opts.lang !== 'en' && opts.lang !== 'zh') throw new UsageError(`must be en or zh, got '${opts.lang}'`, { path: '--lang' });
  if (opts.xlsx === undefined) {
    if (opts.lang !== undefined) throw new UsageError('--lang sets the workbook\'s headers; add --xlsx FILE', { path: '--lang' });
    return null;
  }
  if (!/\.xlsx$/i.test(opts.xlsx)) throw new UsageError(`the workbook's name must end in .xlsx, got '${opts.xlsx}'`, { path: '--xlsx' });
  checkOutputPath(opts.xlsx, '--xlsx');
  return { file: opts.xlsx, lang: (opts.lang ?? 'en') as Lang };
}

export async function writeWorkbook(file: string, input: WorkbookInput): Promise<void> {
  const { workbookBuffer } = await import('../report/xlsx.js');
  writeFileAtomic(file, await workbookBuffer(input));
}
