// Browser test of the documentation-hub habits of a built rasci site, in headless Chromium:
// the pager between guides, the navigation filter, "In this article" on a phone and on
// the comparison, one <title> per deployment, the letter badges in guides, and the theme
// button's first click on a light and on a dark system.
//
//   node tests/browser/hub.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project, served
// from 127.0.0.1 on a free port. Screenshots go to $SCREENSHOT_DIR (default: a new
// temporary folder). The last line is "N passed, M failed"; the exit code is 0 only when
// nothing failed.

import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, Checks, assert, assertClean, serveSite, watch, isolatedContext, startSiteTest } from "./harness.mjs";
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TOTAL_TIMEOUT_MS = 150_000; // the whole run
const ACTION_TIMEOUT_MS = 10_000; // one click, wait or evaluation
const NAVIGATION_TIMEOUT_MS = 15_000; // one page load
const CHECK_TIMEOUT_MS = 45_000; // one check, everything included
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser, options = {}) {
  return isolatedContext(browser, contexts, origin, { viewport: DESKTOP, ...options }, { actionMs: ACTION_TIMEOUT_MS, navigationMs: NAVIGATION_TIMEOUT_MS });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  await page.waitForLoadState("networkidle", { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => {});
  return page;
}

/** Is the element laid out and visible (no hidden ancestor either)? */
async function shown(locator) {
  return locator.evaluate((el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility !== "visible") return false;
    }
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
}

/** The texts of the navigation links a reader sees. */
async function visibleNavLinks(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("#sidebar nav a"))
      .filter((a) => !a.closest("[hidden]") && a.getClientRects().length > 0)
      .map((a) => a.textContent.trim()),
  );
}

async function main() {
  const { site, shots, server, browser, origin: served } = await startSiteTest(checks, {
    name: "hub",
    usage: "node hub.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: ["cloud/reading-the-matrix/index.html", "compare/index.html"],
  });
  origin = served;
  const screenshots = [];
  async function screenshot(page, name, fullPage = true) {
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage, animations: "disabled" });
    screenshots.push(file);
  }

  try {
    const desktop = await newContext(browser);

    await checks.check("the pager steps from guide to guide within the deployment, titles shown", async () => {
      const page = await open(desktop, "cloud/reading-the-matrix/index.html");
      const pager = page.locator("nav.pager");
      assert((await pager.count()) === 1, "one pager under the guide");
      assert((await page.locator("nav.pager a[rel=prev]").count()) === 0, "the first guide has no previous one");
      const next = page.locator("nav.pager a[rel=next]");
      const nextTitle = (await next.locator(".pager-title").textContent()).trim();
      assert(nextTitle === "Submission guidelines", `next names the guide: ${nextTitle}`);
      await screenshot(page, "hub-pager-desktop");
      await next.click();
      await page.waitForURL(/\/cloud\/submission-guidelines\/index\.html$/);
      const prev = page.locator("nav.pager a[rel=prev]");
      assert((await prev.locator(".pager-title").textContent()).trim() === "Reading the matrix", "previous names the guide");
      assert((await page.locator("nav.pager a[rel=next]").count()) === 0, "the last guide has no next one");
      await prev.click();
      await page.waitForURL(/\/cloud\/reading-the-matrix\/index\.html$/);
      assertClean(desktop, "the guides");
      await page.close();
    });

    await checks.check("a guide's <title> names its deployment, and differs between deployments", async () => {
      const titles = [];
      for (const path of ["cloud/submission-guidelines/index.html", "onprem/submission-guidelines/index.html"]) {
        const page = await open(desktop, path);
        titles.push(await page.title());
        await page.close();
      }
      assert(titles[0].startsWith("Submission guidelines · Dialogue Cloud · "), titles[0]);
      assert(titles[1].startsWith("Submission guidelines · On Premises · "), titles[1]);
    });

    await checks.check("the navigation filter narrows the links as one types, by keyboard, and Escape restores them", async () => {
      const page = await open(desktop, "cloud/reading-the-matrix/index.html");
      const before = await visibleNavLinks(page);
      const input = page.locator("#nav-filter-input");
      assert(await shown(input), "the filter box is shown");
      assert((await page.locator("label[for=nav-filter-input]").count()) === 1, "the box has a label");
      // Reached by keyboard: Tab from the skip link and the top bar lands on it before the navigation.
      await input.focus();
      await page.keyboard.type("submis");
      let links = await visibleNavLinks(page);
      assert(links.length === 2 && links.every((t) => t === "Submission guidelines"), `one guide per deployment: ${links.join(" | ")}`);
      const status = (await page.locator(".nav-filter-status").textContent()).trim();
      assert(status === "2 pages match", `status: ${status}`);
      await screenshot(page, "hub-nav-filter", false);
      await page.keyboard.press("ArrowDown");
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
      assert(focused === "Submission guidelines", `down arrow moves to the first link left: ${focused}`);
      await input.focus();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("zzz-nothing");
      links = await visibleNavLinks(page);
      assert(links.length === 0, `nothing matches: ${links.join(" | ")}`);
      assert((await page.locator(".nav-filter-status").textContent()).trim() === "No page matches", "says so");
      await page.keyboard.press("Escape");
      assert((await input.inputValue()) === "", "Escape empties the box");
      const after = await visibleNavLinks(page);
      assert(JSON.stringify(after) === JSON.stringify(before), `the navigation is back as it was:\n${before}\n${after}`);
      assertClean(desktop, "the filter");
      await page.close();
    });

    await checks.check("without scripts there is no filter box", async () => {
      const context = await newContext(browser, { javaScriptEnabled: false });
      try {
        const page = await open(context, "cloud/reading-the-matrix/index.html");
        assert((await page.locator("#nav-filter-input").count()) === 0, "no box that does nothing");
        assert((await page.locator("#sidebar nav a").count()) > 0, "the fallback navigation is there");
      } finally {
        await context.close();
      }
    });

    await checks.check("on a wide screen \"In this article\" is the side column; on the comparison it is folded at the top", async () => {
      const page = await open(desktop, "cloud/submission-guidelines/index.html");
      assert(await shown(page.locator("aside.toc nav")), "the side column shows the contents");
      assert(!(await shown(page.locator("details.toc-inline"))), "the folded copy is hidden");
      await page.close();
      const compare = await open(desktop, "compare/index.html");
      const folded = compare.locator("details.toc-inline");
      assert(await shown(folded), "the comparison shows the folded contents");
      await folded.locator("summary").click();
      const entries = await folded.locator("a").allTextContents();
      for (const heading of ["Side by side", "General", "Dialogue Cloud deployment specific", "On-premises deployment specific", "Legend"]) {
        assert(entries.includes(heading), `"${heading}" in the contents: ${entries.join(" | ")}`);
        assert((await compare.locator(`h2, h3`).filter({ hasText: heading }).count()) >= 1, `a heading "${heading}"`);
      }
      await screenshot(compare, "hub-compare-desktop");
      await folded.locator("a", { hasText: "On-premises deployment specific" }).click();
      await compare.waitForURL(/#compare-onprem$/);
      const top = await compare.locator("#compare-onprem").evaluate((h) => h.getBoundingClientRect().top);
      assert(top >= 0 && top < 300, `the heading is at the top of the window: ${top}`);
      assertClean(desktop, "the comparison");
      await compare.close();
    });

    await checks.check("on a phone \"In this article\" is reachable: folded at the top, it opens and leads to a heading", async () => {
      const phone = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
      try {
        const page = await open(phone, "cloud/submission-guidelines/index.html");
        assert(!(await shown(page.locator("aside.toc"))), "no side column on a phone");
        const folded = page.locator("details.toc-inline");
        assert(await shown(folded), "the folded contents are shown");
        assert(!(await folded.evaluate((d) => d.open)), "folded at first, so the article comes first");
        await folded.locator("summary").tap();
        assert(await folded.evaluate((d) => d.open), "a tap opens it");
        await screenshot(page, "hub-toc-phone", false);
        await folded.locator("a", { hasText: "Step 3: set the priority" }).tap();
        await page.waitForURL(/#step-3-set-the-priority$/);
        const top = await page.locator("#step-3-set-the-priority").evaluate((h) => h.getBoundingClientRect().top);
        assert(top >= 0 && top < 400, `the heading is in view: ${top}`);
        assertClean(phone, "the phone page");
      } finally {
        await phone.close();
      }
    });

    await checks.check("guides show letters as the tables' badges", async () => {
      const page = await open(desktop, "cloud/reading-the-matrix/index.html");
      const badges = page.locator("article .badges .badge");
      assert((await badges.count()) >= 10, `badges in the guide: ${await badges.count()}`);
      const colours = await page.evaluate(() => {
        const of = (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor;
        return { r: of("article p .badge-r"), a: of("article p .badge-a") };
      });
      assert(colours.r !== colours.a && !colours.r.endsWith(", 0)"), `coloured as in the tables: ${JSON.stringify(colours)}`);
      const code = await page.locator("article code").allTextContents();
      assert(JSON.stringify(code) === JSON.stringify(["A, R", "R, A"]), `letters left as code only where two spellings are compared: ${JSON.stringify(code)}`);
      await screenshot(page, "hub-badges-desktop");
      await page.close();
    });

    await checks.check("a summary heading without items shows a muted note under it", async () => {
      const page = await open(desktop, "cloud/index.html");
      const note = page.locator("section.summary .summary-empty");
      assert((await note.count()) === 1, "one note");
      assert((await note.textContent()).trim() === "No specific items.", "its words");
      const look = await note.evaluate((el) => {
        const style = getComputedStyle(el);
        const item = getComputedStyle(el.closest("li"));
        const heading = el.previousElementSibling.getBoundingClientRect();
        return { display: style.display, muted: style.color !== item.color, below: el.getBoundingClientRect().top >= heading.bottom - 1 };
      });
      assert(look.display === "block" && look.muted && look.below, `a muted line under the heading: ${JSON.stringify(look)}`);
      await note.locator("xpath=ancestor::section[1]").screenshot({ path: join(shots, "hub-summary-note.png") });
      screenshots.push(join(shots, "hub-summary-note.png"));
      await page.close();
    });

    for (const scheme of ["light", "dark"]) {
      await checks.check(`on a ${scheme} system the theme button's first click changes the colours`, async () => {
        const context = await newContext(browser, { colorScheme: scheme });
        try {
          const page = await open(context, "cloud/index.html");
          const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          const first = await background();
          await page.locator(".theme-toggle").click();
          const second = await background();
          assert(second !== first, `the page looks the same after one click (${first})`);
          const expected = scheme === "light" ? "dark" : "light";
          const mode = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
          assert(mode === expected, `switched to ${expected}: ${mode}`);
          await screenshot(page, `hub-theme-${scheme}-system`, false);
          // Two more clicks come back to automatic.
          await page.locator(".theme-toggle").click();
          await page.locator(".theme-toggle").click();
          assert((await page.evaluate(() => document.documentElement.getAttribute("data-theme"))) === null, "back to automatic");
          assert((await background()) === first, "and to the system's colours");
          assertClean(context, "the theme button");
        } finally {
          await context.close();
        }
      });
    }

    await checks.check("printed, the pager and the folded contents are left out", async () => {
      const page = await open(desktop, "cloud/reading-the-matrix/index.html");
      assert((await page.locator("nav.pager").count()) === 1 && (await page.locator("details.toc-inline").count()) === 1, "the page has both");
      await page.emulateMedia({ media: "print" });
      assert(!(await shown(page.locator("nav.pager"))), "no pager on paper");
      assert(!(await shown(page.locator("details.toc-inline"))), "no folded contents on paper");
      await page.close();
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }
  checks.finish(screenshots);
}

checks.run("hub test", TOTAL_TIMEOUT_MS, main);
