// Scenario tooling: `init` writes a commented scenario to start from, `validate` checks one and
// prints what the loader made of it. (`schema` lives in main.ts: it is one line.)

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../errors.js';
import { renderNormalisedJson, renderNormalisedYaml } from '../report/normalised.js';
import { checkOutputPath, writeFileAtomic } from './io.js';
import { loadWithPlan } from './simulate.js';
import type { CommandContext } from './context.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const TEMPLATES = {
  flagship: { file: 'scenarios/double11.yaml', about: 'the built-in Double-11 flagship store: orders, logistics, returns, complaints, 6 pools, 28 days' },
  small: { file: 'scenarios/small-store.yaml', about: 'a small store over three days around the spike: chat with a bot, e-mail, two teams' },
  teaching: { file: 'scenarios/teaching-mmc.yaml', about: 'the Erlang C textbook queue (M/M/14), to compare simulation with theory' },
} as const;

export interface InitOptions {
  template?: string;
  force?: boolean;
}

/** The schema line, pointing from the new file's folder to the schema shipped with peakplan. */
function schemaLine(target: string): string {
  let rel = relative(dirname(resolve(target)), root('docs/scenario.schema.json')).split('\\').join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return `# yaml-language-server: $schema=${rel}`;
}

export function initCommand(fileArg: string | undefined, opts: InitOptions, ctx: CommandContext): number {
  const name = opts.template ?? 'small';
  if (!(name in TEMPLATES)) throw new UsageError(`unknown template '${name}'; choose ${Object.keys(TEMPLATES).join(', ')}`, { path: '--template' });
  const tpl = TEMPLATES[name as keyof typeof TEMPLATES];
  const file = fileArg ?? 'scenario.yaml';
  if (!['.yaml', '.yml'].includes(extname(file))) throw new UsageError(`'${file}': a scenario file ends in .yaml or .yml`, { path: 'file' });
  checkOutputPath(file, 'file');
  let text = readFileSync(root(tpl.file), 'utf8');
  const writes: [string, string][] = [];
  // The flagship's staffing lives in a plan CSV beside it: copy that too, named after the file.
  for (const m of text.matchAll(/\{ csv: ([\w.-]+\.csv) \}/g)) {
    const src = m[1];
    if (writes.some(([, from]) => from === src)) continue;
    const dest = `${basename(file, extname(file))}-plan.csv`;
    writes.push([resolve(dirname(file), dest), src]);
    text = text.split(`{ csv: ${src} }`).join(`{ csv: ${dest} }`);
  }
  text = text.replace(/^# yaml-language-server: \$schema=\S+/, schemaLine(file));
  const targets = [file, ...writes.map(([p]) => p)];
  if (!opts.force) {
    for (const t of targets) if (existsSync(t)) throw new InputError('already exists; pass --force to overwrite it', { file: relative(process.cwd(), t) || t });
  }
  for (const [dest, src] of writes) writeFileAtomic(dest, readFileSync(resolve(dirname(root(tpl.file)), src)));
  writeFileAtomic(file, text);
  for (const t of targets) ctx.stdout(`wrote ${relative(process.cwd(), resolve(t)) || t}\n`);
  ctx.stdout(`template '${name}': ${tpl.about}\nnext: peakplan validate ${file} · peakplan simulate ${file} · peakplan plan ${file}\n`);
  return 0;
}

export interface ValidateOptions {
  json?: boolean;
  plan?: string;
  set?: string[];
  allowOutside?: boolean;
  quiet?: boolean;
}

export function validateCommand(file: string, opts: ValidateOptions, ctx: CommandContext): number {
  const s = loadWithPlan(file, opts);
  if (opts.quiet) return 0;
  ctx.stdout(opts.json ? renderNormalisedJson(s, ctx.version) : renderNormalisedYaml(s));
  for (const w of s.warnings) ctx.stderr(`warning: ${w}\n`);
  return 0;
}
