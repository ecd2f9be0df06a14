/**
 * `npm run screenshot:step [-- OUT.png]`: a screenshot of the browser stepper (`shadowvm step --web`) in headless
 * Chromium, on the journal guest: a few epochs, a run to `kio_submit`, the primary failed there and the backup
 * two steps into its takeover. Needs Chromium (`SHADOWVM_CHROMIUM`, default /usr/bin/chromium). Default output:
 * docs/step-web.png, the picture in the README.
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Stepper } from '../src/cli/stepper.js';
import { StepperModel } from '../src/cli/web/state.js';
import { startStepServer } from '../src/cli/web/server.js';
import { loadProgram } from '../src/asm/load.js';
import { bundledProgram, packageRoot } from '../src/base/paths.js';

const out = process.argv[2] ?? join(packageRoot(), 'docs', 'step-web.png');
const file = 'programs/build/journal.elf';
const image = loadProgram(bundledProgram(file));
const server = await startStepServer(new StepperModel(new Stepper(image, {}, false), image, file), 0);
const browser = await chromium.launch({ executablePath: process.env.SHADOWVM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url);
  const click = async (selector: string): Promise<void> => {
    await page.click(selector);
    await page.waitForSelector('body[data-ready=true]');
  };
  await page.waitForSelector('body[data-ready=true]');
  for (let i = 0; i < 6; i++) await click('#epoch');
  await page.fill('#target', 'kio_submit');
  await click('#goto');
  await click('#fail');
  await page.fill('#count', '2');
  await click('#step');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
