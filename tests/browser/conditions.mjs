// Browser test of the condition switches of a deployment page, in headless Chromium.
//
//   node tests/browser/conditions.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` of the example, whose On
// Premises page badges the training and initial-deployment tasks and three summary items.
// The switches are shown once the script runs; turning a condition off hides the rows
// and items that apply only under it, turning it on shows them again. Nothing is built
// here; the page loads without console errors or failed requests.
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, isolatedContext, startSiteTest } from "./harness.mjs";
import { join } from "node:path";

const CHECK_TIMEOUT_MS = 60_000;
const TOTAL_TIMEOUT_MS = 180_000;
const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);

async function main() {
  const { shots, server, browser, origin } = await startSiteTest(checks, {
    name: "conditions",
    usage: "node conditions.mjs SITE_DIR   (built by `rasci build --out` of the example)",
    required: ["onprem/index.html"],
  });
  try {
    const context = await isolatedContext(browser, contexts, origin, { viewport: { width: 1400, height: 900 } }, { actionMs: 10_000, navigationMs: 15_000 });
    await checks.check("the switches hide and show what applies only under a condition", async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/onprem/index.html`, { waitUntil: "load" });
      const switches = page.locator("fieldset.condition-switches");
      assert(await switches.isVisible(), "the script shows the switches");
      const row = page.locator("tr#task-training");
      assert(await row.isVisible(), "every row shows at first");
      const box = switches.locator('input[value="training"]');
      await box.uncheck();
      assert(!(await row.isVisible()), "training off hides its row");
      assert(await page.locator("tr#task-initial-installation").isVisible(), "another condition's row stays");
      const item = page.locator('section.summary li[data-when="training"]');
      assert(!(await item.isVisible()), "training off hides its summary item");
      await page.screenshot({ path: join(shots, "conditions-training-off.png"), fullPage: true });
      await box.check();
      assert(await row.isVisible(), "training on shows its row again");
      assertClean(context, "deployment page");
      await page.close();
    });
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`screenshots: ${shots}`);
  checks.finish();
}

checks.run("conditions test", TOTAL_TIMEOUT_MS, main);
