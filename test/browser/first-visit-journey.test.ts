/**
 * The whole journey of a first visit (test/support/journey.ts) in Chromium at 1366 × 900 and at 390 × 844 by touch,
 * on the real MovieLens data with the engine training for real: from sign-up to the 48 and back after logging in.
 * `npm run screenshots` runs this file alone: its screenshots are artifacts/screenshots/journey-*.png.
 */
import { test } from 'node:test';
import { appInBrowser } from '../support/browser.js';
import { JOURNEY_SIZES, walkJourney } from '../support/journey.js';

const shared = appInBrowser();

for (const size of JOURNEY_SIZES) {
  test(`${size.name} (${size.viewport.width} × ${size.viewport.height}): sign up, six grid picks, a movie page, save, react, more like this, the 48, log out and back`, { timeout: 240_000 }, async () => {
    const shots = await walkJourney(shared.browser, shared.app, size);
    // The page heights, for whoever looks at the screenshots: a page that grows out of proportion shows here first.
    console.log(shots.map((shot) => `# ${shot.name}.png: ${shot.height} px tall`).join('\n'));
  });
}
