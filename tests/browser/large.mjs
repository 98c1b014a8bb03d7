// A large site in headless Chromium: what its pages load, and what they load later.
//
//   node tests/browser/large.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build` for a project of one deployment and 1,200
// guides (`.ci/run` writes it from tests/fixtures/base): past the size at which pages load
// the navigation tree with them, with a search index in many shards and a deployment
// page that lists its guides in pages. Checked from http and from disk (file://): a page
// loads no navigation tree and no search index; opening a group of the navigation or
// using its filter loads the tree; a first search loads the manifest and a few shards,
// not all; the guides past the first hundred are on pages of their own.
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, startSiteTest, isolatedContext } from "./harness.mjs";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CHECK_TIMEOUT_MS = 45_000;
const ACTION_TIMEOUT_MS = 10_000;
const DESKTOP = { width: 1400, height: 900 };

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);

/** Opens `url` and records the scripts the page requests: their paths from the site root. */
async function open(context, url, base) {
  const page = await context.newPage();
  const scripts = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url().slice(base.length));
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, scripts };
}

async function main() {
  const { site, server, browser, origin } = await startSiteTest(checks, {
    name: "large",
    usage: "node large.mjs SITE_DIR   (a built project of 1,200 guides, see .ci/run)",
    required: ["index.html", "main/index.html", "main/guides-2.html"],
  });
  const shards = readdirSync(join(site, "static/search")).length;
  try {
    for (const [where, base] of [["http", `${origin}/`], ["file://", pathToFileURL(resolve(site)).href + "/"]]) {
      // From disk, every request is for a file: a context of its own, as search.mjs opens one.
      const context = where === "http"
        ? await isolatedContext(browser, contexts, origin, { viewport: DESKTOP }, { actionMs: ACTION_TIMEOUT_MS })
        : await browser.newContext({ viewport: DESKTOP });
      context.problems = context.problems || [];
      contexts.add(context);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);

      await checks.check(`${where}: a guide loads no navigation tree and no search index; the pointer on the navigation loads the tree`, async () => {
        const { page, scripts } = await open(context, `${base}main/guides/0600/index.html`, base);
        const nav = page.locator("#sidebar nav[data-nav]");
        assert((await nav.getAttribute("data-nav")) === "fallback", "the page's own navigation shows first");
        const index = (s) => s === "search-index.js" || s.startsWith("static/search/");
        assert(!scripts.some((s) => s === "static/js/nav.js" || index(s)), `loaded: ${scripts.join(", ")}`);
        const before = await nav.locator("a").count();
        await nav.hover();
        await page.locator("#sidebar nav[data-nav=full]").waitFor({ state: "attached" });
        const after = await nav.locator("a").count();
        assert(after > 1200 && after > before, `the whole tree lists ${after} links, the page's own ${before}`);
        assert(scripts.some((s) => s === "static/js/nav.js"), `loaded: ${scripts.join(", ")}`);
        const current = await nav.locator("a[aria-current=page]").count();
        assert(current === 1, `${current} links marked as the page`);
        await page.close();
      });

      await checks.check(`${where}: the navigation filter loads the tree and finds a guide the page did not list`, async () => {
        const { page } = await open(context, `${base}main/guides/0600/index.html`, base);
        await page.locator("#nav-filter-input").fill("0042");
        await page.locator(".nav-filter-status").filter({ hasText: /match/ }).waitFor();
        const shown = await page.locator("#sidebar nav a").evaluateAll((as) =>
          as.filter((a) => !a.closest("[hidden]")).map((a) => a.textContent.trim()));
        assert(shown.length === 1 && shown[0].includes("0042"), `shown: ${JSON.stringify(shown)}`);
        await page.close();
      });

      await checks.check(`${where}: a first search loads the manifest and a few of the ${shards} shards, and finds a guide`, async () => {
        const { page, scripts } = await open(context, `${base}main/index.html`, base);
        await page.locator("#search-input").fill("guide 0777");
        await page.locator("#search-results:not([aria-busy])").waitFor({ state: "attached" });
        await page.locator(".search-status").filter({ hasText: /result/ }).waitFor();
        const first = await page.locator("#search-results li .result-title").first().textContent();
        assert(first.includes("0777"), `the first result is "${first}"`);
        const loaded = scripts.filter((s) => s.startsWith("static/search/"));
        assert(scripts.includes("search-index.js"), `loaded: ${scripts.join(", ")}`);
        assert(loaded.length > 0 && loaded.length <= 16 && loaded.length < shards / 2, `loaded ${loaded.length} of ${shards} shards`);
        // A misspelt word is found from its shard too.
        await page.locator("#search-input").fill("tennant");
        await page.locator("#search-results:not([aria-busy])").waitFor({ state: "attached" });
        await page.locator(".search-status").filter({ hasText: /result/ }).waitFor();
        assert((await page.locator("#search-results li").count()) > 0, "a misspelling finds nothing");
        await page.close();
      });

      await checks.check(`${where}: the deployment page lists a hundred guides and links the pages of the rest`, async () => {
        const { page } = await open(context, `${base}main/index.html`, base);
        assert((await page.locator("ul.guides > li").count()) === 100, "a hundred guides");
        const pages = page.locator("nav.guide-pages a");
        assert((await pages.count()) === 12, `${await pages.count()} pages of guides`);
        await Promise.all([page.waitForURL(/guides-12\.html$/), pages.last().click()]);
        const listed = await page.locator("ul.guides > li").count();
        assert(listed === 100, `the last page lists ${listed}`);
        assert((await page.locator("nav.guide-pages a[aria-current=page]").textContent()) === "1101–1200", "the page is marked");
        await page.close();
      });

      await context.close();
    }
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }
  console.log(checks.closingLine());
  process.exit(checks.failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
