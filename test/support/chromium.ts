/**
 * Chromium for every browser suite: one launch, the same flags, and a launch that cannot use up a
 * suite's whole set-up time. Playwright's own launch limit (3 minutes) equals the hooks' limit, so
 * a launch that hung on a loaded CI machine failed as "hook timed out" without saying what hung.
 */
import { chromium, type Browser } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Starting takes 1–2 s here and under 10 s on a loaded 2-core machine; a minute means it hung. */
const LAUNCH_TIMEOUT_MS = 60_000;

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
  } catch (e) {
    // Playwright kills a launch it gave up on, so a second one starts clean. Said out loud: a
    // launch that needs this often is a problem of the machine worth seeing in the log.
    console.warn(`[chromium] launch failed, trying once more: ${(e as Error).message.split('\n')[0]}`);
    return chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
  }
}
