// peakplan's command line: the one error boundary. User errors print one located line and exit
// 2; anything else is a bug and keeps its stack (exit 3). The commands live in program.ts and
// load their code when they run.

import { CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, InterruptedError } from '../errors.js';
import { discardWarm } from '../parallel/warm.js';
import type { CommandContext } from './context.js';
import { cleanupPending, watchSignals } from './io.js';
import { buildProgram } from './program.js';

export { buildProgram } from './program.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const EXIT = { OK: 0, TARGET_MISSED: 1, BAD_INPUT: 2, BUG: 3 } as const;

function context(): CommandContext {
  return {
    version: pkg.version,
    defaultScenario: fileURLToPath(new URL('../../scenarios/double11.yaml', import.meta.url)),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  };
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  watchSignals(); // Ctrl-C before or between long runs: exit 130, no partial files (io.ts)
  const ctx = context();
  let code: number = EXIT.OK;
  const program = buildProgram(ctx, (n) => { code = n; });
  try {
    await program.parseAsync(argv as string[]);
    return code;
  } catch (e) {
    cleanupPending();
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    if (e instanceof InputError) {
      ctx.stderr(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT.BAD_INPUT;
    }
    if (e instanceof InterruptedError) {
      ctx.stderr(`peakplan: ${e.message}\n`);
      return 130;
    }
    ctx.stderr(`peakplan: internal error (a bug; please report it with the command you ran):\n${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.BUG;
  } finally {
    // workers started ahead of a run that never came (the input was refused): a process that
    // runs many commands (the fuzzer's, a library user's) would otherwise keep their threads
    discardWarm();
  }
}
