// Browser test of the diagrams on a deployment page, as a reader sees them.
//
//   node tests/browser/flows.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project, served
// from 127.0.0.1 on a free port. At the default desktop width (a 1280×800 window) the
// support flow must fit its column without scrolling, with the text of its steps shown at
// 12 px or more and inside its boxes; each drawing sits in a focusable, labelled region
// that a keyboard can scroll when the drawing is wider than the column. On a phone
// (390×844) the numbered steps come first and the drawing waits behind a disclosure that
// opens it readable. Printed (print media, at the width of an A4 page's content), every
// drawing fits the page with no scrollbar and no download link. Screenshots go to
// $SCREENSHOT_DIR (default: a new temporary folder).
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, Checks, assert, assertClean, serveSite, watch, isolatedContext, startSiteTest } from "./harness.mjs";
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TOTAL_TIMEOUT_MS = 120_000; // the whole run
const ACTION_TIMEOUT_MS = 10_000; // one click, wait or evaluation
const NAVIGATION_TIMEOUT_MS = 15_000; // one page load
const CHECK_TIMEOUT_MS = 45_000; // one check, everything included
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const A4_CONTENT = { width: 688, height: 1017 }; // 182 × 269 mm at 96 px per inch
const MIN_TEXT_PX = 12; // the smallest a step's text may be shown at
const PAGES = ["cloud", "onprem"];

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser, viewport) {
  return isolatedContext(browser, contexts, origin, { viewport }, { actionMs: ACTION_TIMEOUT_MS, navigationMs: NAVIGATION_TIMEOUT_MS });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  await page.waitForLoadState("networkidle", { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => {});
  return page;
}

/**
 * In the page: every drawing with its region and what a reader gets of it. Font sizes are
 * as shown on screen: the size the drawing's stylesheet sets, times the drawing's scale.
 */
function measureDiagrams() {
  return Array.from(document.querySelectorAll("svg.rasci-diagram")).map((svg) => {
    const region = svg.closest(".diagram-scroll");
    const figure = svg.closest("figure");
    const title = svg.querySelector("title");
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const sizes = Array.from(svg.querySelectorAll(".rasci-node-text"), (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    // Text that leaves its box, in the drawing's own units and with the real font.
    const cut = [];
    for (const group of svg.querySelectorAll("[data-step], [data-system]")) {
      const shape = group.querySelector(".rasci-node");
      const text = group.querySelector("text");
      if (!shape || !text) continue;
      const s = shape.getBBox();
      const t = text.getBBox();
      const slack = 1;
      if (t.x < s.x - slack || t.y < s.y - slack || t.x + t.width > s.x + s.width + slack || t.y + t.height > s.y + s.height + slack) {
        cut.push(group.getAttribute("data-step") || group.getAttribute("data-system"));
      }
    }
    const download = figure && figure.querySelector(".diagram-download");
    return {
      id: svg.id,
      kind: svg.classList.contains("rasci-diagram-flow") ? "flow" : "systems",
      title: title ? title.textContent : "",
      width: box.width,
      naturalWidth: svg.viewBox.baseVal.width,
      columnWidth: figure ? figure.parentElement.getBoundingClientRect().width : 0,
      region: region && {
        role: region.getAttribute("role"),
        tabindex: region.getAttribute("tabindex"),
        label: region.getAttribute("aria-label") || "",
        clientWidth: region.clientWidth,
        scrollWidth: region.scrollWidth,
        overflowX: getComputedStyle(region).overflowX,
      },
      smallestText: sizes.length ? Math.min(...sizes) : null,
      cut,
      downloadShown: !!download && getComputedStyle(download).display !== "none",
    };
  });
}

async function diagramsOf(page) {
  const found = await page.evaluate(measureDiagrams);
  assert(found.some((d) => d.kind === "flow"), "no flow drawing on the page");
  assert(found.some((d) => d.kind === "systems"), "no systems drawing on the page");
  return found;
}

function assertRegion(d) {
  assert(d.region, `${d.id}: not in a scroll region`);
  assert(d.region.role === "region", `${d.id}: region role is ${d.region.role}`);
  assert(d.region.tabindex === "0", `${d.id}: region is not focusable (tabindex ${d.region.tabindex})`);
  assert(d.title && d.region.label.includes(d.title), `${d.id}: region label "${d.region.label}" does not name "${d.title}"`);
}

function assertReadable(d) {
  assert(d.smallestText !== null, `${d.id}: no step text found`);
  assert(d.smallestText >= MIN_TEXT_PX - 0.01, `${d.id}: step text shown at ${d.smallestText.toFixed(2)} px, under ${MIN_TEXT_PX} px`);
  assert(d.cut.length === 0, `${d.id}: text leaves its box in ${d.cut.join(", ")}`);
}

/** Focuses the region of `id` from the keyboard's point of view and scrolls it with the arrow key. */
async function scrollsByKeyboard(page, id) {
  const region = page.locator(`.diagram-scroll:has(> svg#${id})`);
  await region.focus();
  const focused = await region.evaluate((el) => document.activeElement === el);
  assert(focused, `${id}: the region does not take focus`);
  const before = await region.evaluate((el) => el.scrollLeft);
  // The arrow key scrolls smoothly: wait for the scroll to end (or for nothing to happen).
  const ended = region.evaluate(
    (el) => new Promise((done) => { el.addEventListener("scrollend", done, { once: true }); setTimeout(done, 2000); }),
  );
  await page.keyboard.press("ArrowRight");
  await ended;
  const after = await region.evaluate((el) => el.scrollLeft);
  assert(after > before, `${id}: ArrowRight in the focused region does not scroll it (scrollLeft ${before} -> ${after})`);
}

async function main() {
  const { site, shots, server, browser, origin: served } = await startSiteTest(checks, {
    name: "flows",
    usage: "node flows.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: PAGES.map((page) => `${page}/index.html`),
  });
  origin = served;
  console.log(`browser: Chromium ${browser.version()}`);
  const screenshots = [];
  async function screenshot(target, name) {
    const file = join(shots, `${name}.png`);
    const options = { path: file, animations: "disabled" };
    await target.screenshot(target.goto ? { ...options, fullPage: true } : options);
    screenshots.push(file);
  }

  try {
    const desktop = await newContext(browser, DESKTOP);
    for (const scope of PAGES) {
      await checks.check(`${scope} at 1280×800: the flow fits its column, text ≥ ${MIN_TEXT_PX} px, regions labelled`, async () => {
        const page = await open(desktop, `${scope}/`);
        for (const d of await diagramsOf(page)) {
          assertRegion(d);
          assertReadable(d);
          assert(d.width <= d.columnWidth + 0.5, `${d.id}: ${d.width} px wide in a ${d.columnWidth} px column`);
          assert(d.region.scrollWidth <= d.region.clientWidth, `${d.id}: scrolls (${d.region.scrollWidth} px in ${d.region.clientWidth} px)`);
          assert(d.downloadShown, `${d.id}: no "Download SVG" link on screen`);
        }
        const drawing = page.locator("details.flow-drawing");
        assert(await drawing.evaluate((el) => el.open), "the flow's drawing is not open on a wide screen");
        assert(!(await page.locator("details.flow-drawing > summary").isVisible()), "the disclosure's summary shows on a wide screen");
        if (scope === "cloud") {
          await screenshot(page.locator("figure.diagram:has(svg.rasci-diagram-flow)"), "flow-desktop-1280");
          await screenshot(page, "cloud-desktop-1280");
        }
        assertClean(desktop, `${scope} at 1280 px`);
        await page.close();
      });
    }

    // Printed on A4 portrait with the print stylesheet's 14 mm margins, the page's content
    // is 182 mm wide: 688 CSS pixels.
    const paper = await newContext(browser, A4_CONTENT);
    await checks.check("printed on A4: every drawing fits the page, no scrollbar, no download link", async () => {
      const page = await open(paper, "onprem/");
      await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
      await page.emulateMedia({ media: "print" });
      for (const d of await page.evaluate(measureDiagrams)) {
        assert(d.width <= d.columnWidth + 0.5, `${d.id}: ${d.width} px wide on a ${d.columnWidth} px page`);
        assert(d.region.scrollWidth <= d.region.clientWidth, `${d.id}: clipped (${d.region.scrollWidth} px in ${d.region.clientWidth} px)`);
        assert(d.region.overflowX === "visible", `${d.id}: printed with overflow-x ${d.region.overflowX}`);
        assert(!d.downloadShown, `${d.id}: "Download SVG" is printed`);
        assert(d.cut.length === 0, `${d.id}: text leaves its box in ${d.cut.join(", ")}`);
      }
      await screenshot(page.locator("figure.diagram:has(svg.rasci-diagram-flow)"), "flow-print");
      assertClean(paper, "onprem printed");
      await page.close();
    });

    const phone = await newContext(browser, PHONE);
    await checks.check("phone at 390×844: steps first, the drawing behind a disclosure, readable and scrollable", async () => {
      const page = await open(phone, "cloud/");
      const steps = page.locator("ol.flow-steps");
      const drawing = page.locator("details.flow-drawing");
      const stepsTop = (await steps.boundingBox()).y;
      const drawingTop = (await drawing.boundingBox()).y;
      assert(stepsTop < drawingTop, `the steps (at ${stepsTop}) do not come before the drawing (at ${drawingTop})`);
      assert(!(await drawing.evaluate((el) => el.open)), "the flow's drawing is open before it is asked for");
      const summary = page.locator("details.flow-drawing > summary");
      assert(await summary.isVisible(), "the disclosure has no visible summary");
      await screenshot(page, "cloud-phone-390");
      await screenshot(page.locator(".flow-view"), "flow-phone-390");
      // Opened from the keyboard, as with a click.
      await summary.focus();
      await page.keyboard.press("Enter");
      assert(await drawing.evaluate((el) => el.open), "Enter on the summary does not open the drawing");
      for (const d of await diagramsOf(page)) {
        assertRegion(d);
        assertReadable(d);
        assert(d.width <= d.naturalWidth + 0.5, `${d.id}: drawn larger than its natural size`);
        assert(d.region.scrollWidth > d.region.clientWidth ? d.region.overflowX === "auto" : true, `${d.id}: wider than the column but not scrollable`);
        if (d.region.scrollWidth > d.region.clientWidth) await scrollsByKeyboard(page, d.id);
      }
      await page.evaluate(() => document.querySelectorAll(".diagram-scroll").forEach((r) => { r.scrollLeft = 0; }));
      await screenshot(page.locator(".flow-view"), "flow-phone-390-open");
      // The page itself never scrolls sideways: only the regions do.
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(sideways <= 1, `the page is ${sideways} px wider than the phone`);
      assertClean(phone, "cloud at 390 px");
      await page.close();
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(screenshots);
}

checks.run("flows test", TOTAL_TIMEOUT_MS, main);
