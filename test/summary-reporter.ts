/** Ends every test run with one plain line, `N passed, N failed`, that CI logs and scripts can grep. */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && mod.children.size === 0) failed++;
    }
    this.line = `${skipped ? `\n${skipped} skipped` : ''}\n${passed} passed, ${failed} failed\n`;
  }

  /** Printed once every reporter has finished its own summary (the default one prints in onTestRunEnd). */
  onFinished(): void {
    if (this.line) process.stdout.write(this.line);
  }
}
