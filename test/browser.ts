/** Detects Debian's Chromium for the browser stepper's tests; they skip with a visible message where it is absent. */
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

/** The browser: `SHADOWVM_CHROMIUM` when set, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.SHADOWVM_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium: boolean = existsSync(CHROMIUM);

/** `describe` that runs only with Chromium, and says so loudly when it skips. */
export function describeWithChromium(name: string, body: () => void): void {
  if (!hasChromium) process.stderr.write(`SKIPPED "${name}": Chromium (${CHROMIUM}) is not installed (apt-get install chromium)\n`);
  (hasChromium ? describe : describe.skip)(name, body);
}
