import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Stepper } from '../../../src/cli/stepper.js';
import { StepperModel } from '../../../src/cli/web/state.js';
import { startStepServer, type StepServer } from '../../../src/cli/web/server.js';
import { program } from '../../programs.js';
import { CHROMIUM, describeWithChromium } from '../../browser.js';

describeWithChromium('the browser stepper in headless Chromium', () => {
  let browser: Browser;
  let server: StepServer;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    const stepper = new Stepper(program('counter.elf'), {}, false);
    server = await startStepServer(new StepperModel(stepper, program('counter.elf'), 'counter.elf'), 0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const ready = (): Promise<unknown> => page.waitForSelector('body[data-ready=true]');
  const column = (name: string, part: string): Promise<string> => page.locator(`.replica[data-name=${name}] ${part}`).first().innerText();
  const facts = async (name: string): Promise<string> =>
    (await page.locator(`.replica[data-name=${name}] .facts span`).allInnerTexts()).join(' ');

  it('loads, steps, fails the primary and shows the takeover, with no request leaving the server', async () => {
    await page.goto(server.url);
    await ready();
    expect(await page.locator('.replica').count()).toBe(2);
    expect(await facts('primary')).toBe('epoch 1 rr 0 instret 0');
    expect(await page.locator('.replica[data-name=primary] .reg').count()).toBe(32 + 7);
    expect(await column('primary', '.disasm li.current')).toMatch(/^80000000 {2}<_start> /);

    await page.click('#step');
    await ready();
    expect(await facts('primary')).toBe('epoch 1 rr 4095 instret 1');
    expect(await facts('backup')).toBe('epoch 1 rr 0 instret 0');
    // What the step changed is highlighted; the backup, one epoch behind, differs and is marked so.
    expect(await page.locator('.replica[data-name=primary] .facts .changed').allInnerTexts()).toEqual(['rr 4095', 'instret 1']);

    await page.click('#epoch');
    await ready();
    await page.click('#epoch');
    await ready();
    expect(await facts('backup')).toBe('epoch 3 rr 4096 instret 8192');
    expect(await page.locator('#timeline rect.epoch').count()).toBe(4);

    await page.fill('#target', 'kio_submit');
    await page.click('#goto');
    await ready();
    expect(await page.locator('#log').innerText()).toContain('reached 0x80000a98');
    expect(await column('primary', '.where')).toBe('pc 80000a98 <kio_submit+0x0>');

    await page.click('#fail');
    await ready();
    expect(await page.locator('#failover').innerText()).toMatch(/^the primary failed; the backup took over in epoch \d+/);
    expect(await column('backup', '.role')).toBe('primary');
    expect(await column('primary', '.status')).toBe('failed');
    expect(await page.locator('#fail').isDisabled()).toBe(true);

    const before = await facts('backup');
    await page.click('#step');
    await ready();
    expect(await facts('backup')).not.toBe(before);
    expect(requests.every((u) => u.startsWith(server.url))).toBe(true);
  }, 60_000);
});
