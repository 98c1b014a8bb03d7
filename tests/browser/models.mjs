// Browser test of a site with operating models, in headless Chromium.
//
//   node tests/browser/models.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --root tests/fixtures/models --out SITE_DIR`:
// two models over two deployments. Nothing is built here. The home page's grid is read
// for the model pages; from each, the model switcher must keep the deployment and the
// deployment switcher must keep the model, by clicking the links as a reader would. Every
// page loads without console errors, failed requests or requests to another host, and
// does not scroll sideways on a phone. Screenshots go to $SCREENSHOT_DIR (default: a new
// temporary folder).
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, Checks, assert, assertClean, serveSite, watch, isolatedContext, startSiteTest } from "./harness.mjs";
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 15_000;
const CHECK_TIMEOUT_MS = 60_000;
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

const TOTAL_TIMEOUT_MS = 240_000; // the whole run
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

/** The site path of the page a tab shows, from its root. */
function pathOf(page) {
  return new URL(page.url()).pathname.replace(/^\//, "");
}

/** The links of one switcher: text, site path of the target, and whether it is current. */
async function switcher(page, label) {
  const links = page.locator(`nav.switcher[aria-label="${label}"] a`);
  const found = [];
  for (let i = 0; i < (await links.count()); i += 1) {
    const link = links.nth(i);
    const href = await link.evaluate((a) => new URL(a.href).pathname.replace(/^\//, ""));
    found.push({
      name: (await link.innerText()).trim(),
      path: href,
      current: (await link.getAttribute("aria-current")) === "true",
      sameDeployment: !(await link.evaluate((a) => a.classList.contains("other-deployment"))),
    });
  }
  return found;
}

function current(links) {
  const now = links.filter((l) => l.current);
  assert(now.length === 1, `one current link, not ${JSON.stringify(links)}`);
  return now[0].name;
}

/** Clicks a switcher's link by its text and waits for the page it leads to. */
async function follow(page, label, name) {
  const link = page.locator(`nav.switcher[aria-label="${label}"] a`, { hasText: name }).first();
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), link.click()]);
}

async function sideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function main() {
  const { site, shots, server, browser, origin: served } = await startSiteTest(checks, {
    name: "models",
    usage: "node models.mjs SITE_DIR   (built by `rasci build --root tests/fixtures/models --out`)",
    required: ["index.html"],
  });
  origin = served;
  const screenshot = (page, name) =>
    page.screenshot({ path: join(shots, `models-${name}.png`), fullPage: true, animations: "disabled" });

  // The grid's model pages: { model, deployment, path }.
  let cells = [];
  try {
    const desktop = await newContext(browser);

    await checks.check("the home page shows the grid of models and deployments", async () => {
      const page = await open(desktop, "index.html");
      const grid = page.locator("table.model-grid");
      assert((await grid.count()) === 1, "one grid of models");
      const deployments = (await grid.locator("thead th").allInnerTexts()).slice(1).map((t) => t.trim());
      assert(deployments.length >= 2, `two deployments or more: ${deployments}`);
      const rows = grid.locator("tbody tr[id]");
      assert((await rows.count()) >= 2, "two models or more");
      for (let r = 0; r < (await rows.count()); r += 1) {
        const row = rows.nth(r);
        const model = (await row.locator(".grid-model").innerText()).trim();
        const tds = row.locator("td");
        for (let c = 0; c < (await tds.count()); c += 1) {
          const link = tds.nth(c).locator("a.grid-link");
          if ((await link.count()) === 0) continue;
          const path = await link.evaluate((a) => new URL(a.href).pathname.replace(/^\//, ""));
          cells.push({ model, deployment: deployments[c], path });
        }
      }
      assert(cells.length >= 4, `a page per model and deployment: ${JSON.stringify(cells)}`);
      await screenshot(page, "home-desktop");
      assertClean(desktop, "home page");
      await page.close();
    });

    await checks.check("every model page opens, marked with its model and deployment", async () => {
      for (const cell of cells) {
        const page = await open(desktop, cell.path);
        assert(current(await switcher(page, "Operating model")) === cell.model, `${cell.path}: current model`);
        assert(current(await switcher(page, "Deployment")) === cell.deployment, `${cell.path}: current deployment`);
        const columns = await page.locator("table.rasci thead th").count();
        assert(columns >= 3, `${cell.path}: a task column and the model's parties`);
        await screenshot(page, cell.path.replace(/\/index\.html$/, "").replaceAll("/", "-"));
        assertClean(desktop, cell.path);
        await page.close();
      }
    });

    await checks.check("the model switcher keeps the deployment", async () => {
      for (const cell of cells) {
        const page = await open(desktop, cell.path);
        for (const target of await switcher(page, "Operating model")) {
          if (target.current) continue;
          await follow(page, "Operating model", target.name);
          assert(pathOf(page) === target.path, `${cell.path} → ${target.name}: at ${pathOf(page)}`);
          assert(current(await switcher(page, "Operating model")) === target.name, `now in ${target.name}`);
          if (target.sameDeployment) {
            assert(
              current(await switcher(page, "Deployment")) === cell.deployment,
              `${cell.path} → ${target.name} keeps ${cell.deployment}`,
            );
          }
          await page.goBack({ waitUntil: "load" });
        }
        assertClean(desktop, `model switcher of ${cell.path}`);
        await page.close();
      }
    });

    await checks.check("the deployment switcher keeps the model", async () => {
      for (const cell of cells) {
        const page = await open(desktop, cell.path);
        for (const target of await switcher(page, "Deployment")) {
          if (target.current) continue;
          await follow(page, "Deployment", target.name);
          assert(pathOf(page) === target.path, `${cell.path} → ${target.name}: at ${pathOf(page)}`);
          assert(current(await switcher(page, "Deployment")) === target.name, `now in ${target.name}`);
          const covered = cells.some((c) => c.model === cell.model && c.deployment === target.name);
          if (covered) {
            assert(
              current(await switcher(page, "Operating model")) === cell.model,
              `${cell.path} → ${target.name} keeps ${cell.model}`,
            );
          }
          await page.goBack({ waitUntil: "load" });
        }
        assertClean(desktop, `deployment switcher of ${cell.path}`);
        await page.close();
      }
    });

    await checks.check("the comparison of two models opens from the home grid", async () => {
      const page = await open(desktop, "index.html");
      const link = page.locator("table.model-grid tr.grid-compare a").first();
      assert((await link.count()) === 1, "a comparison in the grid");
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), link.click()]);
      const headings = (await page.locator("article h2").allInnerTexts()).map((t) => t.trim());
      assert(headings.some((h) => h.startsWith("Tasks in both")), `headings: ${headings}`);
      assert(headings.filter((h) => h.startsWith("Only in")).length === 2, `headings: ${headings}`);
      await screenshot(page, "compare-desktop");
      assertClean(desktop, "comparison of models");
      await page.close();
    });

    const phone = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    await checks.check("search on a model's page lists that model's tasks first, each result naming its model", async () => {
      for (const [path, model, other] of [
        ["partner/cloud/index.html", "Partner provides implementation", "Customer provides support"],
        ["cloud/index.html", "Customer provides support", "Partner provides implementation"],
      ]) {
        const page = await open(desktop, path);
        await page.locator("#search-input").fill("prime contact");
        await page.locator("#search-results:not([aria-busy])").waitFor({ state: "attached" });
        await page.locator(".search-status").filter({ hasText: /result/ }).waitFor();
        const sections = await page.locator("#search-results li .result-section").allTextContents();
        const tasks = sections.filter((s) => /· task$/i.test(s));
        assert(tasks.length >= 2, `${path}: both models' tasks are found: ${JSON.stringify(sections)}`);
        assert(tasks.every((s) => s.startsWith(model) || s.startsWith(other)), `${path}: a task without its model: ${JSON.stringify(tasks)}`);
        const firstOther = sections.findIndex((s) => s.startsWith(other));
        const lastOwn = sections.map((s) => s.startsWith(model)).lastIndexOf(true);
        assert(lastOwn >= 0 && lastOwn < firstOther, `${path}: ${model}'s results come first: ${JSON.stringify(sections)}`);
        await page.close();
      }
    });

    await checks.check("on a phone the grid and a model page do not scroll sideways", async () => {
      for (const path of ["index.html", cells[0].path]) {
        const page = await open(phone, path);
        const by = await sideways(page);
        assert(by <= 1, `${path} is ${by} px wider than the phone`);
        await screenshot(page, `${path === "index.html" ? "home" : "model"}-phone`);
        assertClean(phone, path);
        await page.close();
      }
    });

    await checks.check("home on a desktop: the grid's frame ends with its table, and no gap of a new section under the hero", async () => {
      const page = await open(desktop, "index.html");
      const g = await page.evaluate(() => {
        const wrap = document.querySelector(".table-wrap");
        const table = wrap.querySelector("table");
        const hero = document.querySelector(".hero").getBoundingClientRect();
        const h2 = document.querySelector(".hero ~ h2").getBoundingClientRect();
        return { strip: wrap.getBoundingClientRect().bottom - table.getBoundingClientRect().bottom, gap: h2.top - hero.bottom };
      });
      assert(g.strip <= 2, `an empty strip of ${g.strip} px inside the grid's frame`);
      assert(g.gap <= 40, `${Math.round(g.gap)} px between the hero and the first heading`);
      await screenshot(page, "home-desktop");
      assertClean(desktop, "home grid");
      await page.close();
    });

    await checks.check("on a phone, upright and on its side, the top bar with two switchers folds to at most 64 px once scrolled", async () => {
      for (const viewport of [PHONE, { width: PHONE.height, height: PHONE.width }]) {
        const context = await newContext(browser, { viewport, isMobile: true, hasTouch: true });
        const page = await open(context, cells[0].path);
        const height = () => page.locator(".topbar").evaluate((el) => el.getBoundingClientRect().height);
        const top = await height();
        await page.evaluate(() => window.scrollTo(0, 900));
        await page.waitForTimeout(150);
        const scrolled = await height();
        assert(scrolled <= 64, `${viewport.width} px wide, scrolled: the top bar takes ${scrolled} px (${top} at the top)`);
        await screenshot(page, `model-phone-${viewport.width}-scrolled`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(150);
        assert(await page.locator(".switcher-model").isVisible(), "back at the top, the model switcher is hidden");
        assertClean(context, `top bar ${viewport.width}`);
        await context.close();
      }
    });
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`screenshots: ${shots}`);
  checks.finish();
}

checks.run("models test", TOTAL_TIMEOUT_MS, main);
