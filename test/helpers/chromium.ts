/** Debian's Chromium, launched headless the way this closed network needs (no background traffic). */
import { chromium, type Browser } from 'playwright-core';

/** Debian's path; elsewhere (macOS/Windows CI) `CHROMIUM` names a Chrome or Chromium binary. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
