// Browser test of published versions, in headless Chromium.
//
//   node tests/browser/versions.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build` of a repository with two tagged versions
// listed under `versions:` (.ci/run makes it: the current version has the party
// `client`, renamed from `customer`, and a task the older versions lack). Nothing is
// built here. From the current deployment page the version switcher is walked as a
// reader clicks it: each version opens at the same deployment, marked current in the
// switcher; an older version's page shows the banner, whose link leads back to the same
// page of the current version; a page an older version lacks leads to its home page.
// Every page loads without console errors, failed requests or requests to another host.
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, isolatedContext, startSiteTest } from "./harness.mjs";
import { join } from "node:path";

const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 15_000;
const CHECK_TIMEOUT_MS = 60_000;
const DESKTOP = { width: 1400, height: 900 };

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  return page;
}

function pathOf(page) {
  return new URL(page.url()).pathname.replace(/^\//, "");
}

/** The version switcher's links: name, site path of the target, whether it is current. */
async function versions(page) {
  const links = page.locator('nav.switcher[aria-label="Version"] a');
  const found = [];
  for (let i = 0; i < (await links.count()); i += 1) {
    const link = links.nth(i);
    found.push({
      name: (await link.innerText()).trim(),
      path: await link.evaluate((a) => new URL(a.href).pathname.replace(/^\//, "")),
      current: (await link.getAttribute("aria-current")) === "true",
    });
  }
  return found;
}

async function follow(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), locator.click()]);
}

async function main() {
  const { shots, server, browser, origin: served } = await startSiteTest(checks, {
    name: "versions",
    usage: "node versions.mjs SITE_DIR   (a build with `versions:`, made by .ci/run)",
    required: ["index.html", "main/index.html", "v"],
  });
  origin = served;
  const screenshot = (page, name) =>
    page.screenshot({ path: join(shots, `versions-${name}.png`), fullPage: true, animations: "disabled" });
  try {
    const desktop = await isolatedContext(browser, contexts, origin, { viewport: DESKTOP }, {
      actionMs: ACTION_TIMEOUT_MS,
      navigationMs: NAVIGATION_TIMEOUT_MS,
    });
    let listed = [];

    await checks.check("the current deployment page lists every version, itself current and first", async () => {
      const page = await open(desktop, "main/index.html");
      listed = await versions(page);
      assert(listed.length === 3, `three versions: ${JSON.stringify(listed)}`);
      assert(listed[0].current && !listed[1].current && !listed[2].current, JSON.stringify(listed));
      assert(listed[0].path === "main/index.html", `the current version keeps the page: ${listed[0].path}`);
      assert((await page.locator(".version-banner").count()) === 0, "no banner on the current version");
      await screenshot(page, "current");
      assertClean(desktop, "current deployment page");
      await page.close();
    });

    await checks.check("each version opens at the same deployment, with the banner leading back", async () => {
      for (const target of listed.slice(1)) {
        const page = await open(desktop, "main/index.html");
        await follow(page, page.locator('nav.switcher[aria-label="Version"] a', { hasText: target.name }));
        assert(pathOf(page) === target.path, `→ ${target.name}: at ${pathOf(page)}`);
        assert(/^v\/[a-z0-9.-]+\/main\/index\.html$/.test(pathOf(page)), `under v/: ${pathOf(page)}`);
        const now = (await versions(page)).filter((v) => v.current).map((v) => v.name);
        assert(now.length === 1 && now[0] === target.name, `current in the switcher: ${now}`);
        const banner = page.locator(".version-banner");
        assert(await banner.isVisible(), `${target.name}: a visible banner`);
        const words = (await banner.innerText()).trim();
        assert(words.includes(target.name) && words.includes(listed[0].name), `banner: ${words}`);
        await screenshot(page, target.path.split("/")[1]);
        await follow(page, banner.locator("a"));
        assert(pathOf(page) === "main/index.html", `the banner leads to ${pathOf(page)}`);
        assertClean(desktop, `version ${target.name}`);
        await page.close();
      }
    });

    await checks.check("a page an older version lacks leads to that version's home page", async () => {
      const page = await open(desktop, "parties/client/index.html");
      const oldest = (await versions(page)).at(-1);
      await follow(page, page.locator('nav.switcher[aria-label="Version"] a', { hasText: oldest.name }));
      assert(/^v\/[a-z0-9.-]+\/index\.html$/.test(pathOf(page)), `at ${pathOf(page)}`);
      assert((await page.locator(".version-banner").count()) === 1, "the banner on the old home page");
      assertClean(desktop, "party page switched to the oldest version");
      await page.close();
    });

    await checks.check("on a phone an older version's page does not scroll sideways", async () => {
      const phone = await isolatedContext(browser, contexts, origin, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, {
        actionMs: ACTION_TIMEOUT_MS,
        navigationMs: NAVIGATION_TIMEOUT_MS,
      });
      const page = await open(phone, listed.at(-1).path);
      const by = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(by <= 1, `${listed.at(-1).path} is ${by} px wider than the phone`);
      await screenshot(page, "phone");
      assertClean(phone, "old version on a phone");
      await phone.close();
    });
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`screenshots: ${shots}`);
  checks.finish();
}

checks.run("versions test", 180_000, main);
