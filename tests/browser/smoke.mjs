// Smoke test of a built rasci site in headless Chromium.
//
//   node tests/browser/smoke.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project. The
// site is served from 127.0.0.1 on a free port by a small static server, and the home
// page is opened once from disk (file://) as well. The site navigation is checked with
// scripts (the whole tree, built from static/js/nav.js) and without (the page's bounded
// fallback). Every page must load without console
// errors, page errors, failed or refused requests, and without any request to another
// host. Screenshots go to $SCREENSHOT_DIR (default: a new temporary folder).
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, fail, startSiteTest, watch, withTimeout } from "./harness.mjs";
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";

const TOTAL_TIMEOUT_MS = 180_000; // the whole run
const ACTION_TIMEOUT_MS = 10_000; // one click, wait or evaluation
const NAVIGATION_TIMEOUT_MS = 15_000; // one page load
const CHECK_TIMEOUT_MS = 45_000; // one check, everything included
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const EXPECTED_ROWS = { cloud: 14, onprem: 18 };
const WIDTHS = [390, 768, 1400]; // phone, tablet, desktop


const contexts = new Set(); // open browser contexts, each with the problems it saw
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);

// ---------------------------------------------------------------------------------------
// Pages that record everything that went wrong while they were open.

let origin = ""; // http://127.0.0.1:PORT
let siteUrlOnDisk = ""; // file:///…/site/

function isSiteUrl(url) {
  if (url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") return true;
  if (url.startsWith(siteUrlOnDisk)) return true;
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "ws:") && u.host === new URL(origin).host;
  } catch {
    return false;
  }
}

async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.problems = [];
  contexts.add(context);
  context.on("close", () => contexts.delete(context));
  // No request leaves the site: anything for another host is refused and reported.
  await context.route(
    (url) => !isSiteUrl(url.href),
    (route) => {
      context.problems.push(`request to another host: ${route.request().url()}`);
      return route.abort("blockedbyclient");
    },
  );
  context.on("page", (page) => watch(page, context.problems));
  return context;
}

async function open(context, path) {
  const page = await context.newPage();
  const url = path.includes("://") ? path : `${origin}/${path}`;
  const response = await page.goto(url, { waitUntil: "load" });
  if (response && !url.startsWith("file:")) {
    assert(response.ok(), `${url} answered HTTP ${response.status()}`);
  }
  // Let deferred scripts and anything they start settle.
  await page.waitForLoadState("networkidle", { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => {});
  return page;
}

/** Rows of the RASCI table that are tasks (not the section rows). */
function taskRows(page) {
  return page.locator("table.rasci tbody tr").filter({ has: page.locator("th[scope=row]") });
}

/** Is the element really shown: laid out, not hidden, not transparent. */
async function shown(locator) {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    let node = el;
    while (node && node.nodeType === 1) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility !== "visible" || Number(style.opacity) === 0) {
        return false;
      }
      node = node.parentElement;
    }
    return box.width > 0 && box.height > 0;
  });
}

async function waitShown(locator, expected, what) {
  const deadline = Date.now() + ACTION_TIMEOUT_MS;
  for (;;) {
    if ((await shown(locator)) === expected) return;
    if (Date.now() > deadline) fail(`${what} is ${expected ? "not shown" : "still shown"}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** In the page: how far the document is wider than the window, and the innermost
 * elements that reach the far right edge. */
function sidewaysOverflow() {
  const root = document.documentElement;
  const by = root.scrollWidth - root.clientWidth;
  if (by <= 1) return { by, culprits: [] };
  // Whether a box can widen the document: not fixed, and not inside a scroll or clip box
  // that contains it (an absolute box escapes overflow boxes that are not positioned).
  const unclipped = (el) => {
    let position = getComputedStyle(el).position;
    if (position === "fixed") return false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const containing = position !== "absolute" || style.position !== "static" || style.transform !== "none";
      if (containing && style.overflowX !== "visible") return false;
      if (containing) position = style.position;
      if (position === "fixed") return false;
    }
    return true;
  };
  const boxes = Array.from(document.body.querySelectorAll("*")).filter(unclipped);
  const reach = (el) => el.getBoundingClientRect().right + window.scrollX;
  const edge = Math.max(...boxes.map(reach));
  const far = boxes.filter((el) => reach(el) >= edge - 1);
  const innermost = far.filter((el) => !far.some((other) => other !== el && el.contains(other)));
  const name = (el) => el.tagName.toLowerCase() + Array.from(el.classList, (c) => "." + c).join("");
  const counts = new Map();
  for (const el of innermost) {
    const path = `${el.parentElement ? name(el.parentElement) + " > " : ""}${name(el)}`;
    counts.set(path, (counts.get(path) || 0) + 1);
  }
  return { by, culprits: Array.from(counts, ([path, n]) => (n > 1 ? `${path} (${n}×)` : path)).slice(0, 4) };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const { site, shots, browser, server, origin: served } = await startSiteTest(checks, {
    name: "smoke",
    usage: "node smoke.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: ["index.html", "cloud/index.html", "onprem/index.html"],
  });
  origin = served;
  siteUrlOnDisk = pathToFileURL(site + sep).href;
  console.log(`browser: Chromium ${browser.version()}`);

  const screenshots = [];
  async function screenshot(page, name) {
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
    screenshots.push(file);
  }

  try {
    const desktop = await newContext(browser);

    await checks.check("home page loads over http without errors", async () => {
      const page = await open(desktop, "index.html");
      assert((await page.title()).length > 0, "the home page has no title");
      assert((await page.locator("h1").count()) === 1, "the home page should have one h1");
      const css = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position);
      assert(css === "sticky" || css === "fixed", `the stylesheet looks unapplied (top bar is ${css})`);
      await screenshot(page, "home");
      assertClean(desktop, "home page");
      await page.close();
    });

    await checks.check("home page works from disk (file://), search included", async () => {
      const disk = await newContext(browser);
      try {
        const page = await open(disk, new URL("index.html", siteUrlOnDisk).href);
        const css = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position);
        assert(css === "sticky" || css === "fixed", `the stylesheet is not applied from disk (top bar is ${css})`);
        await page.keyboard.press("/");
        await page.keyboard.type("tenant");
        const first = page.locator("#search-results li a").first();
        await first.waitFor({ state: "visible" });
        const href = await first.evaluate((a) => a.href);
        assert(href.startsWith(siteUrlOnDisk), `a search result leads off the site on disk: ${href}`);
        const nav = page.locator("#sidebar nav[data-nav]");
        assert((await nav.getAttribute("data-nav")) === "full", "the navigation is not built from nav.js on disk");
        const home = await nav.locator("a[aria-current=page]").evaluate((a) => a.href);
        assert(home === new URL("index.html", siteUrlOnDisk).href, `the home page is not marked on disk: ${home}`);
        assertClean(disk, "home page from disk");
      } finally {
        await disk.close();
      }
    });

    for (const [scope, rows] of Object.entries(EXPECTED_ROWS)) {
      await checks.check(`${scope}/index.html loads without errors and its table has ${rows} task rows`, async () => {
        const page = await open(desktop, `${scope}/index.html`);
        const count = await taskRows(page).count();
        assert(count === rows, `the RASCI table has ${count} task rows, expected ${rows}`);
        assert(await shown(page.locator("table.rasci")), "the RASCI table is not shown");
        if (scope === "cloud") await screenshot(page, "cloud-desktop-1400");
        assertClean(desktop, `${scope}/index.html`);
        await page.close();
      });
    }

    await checks.check("the table reads as the seed writes it: its first head and a copied row's letters", async () => {
      const page = await open(desktop, "cloud/index.html");
      const head = (await page.locator("table.rasci thead th").first().innerText()).trim();
      assert(head === "Task & Involved party", `the first column's head reads "${head}"`);
      // Selecting a row copies the letters in the data's order, without the role names
      // that screen readers hear.
      const copied = await page.evaluate(() => {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById("task-change-request"));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
      });
      const expected = "Change request from end-user\tC, S\tA, R\tC, I";
      assert(copied === expected, `a selected row copies ${JSON.stringify(copied)}, expected ${JSON.stringify(expected)}`);
      const cell = page.locator("#task-change-request td").first();
      const spoken = (await cell.ariaSnapshot()).replace(/\s+/g, " ");
      assert(/Consulted ?, Supportive/.test(spoken), `the first cell reads out as ${spoken}`);
      assertClean(desktop, "copying a row");
      await page.close();
    });

    await checks.check("deployment switcher goes from Dialogue Cloud to On Premises", async () => {
      const page = await open(desktop, "cloud/index.html");
      const current = page.locator(".switcher a[aria-current]");
      assert((await current.innerText()).trim() === "Dialogue Cloud", "Dialogue Cloud is not the current deployment");
      const other = page.locator(".switcher a:not([aria-current])");
      assert((await other.count()) === 1, `expected one other deployment, found ${await other.count()}`);
      await Promise.all([page.waitForURL(/\/onprem\/index\.html$/), other.click()]);
      await page.waitForLoadState("load");
      assert(new URL(page.url()).pathname === "/onprem/index.html", `landed on ${page.url()}`);
      const now = (await page.locator(".switcher a[aria-current]").innerText()).trim();
      assert(now === "On Premises", `the switcher shows "${now}" as current after switching`);
      assert((await taskRows(page).count()) === EXPECTED_ROWS.onprem, "the On Premises table is not there");
      assertClean(desktop, "switching deployment");
      await page.close();
    });

    await checks.check("navigation with scripts: the whole tree from nav.js, the page marked, its group open", async () => {
      const path = "cloud/reading-the-matrix/index.html";
      const page = await open(desktop, path);
      const nav = page.locator("#sidebar nav[data-nav]");
      assert((await nav.getAttribute("data-nav")) === "full", "site.js did not build the navigation from nav.js");
      const tree = await page.evaluate(() => window.RASCI_NAV);
      assert(Array.isArray(tree) && tree.length > 0, "nav.js did not set window.RASCI_NAV");
      const expected = tree.flatMap((group) => group.i.map((item) => new URL(item[1], `${origin}/`).href));
      const links = await nav.locator("a").evaluateAll((as) => as.map((a) => a.href));
      assert(JSON.stringify(links) === JSON.stringify(expected), `the navigation lists ${links.length} links, nav.js ${expected.length}`);
      assert(new Set(links).size === links.length, "a page is listed twice in the navigation");
      const current = await nav.locator("a[aria-current=page]").evaluateAll((as) => as.map((a) => a.href));
      assert(current.length === 1 && current[0] === `${origin}/${path}`, `current: ${current.join(", ")}`);
      const openness = await nav.locator("details.nav-group").evaluateAll((ds) =>
        ds.map((d) => [d.querySelector("summary").textContent, d.open]),
      );
      const groups = Object.fromEntries(openness);
      assert(groups["Dialogue Cloud"] === true, "the page's deployment group is closed");
      assert(groups["On Premises"] === false, "the other deployment's group is open");
      assertClean(desktop, "navigation with scripts");
      await page.close();
    });

    await checks.check("navigation without scripts: a bounded fallback with the landmarks and the page marked", async () => {
      const noScript = await newContext(browser, { javaScriptEnabled: false });
      try {
        const path = "onprem/submission-guidelines/index.html";
        const page = await open(noScript, path);
        const nav = page.locator("#sidebar nav[data-nav]");
        assert((await nav.getAttribute("data-nav")) === "fallback", "the page has no fallback navigation");
        const links = await nav.locator("a").evaluateAll((as) => as.map((a) => a.href));
        for (const landmark of ["index.html", "cloud/index.html", "onprem/index.html", "compare/index.html", "glossary/index.html"]) {
          const url = `${origin}/${landmark}`;
          assert(links.includes(url), `the fallback navigation has no link to ${landmark}`);
        }
        const current = await nav.locator("a[aria-current=page]").evaluateAll((as) => as.map((a) => a.href));
        assert(current.length === 1 && current[0] === `${origin}/${path}`, `current: ${current.join(", ")}`);
        // Landmarks plus at most a fixed window of neighbours, whatever the site's size.
        assert(links.length <= 5 + 2 * 4 + 1, `the fallback navigation has ${links.length} links`);
        assert(await shown(nav.locator("a[aria-current=page]")), "the current page is not shown in the fallback");
        assertClean(noScript, "navigation without scripts");
      } finally {
        await noScript.close();
      }
    });

    await checks.check("glossary term shows its definition on hover and on keyboard focus", async () => {
      const page = await open(desktop, "cloud/index.html");
      const terms = page.locator(".content .term");
      assert((await terms.count()) >= 2, "fewer than two glossary terms are marked on the cloud page");
      const first = terms.nth(0);
      const tip = first.locator(".term-def");
      const describedBy = await first.locator(".term-link").getAttribute("aria-describedby");
      assert(describedBy && describedBy === (await tip.getAttribute("id")), "the term link is not described by its tooltip");
      assert(!(await shown(tip)), "a definition is shown before any hover or focus");
      await first.locator(".term-link").scrollIntoViewIfNeeded();
      await first.locator(".term-link").hover();
      await waitShown(tip, true, "the definition on hover");
      assert((await tip.innerText()).trim().length > 20, "the shown definition is empty");
      await page.mouse.move(0, DESKTOP.height - 1);
      await waitShown(tip, false, "the definition after the pointer left");

      // Keyboard: Tab from the term just before it reaches the link and shows its tip.
      const second = terms.nth(1);
      const secondTip = second.locator(".term-def");
      await first.locator(".term-link").focus();
      await page.keyboard.press("Tab");
      const focusedIsSecond = await second.locator(".term-link").evaluate((el) => el === document.activeElement);
      if (!focusedIsSecond) await second.locator(".term-link").focus();
      await waitShown(secondTip, true, "the definition on keyboard focus");
      await page.keyboard.press("Shift+Tab");
      await second.locator(".term-link").evaluate((el) => el.blur());
      await page.mouse.move(0, DESKTOP.height - 1);
      await waitShown(secondTip, false, "the definition after focus left");

      // A later mark of a term carries no definition of its own: it is described by the
      // first one, and shows a copy of it on focus.
      const unexplained = page.locator(".content .term:not(:has(.term-def))").first();
      assert((await unexplained.count()) === 1, "no later mark of a term on the cloud page");
      // Named, as the locator above stops matching it once it holds the copy.
      await unexplained.evaluate((el) => el.setAttribute("data-later-mark", ""));
      const later = page.locator("[data-later-mark]");
      const laterLink = later.locator(".term-link");
      const describedById = await laterLink.getAttribute("aria-describedby");
      const described = page.locator(`[id="${describedById}"]`);
      assert(await described.evaluate((el) => el.classList.contains("term-def")), "a later mark is not described by a definition");
      await laterLink.scrollIntoViewIfNeeded();
      await laterLink.focus();
      const copy = later.locator(".term-def");
      await waitShown(copy, true, "the definition of a later mark on keyboard focus");
      assert((await copy.textContent()) === (await described.textContent()), "the later mark shows another text");
      assert((await copy.getAttribute("aria-hidden")) === "true", "the copy is not hidden from assistive technology");
      await laterLink.evaluate((el) => el.blur());
      await page.mouse.move(0, DESKTOP.height - 1);
      await waitShown(copy, false, "the later mark's definition after focus left");
      assertClean(desktop, "glossary tooltips");
      await page.close();
    });

    await checks.check('search opened with "/" finds a task and Enter opens it', async () => {
      const page = await open(desktop, "index.html");
      await page.locator("body").click({ position: { x: 5, y: DESKTOP.height - 5 } }).catch(() => {});
      await page.keyboard.press("/");
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert(focused === "search-input", `"/" did not focus the search box (focus is on "${focused}")`);
      await page.keyboard.type("tenant");
      const results = page.locator("#search-results li a");
      await results.first().waitFor({ state: "visible" });
      assert(await shown(page.locator(".search-panel")), "the result panel is not shown");
      const hrefs = await results.evaluateAll((as) => as.map((a) => a.href));
      const task = hrefs.findIndex((h) => /\/(cloud|onprem)\/index\.html#task-/.test(h));
      assert(task >= 0, `no result links to a task on a deployment page:\n${hrefs.join("\n")}`);
      for (let i = 0; i <= task; i += 1) await page.keyboard.press("ArrowDown");
      const selected = await page.locator("#search-results li[aria-selected=true] a").getAttribute("href");
      const expected = hrefs[task];
      assert(new URL(selected, page.url()).href === expected, `ArrowDown selected ${selected}, expected ${expected}`);
      await Promise.all([page.waitForURL((url) => url.href === expected), page.keyboard.press("Enter")]);
      await page.waitForLoadState("load");
      const id = new URL(expected).hash.slice(1);
      assert((await page.locator(`[id="${id}"]`).count()) === 1, `the page has no element #${id}`);
      assertClean(desktop, "search");
      await page.close();
    });

    await checks.check("theme toggle changes data-theme on <html> and the colours", async () => {
      const page = await open(desktop, "cloud/index.html");
      const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const toggle = page.locator(".theme-toggle");
      const seen = [await theme()];
      const colours = { [String(seen[0])]: await background() };
      for (let i = 0; i < 3; i += 1) {
        await toggle.click();
        seen.push(await theme());
        colours[String(seen.at(-1))] = await background();
        if (seen.at(-1) === "dark") await screenshot(page, "cloud-dark");
      }
      assert(new Set(seen).size >= 3, `data-theme went through ${JSON.stringify(seen)}, expected auto, light and dark`);
      assert(seen.includes("light") && seen.includes("dark"), `data-theme never became light and dark: ${JSON.stringify(seen)}`);
      assert(colours.light !== colours.dark, `the page background is ${colours.light} in both light and dark`);
      assert(seen[0] === seen.at(-1), `three clicks did not come back to the start: ${JSON.stringify(seen)}`);
      // The choice is kept for the next page.
      await toggle.click();
      const kept = await theme();
      await page.goto(`${origin}/onprem/index.html`);
      assert((await theme()) === kept, `the theme ${kept} was not kept on the next page`);
      await page.evaluate(() => localStorage.clear());
      assertClean(desktop, "theme toggle");
      await page.close();
    });

    await desktop.close();

    await checks.check("On Premises on a 390 px phone: table and switcher shown", async () => {
      const phone = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      try {
        const page = await open(phone, "onprem/index.html");
        assert((await taskRows(page).count()) === EXPECTED_ROWS.onprem, "the On Premises table is not there");
        assert(await shown(page.locator(".switcher")), "the deployment switcher is not shown on a phone");
        await screenshot(page, "onprem-phone-390");
        assertClean(phone, "phone page");
      } finally {
        await phone.close();
      }
    });

    await checks.check(`no page scrolls sideways at ${WIDTHS.join(", ")} px`, async () => {
      const found = [];
      for (const width of WIDTHS) {
        const context = await newContext(browser, { viewport: { width, height: 900 } });
        try {
          for (const path of ["index.html", "cloud/index.html", "onprem/index.html"]) {
            const page = await open(context, path);
            const overflow = await page.evaluate(sidewaysOverflow);
            if (overflow.by > 1) {
              found.push(`${path} at ${width} px: ${overflow.by} px wider than the window, reaching that far: ${overflow.culprits.join(", ")}`);
            }
            await page.close();
          }
          assertClean(context, `pages at ${width} px`);
        } finally {
          await context.close();
        }
      }
      assert(found.length === 0, found.join("\n"));
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(screenshots);
}

checks.run("smoke test", TOTAL_TIMEOUT_MS, main);
