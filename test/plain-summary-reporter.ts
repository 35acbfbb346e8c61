// Prints one plain closing line, "N passed, N failed[, N skipped]", that any CI log reader
// understands, after vitest's own summary. It never reads "0 failed" when the run failed: a file
// that failed to load or in a hook (its tests then count as skipped), an error outside any test,
// or a run that vitest itself calls failed each count as a failure.
import type { Reporter, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown> = [], reason?: string): void {
    let passed = 0, failed = 0, skipped = 0;
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failedHere++;
        else skipped++;
      }
      // a file that failed to load, or whose hooks failed, with no test of its own failing
      if (failedHere === 0 && (m.state() === 'failed' || m.errors().length > 0)) failedHere = 1;
      failed += failedHere;
    }
    failed += errors.length;
    if (failed === 0 && reason === 'failed') failed = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
