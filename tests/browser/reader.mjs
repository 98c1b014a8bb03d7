// What a reader meets on a built rasci site in headless Chromium: glossary tooltips inside
// the RASCI table (readable above every row in light, dark and forced colours; on touch a
// first tap shows the definition and a second goes to the glossary) and the deployment
// pages at 1440, 1280 and 390 px (portrait and landscape), dark and in forced colours,
// saved as screenshots to look at.
//
//   node tests/browser/reader.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project.
// Screenshots go to $SCREENSHOT_DIR (default: a new temporary folder). The last line is
// "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, startSiteTest, isolatedContext } from "./harness.mjs";
import { join } from "node:path";

const TOTAL_TIMEOUT_MS = 240_000;
const CHECK_TIMEOUT_MS = 60_000;
const ACTION_TIMEOUT_MS = 10_000;

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser, options = {}) {
  return isolatedContext(browser, contexts, origin, { viewport: { width: 1280, height: 900 }, ...options }, { actionMs: ACTION_TIMEOUT_MS });
}

async function darkTheme(context) {
  await context.addInitScript(() => {
    try {
      localStorage.setItem("rasci-theme", "dark");
    } catch {
      // about:blank has no storage
    }
  });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  return page;
}

/** Whether the shown definition of `term` is what the reader sees at five points of it:
 * its middle and near its corners, each the definition or inside it. */
function tipOnTop(term) {
  const tip = term.querySelector(".term-def");
  const box = tip.getBoundingClientRect();
  if (box.width === 0 || getComputedStyle(tip).display === "none") return { shown: false };
  const points = [
    [box.left + box.width / 2, box.top + box.height / 2],
    [box.left + 4, box.top + 4],
    [box.right - 4, box.top + 4],
    [box.left + 4, box.bottom - 4],
    [box.right - 4, box.bottom - 4],
  ];
  const covered = points.filter(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return !hit || !(hit === tip || tip.contains(hit));
  });
  const inView = box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
  return { shown: true, covered: covered.length, inView, box: [box.left, box.top, box.right, box.bottom].map(Math.round) };
}

async function main() {
  const { shots, browser, server, origin: served } = await startSiteTest(checks, {
    name: "reader",
    usage: "node reader.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: ["cloud/index.html", "onprem/index.html"],
  });
  origin = served;
  console.log(`browser: Chromium ${browser.version()}`);
  const written = [];
  async function screenshot(page, name, options = {}) {
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, animations: "disabled", ...options });
    written.push(file);
  }

  try {
    // ------------------------------------------------------------------ tooltips
    for (const [name, options, dark] of [
      ["light", {}, false],
      ["dark", { colorScheme: "dark" }, true],
      ["forced colours", { forcedColors: "active" }, false],
    ]) {
      await checks.check(`glossary tooltips in the On Premises table, ${name}: every one above the rows under it`, async () => {
        const context = await newContext(browser, options);
        if (dark) await darkTheme(context);
        const page = await open(context, "onprem/index.html");
        const terms = page.locator("table.rasci tbody th[scope=row] .term");
        const count = await terms.count();
        assert(count >= 4, `only ${count} glossary terms in the table's rows`);
        for (let i = 0; i < count; i++) {
          const term = terms.nth(i);
          await term.locator(".term-link").scrollIntoViewIfNeeded();
          await term.locator(".term-link").hover();
          await page.waitForTimeout(50);
          const state = await term.evaluate(tipOnTop);
          const word = await term.locator(".term-link").textContent();
          assert(state.shown, `${name}: the definition of "${word}" does not show on hover`);
          assert(state.covered === 0, `${name}: the definition of "${word}" is painted over at ${state.covered} of 5 points ${state.box}`);
          assert(state.inView, `${name}: the definition of "${word}" is outside the window ${state.box}`);
          if (i === 1) await screenshot(page, `tooltip-table-${name.replace(/ /g, "-")}`);
        }
        // Keyboard focus shows it too, on top.
        await page.mouse.move(1, 1);
        await terms.nth(0).locator(".term-link").focus();
        const focused = await terms.nth(0).evaluate(tipOnTop);
        assert(focused.shown && focused.covered === 0, `${name}: on focus the definition is hidden or covered`);
        assertClean(context, `tooltips, ${name}`);
        await context.close();
      });
    }

    await checks.check("glossary tooltips on touch: a tap shows the definition, a second tap goes to the glossary", async () => {
      const context = await newContext(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
      const page = await open(context, "onprem/index.html");
      const term = page.locator("table.rasci tbody th[scope=row] .term").nth(1);
      await term.locator(".term-link").scrollIntoViewIfNeeded();
      await term.locator(".term-link").tap();
      await page.waitForTimeout(100);
      assert(page.url().endsWith("onprem/index.html"), `the first tap left the page for ${page.url()}`);
      const state = await term.evaluate(tipOnTop);
      assert(state.shown, "a tap does not show the definition");
      assert(state.covered === 0 && state.inView, `the tapped definition is covered or cut off ${JSON.stringify(state)}`);
      await screenshot(page, "tooltip-touch-390");
      // A tap elsewhere closes it.
      await page.locator("h1").tap();
      await page.waitForTimeout(50);
      assert(!(await term.evaluate(tipOnTop)).shown, "a tap elsewhere leaves the definition open");
      // Tap, then tap again: the glossary.
      await term.locator(".term-link").tap();
      await Promise.all([page.waitForURL(/glossary\/index\.html#term-/), term.locator(".term-link").tap()]);
      assertClean(context, "touch tooltips");
      await context.close();
    });

    // ------------------------------------------------------------------ phone
    for (const [name, viewport] of [
      ["390 portrait", { width: 390, height: 844 }],
      ["390 landscape", { width: 844, height: 390 }],
    ]) {
      await checks.check(`phone, ${name}: search shows 12 characters at 16 px, the top bar folds to 64 px, every party in view, a clean breadcrumb`, async () => {
        const context = await newContext(browser, { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
        const page = await open(context, "onprem/index.html");
        const tag = name.replace(/ /g, "-");
        await screenshot(page, `onprem-phone-${tag}-top`);
        const search = await page.locator("#search-input").evaluate((input) => {
          const style = getComputedStyle(input);
          const inner = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const canvas = document.createElement("canvas").getContext("2d");
          canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          return { fontSize: parseFloat(style.fontSize), inner, twelve: canvas.measureText("who closes t").width };
        });
        assert(search.fontSize >= 16, `the search field's font is ${search.fontSize} px`);
        assert(search.inner >= search.twelve, `the search field shows ${Math.round(search.inner)} px, 12 characters need ${Math.round(search.twelve)}`);
        // Scrolled down, the top bar folds to one row.
        await page.evaluate(() => window.scrollTo(0, 900));
        await page.waitForTimeout(150);
        const bar = await page.locator(".topbar").evaluate((el) => el.getBoundingClientRect().height);
        assert(bar <= 64, `scrolled, the top bar takes ${bar} px`);
        // Back at the top, the switcher is there again.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(150);
        assert(await page.locator(".topbar .switcher").isVisible(), "at the top, the deployment switcher is hidden");
        // The matrix: every party's column in view and named, no sideways scroll.
        const table = await page.locator(".table-wrap").evaluate((wrap) => {
          const box = wrap.getBoundingClientRect();
          const heads = Array.from(wrap.querySelectorAll("thead th")).map((th) => {
            const r = th.getBoundingClientRect();
            return { name: th.textContent.trim(), left: r.left, right: r.right };
          });
          return { scroll: wrap.scrollWidth - wrap.clientWidth, left: box.left, right: box.right, heads };
        });
        assert(table.scroll <= 0, `the table scrolls sideways by ${table.scroll} px`);
        const names = table.heads.slice(1).map((h) => h.name);
        assert(JSON.stringify(names) === JSON.stringify(["Anywhere365", "Customer", "End-users"]), `party columns: ${names}`);
        for (const head of table.heads) {
          assert(head.left >= table.left - 1 && head.right <= table.right + 1, `"${head.name}" is not in view: ${Math.round(head.left)}–${Math.round(head.right)}`);
        }
        await page.locator("table.rasci").scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, 300));
        await page.waitForTimeout(150);
        await screenshot(page, `onprem-phone-${tag}-table`);
        // The breadcrumb's separators end their items: a wrapped line never starts with one.
        const guide = await open(context, "onprem/submission-guidelines/index.html");
        const crumbs = await guide.locator(".breadcrumb li").evaluateAll((items) =>
          items.map((li) => ({ before: getComputedStyle(li, "::before").content, after: getComputedStyle(li, "::after").content })),
        );
        assert(crumbs.length >= 3, "no breadcrumb");
        assert(crumbs.every((c) => c.before === "none" || c.before === "normal"), `a separator starts an item: ${JSON.stringify(crumbs)}`);
        assert(crumbs.slice(0, -1).every((c) => c.after === '"/"') && ["none", "normal"].includes(crumbs.at(-1).after), `separators: ${JSON.stringify(crumbs)}`);
        assertClean(context, `phone ${name}`);
        await context.close();
      });
    }

    // ------------------------------------------------------------------ smaller items
    await checks.check("system cards take their manager's colour from the drawing; anchors are out of the Tab order; the search field's focus ring is the amber one", async () => {
      const context = await newContext(browser);
      const page = await open(context, "onprem/index.html");
      const cards = await page.locator("ul.systems > li").evaluateAll((items) =>
        items.map((li) => ({ manager: li.querySelector(".managed").textContent.replace("Managed by ", "").trim(), edge: getComputedStyle(li).borderLeftColor })),
      );
      const byManager = {};
      for (const card of cards) (byManager[card.manager] ||= new Set()).add(card.edge);
      const managers = Object.keys(byManager);
      assert(managers.length >= 2, `cards of ${managers.length} managers`);
      assert(managers.every((m) => byManager[m].size === 1), `one manager's cards differ: ${JSON.stringify(cards)}`);
      assert(new Set(managers.map((m) => [...byManager[m]][0])).size === managers.length, `two managers share a colour: ${JSON.stringify(cards)}`);
      // The drawing's group of each manager has the card's colour.
      const groups = await page.locator("svg.rasci-diagram-systems g[class^='rasci-party-']").evaluateAll((gs) =>
        gs.map((g) => ({ name: (g.querySelector(".rasci-group-name") || {}).textContent, stroke: getComputedStyle(g.querySelector(".rasci-group") || g).stroke })),
      );
      for (const group of groups.filter((g) => g.name && byManager[g.name.trim()])) {
        assert([...byManager[group.name.trim()]][0] === group.stroke, `${group.name}: card ${[...byManager[group.name.trim()]][0]}, drawing ${group.stroke}`);
      }
      const anchors = await page.locator("a.anchor").evaluateAll((as) => as.map((a) => a.tabIndex));
      assert(anchors.length > 4 && anchors.every((t) => t === -1), `section links in the Tab order: ${anchors}`);
      await page.locator("#search-input").focus();
      const ring = await page.locator("#search-input").evaluate((input) => {
        const style = getComputedStyle(input);
        const probe = document.createElement("span");
        probe.style.color = "var(--focus)";
        document.body.appendChild(probe);
        const focus = getComputedStyle(probe).color;
        probe.remove();
        return { width: style.outlineWidth, color: style.outlineColor, focus };
      });
      assert(ring.width === "3px" && ring.color === ring.focus, `the search field's ring: ${JSON.stringify(ring)}`);
      assertClean(context, "smaller items");
      await context.close();
    });

    await checks.check("forced colours: the current deployment in the switcher stands apart from the other", async () => {
      const context = await newContext(browser, { forcedColors: "active" });
      const page = await open(context, "onprem/index.html");
      const items = await page.locator(".topbar .switcher a").evaluateAll((as) =>
        as.map((a) => ({ current: a.classList.contains("current"), bg: getComputedStyle(a).backgroundColor, fg: getComputedStyle(a).color })),
      );
      const current = items.find((i) => i.current);
      const other = items.find((i) => !i.current);
      assert(current && other, JSON.stringify(items));
      assert(current.bg !== other.bg && current.fg !== other.fg, `in forced colours the current item looks like the other: ${JSON.stringify(items)}`);
      await screenshot(page, "onprem-forced-colours-switcher", { clip: { x: 0, y: 0, width: 1280, height: 60 } });
      assertClean(context, "forced colours switcher");
      await context.close();
    });

    // ------------------------------------------------------------------ screenshots to look at
    await checks.check("screenshots: On Premises at 1440 and 1280, dark, forced colours", async () => {
      for (const [name, options, dark] of [
        ["1440", { viewport: { width: 1440, height: 900 } }, false],
        ["1280", { viewport: { width: 1280, height: 800 } }, false],
        ["1280-dark", { viewport: { width: 1280, height: 800 }, colorScheme: "dark" }, true],
        ["1280-forced-colours", { viewport: { width: 1280, height: 800 }, forcedColors: "active" }, false],
      ]) {
        const context = await newContext(browser, options);
        if (dark) await darkTheme(context);
        const page = await open(context, "onprem/index.html");
        await screenshot(page, `onprem-${name}-top`);
        await page.locator("table.rasci").scrollIntoViewIfNeeded();
        await screenshot(page, `onprem-${name}-table`);
        assertClean(context, `screenshots ${name}`);
        await context.close();
      }
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(written);
}

checks.run("reader test", TOTAL_TIMEOUT_MS, main);
