// Tables and print of a built rasci site in headless Chromium.
//
//   node tests/browser/print.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project.
//
// Tables: the header row of the 18-row On Premises table stays in view under the top bar
// while the page scrolls through the rows, on a desktop, on a 390 px phone (where every
// party's column is in view, its name upright, without scrolling sideways) and in the
// dark theme.
//
// Print: the Dialogue Cloud page printed to PDF on A4, as Chromium's "Save as PDF" does,
// fits a bounded number of pages, keeps every heading with what follows it, leaves the
// screen's controls out, prints its 14-row table on one landscape page, shows where
// external links lead, and no diagram is wider than the page. The On Premises page prints
// on at most 6 pages, its legend on the page of its table's last row, and a printed badge's
// letter sits in the middle of its box. The pages are rendered to
// PNG with pdftoppm (poppler-utils), whose pdftotext also reads the PDF's text back.
//
// Screenshots and the PDF go to $SCREENSHOT_DIR (default: a new temporary folder). The
// last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, startSiteTest, watch, isolatedContext } from "./harness.mjs";
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const TOTAL_TIMEOUT_MS = 240_000;
const CHECK_TIMEOUT_MS = 60_000;
const ACTION_TIMEOUT_MS = 10_000;
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const ONPREM_PARTIES = ["Anywhere365", "Customer", "End-users"];

// A4 at CSS's 96 px per inch, less the margins of the print stylesheet's @page rules.
const MM = 96 / 25.4;
const PORTRAIT = { width: (210 - 2 * 14) * MM, height: (297 - 2 * 14) * MM };
const LANDSCAPE = { width: (297 - 2 * 12) * MM, height: (210 - 2 * 10) * MM };

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser, options = {}) {
  return isolatedContext(browser, contexts, origin, { viewport: DESKTOP, ...options }, { actionMs: ACTION_TIMEOUT_MS });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  return page;
}

/** Scrolls the page so that row `n` of the RASCI table is at `y` in the window, and
 * waits for the frame in which the theme's script places the header copy. */
async function scrollToRow(page, n, y) {
  await page.evaluate(
    ([n, y]) => {
      const row = document.querySelectorAll("table.rasci tbody tr")[n];
      window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - y);
    },
    [n, y],
  );
  await nextFrames(page);
}

function nextFrames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Where the header copy is, against the top bar and the real header cells. */
function headerState() {
  const bar = document.querySelector(".table-head-mirror");
  const topbar = document.querySelector(".topbar").getBoundingClientRect();
  const real = Array.from(document.querySelectorAll(".table-wrap table.rasci thead th"));
  if (!bar) return { exists: false };
  const copied = Array.from(bar.querySelectorAll("thead th"));
  const wrap = document.querySelector(".table-wrap").getBoundingClientRect();
  const box = bar.getBoundingClientRect();
  // The copy's cells as far as they are seen through the bar, which clips them.
  const seen = (r) => ({ left: Math.max(r.left, box.left), right: Math.min(r.right, box.right) });
  return {
    exists: true,
    shown: !bar.hidden && box.height > 0 && getComputedStyle(bar).display !== "none",
    top: box.top,
    topbarBottom: topbar.bottom,
    wrapLeft: wrap.left,
    wrapRight: wrap.right,
    ariaHidden: bar.getAttribute("aria-hidden"),
    focusable: bar.querySelectorAll("a:not([tabindex='-1']), [id]").length,
    texts: copied.map((th) => th.textContent.trim()),
    realCells: real.map((th) => seen(th.getBoundingClientRect())),
    copiedCells: copied.map((th) => seen(th.getBoundingClientRect())),
    background: getComputedStyle(bar).backgroundColor,
  };
}

/** The copy's cells lie over the real columns (within a pixel), as seen. */
function assertAligned(state, what) {
  assert(state.copiedCells.length === state.realCells.length, `${what}: ${state.copiedCells.length} copied cells`);
  state.copiedCells.forEach((cell, i) => {
    const real = state.realCells[i];
    if (real.right <= real.left) return; // scrolled out of view
    assert(
      Math.abs(cell.left - real.left) <= 1 && Math.abs(cell.right - real.right) <= 1,
      `${what}: header cell ${i + 1} is at ${cell.left.toFixed(1)}–${cell.right.toFixed(1)}, its column at ${real.left.toFixed(1)}–${real.right.toFixed(1)}`,
    );
  });
}

/** Relative luminance of a CSS rgb() colour. */
function luminance(css) {
  const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255);
  const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function tool(name) {
  try {
    execFileSync(name, ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The text of each page of a PDF, by pdftotext. */
function pdfPages(file, count) {
  const pages = [];
  for (let n = 1; n <= count; n += 1) {
    pages.push(execFileSync("pdftotext", ["-f", String(n), "-l", String(n), "-layout", file, "-"], { encoding: "utf8" }));
  }
  return pages;
}

/** Lines of text, squeezed, without the empty ones. */
function lines(text) {
  return text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

async function main() {
  if (!tool("pdftoppm") || !tool("pdftotext")) {
    console.error("error: pdftoppm and pdftotext are needed (Debian: apt-get install poppler-utils)");
    process.exit(2);
  }
  const { shots, browser, server, origin: served } = await startSiteTest(checks, {
    name: "print",
    usage: "node print.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: ["cloud/index.html", "onprem/index.html"],
  });
  origin = served;
  console.log(`browser: Chromium ${browser.version()}`);
  const written = [];
  async function screenshot(page, name) {
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, animations: "disabled" });
    written.push(file);
  }

  try {
    // ------------------------------------------------------------------ tables
    for (const [name, options] of [
      ["desktop", {}],
      ["dark", { colorScheme: "dark" }],
    ]) {
      await checks.check(`On Premises table, ${name}: the header row stays under the top bar while the rows scroll by`, async () => {
        const context = await newContext(browser, options);
        try {
          if (name === "dark") await context.addInitScript(() => {
            try {
              localStorage.setItem("rasci-theme", "dark");
            } catch {
              // about:blank has no storage
            }
          });
          const page = await open(context, "onprem/index.html");
          assert((await page.locator("table.rasci tbody tr th[scope=row]").count()) === 18, "the table has not 18 task rows");
          let state = await page.evaluate(headerState);
          assert(state.exists, "the page has no header copy");
          assert(!state.shown, "the header copy is shown while the real header is in view");
          for (const row of [8, 12, 17]) {
            await scrollToRow(page, row, 300);
            state = await page.evaluate(headerState);
            assert(state.shown, `the header row is not in view with row ${row + 1} of the table in the middle of the window`);
            assert(Math.abs(state.top - state.topbarBottom) <= 1, `the header copy is at ${state.top}, the top bar ends at ${state.topbarBottom}`);
            assert(JSON.stringify(state.texts.slice(1)) === JSON.stringify(ONPREM_PARTIES), `header copy: ${state.texts.join(", ")}`);
            assertAligned(state, `row ${row + 1}`);
          }
          assert(state.ariaHidden === "true" && state.focusable === 0, "the header copy is read out or focusable");
          if (name === "dark") {
            assert(luminance(state.background) < 0.1, `the header copy is light in the dark theme (${state.background})`);
          }
          await scrollToRow(page, 10, 300);
          await screenshot(page, `onprem-table-${name}`);
          // Past the table, the copy leaves: it never covers what follows.
          await page.evaluate(() => document.getElementById("legend").scrollIntoView());
          await nextFrames(page);
          state = await page.evaluate(headerState);
          assert(!state.shown, "the header copy is still shown once the table has scrolled away");
          assertClean(context, `onprem table ${name}`);
        } finally {
          await context.close();
        }
      });
    }

    await checks.check("On Premises table on a 390 px phone: every party column in view without scrolling sideways, the task column and the header stay", async () => {
      const context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      try {
        const page = await open(context, "onprem/index.html");
        const geometry = () =>
          page.evaluate(() => {
            const wrap = document.querySelector(".table-wrap");
            const box = wrap.getBoundingClientRect();
            const heads = Array.from(wrap.querySelectorAll("thead th")).map((th) => th.getBoundingClientRect());
            const task = wrap.querySelector("tbody th[scope=row]").getBoundingClientRect();
            return {
              scrollWidth: wrap.scrollWidth,
              clientWidth: wrap.clientWidth,
              left: box.left + wrap.clientLeft,
              right: box.left + wrap.clientLeft + wrap.clientWidth,
              lastRight: heads.at(-1).right,
              lastLeft: heads.at(-1).left,
              taskLeft: task.left,
              taskRight: task.right,
              cue: getComputedStyle(wrap).backgroundImage,
            };
          });
        let g = await geometry();
        // The example's three parties fit a phone: upright names, no sideways scroll, every
        // party column in view beside the task column.
        assert(g.scrollWidth <= g.clientWidth, `the table scrolls sideways by ${g.scrollWidth - g.clientWidth} px on a phone`);
        assert(g.lastRight <= g.right + 1, `the last party column ends at ${g.lastRight}, past the table's edge ${g.right}`);
        await scrollToRow(page, 9, 400);
        await nextFrames(page);
        g = await geometry();
        assert(Math.abs(g.taskLeft - g.left) <= 1, `the task column moved to ${g.taskLeft} (the table's edge is ${g.left})`);
        assert(g.taskRight < g.lastLeft, "the task column covers the last party column");
        const state = await page.evaluate(headerState);
        assert(state.shown, "the header row is not in view in the middle of the table on a phone");
        assertAligned(state, "phone");
        await screenshot(page, "onprem-table-phone-390");
        assertClean(context, "phone table");
      } finally {
        await context.close();
      }
    });

    // ------------------------------------------------------------------ print
    const pdfFile = join(shots, "print-cloud.pdf");
    let pageCount = 0;
    let pageTexts = [];
    let headings = [];
    let portraitHeight = 0;
    let taskTitles = [];

    await checks.check("Dialogue Cloud page prints to PDF on A4 in a bounded number of pages", async () => {
      const context = await newContext(browser);
      try {
        const page = await open(context, "cloud/index.html");
        // A link of each kind in the first paragraph, to see how each prints.
        await page.evaluate(() => {
          const p = document.createElement("p");
          p.id = "print-links";
          p.innerHTML = 'Outside: <a href="https://example.com/vendor-guide">the vendor guide</a>. Inside: <a href="../glossary/index.html">the glossary</a>.';
          document.querySelector(".content h1").after(p);
        });
        const pdf = await page.pdf({ format: "A4" });
        writeFileSync(pdfFile, pdf);
        pageCount = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
        pageTexts = pdfPages(pdfFile, pageCount);

        // The bound: the pages the article's text needs at the portrait width, one
        // landscape page for the table (checked below), one more where the table cuts
        // the text in two, and one for the space left where a heading moved on with its
        // section. The screen layout printed needs about twice as many.
        await page.emulateMedia({ media: "print" });
        await page.setViewportSize({ width: Math.floor(PORTRAIT.width), height: Math.floor(PORTRAIT.height) });
        portraitHeight = await page.evaluate(() => {
          const content = document.querySelector(".content");
          const block = document.querySelector(".rasci-block");
          const heading = block.previousElementSibling;
          let total = content.getBoundingClientRect().height;
          total -= block.getBoundingClientRect().height;
          if (heading && /^H[1-6]$/.test(heading.tagName)) total -= heading.getBoundingClientRect().height;
          return total;
        });
        taskTitles = await page.locator("table.rasci tbody th[scope=row]").evaluateAll((ths) =>
          ths.map((th) => {
            // The title as printed: without the glossary's tooltips.
            const copy = th.cloneNode(true);
            copy.querySelectorAll(".term-def, .visually-hidden").forEach((el) => el.remove());
            return copy.textContent.replace(/\s+/g, " ").trim();
          }),
        );
        headings = await page.locator(".content :is(h1, h2, h3)").evaluateAll((hs) => hs.map((h) => h.textContent.replace(/\s+/g, " ").trim()));
        const textPages = Math.ceil(portraitHeight / PORTRAIT.height);
        const upper = textPages + 3;
        console.log(`      ${pageCount} pages; the text alone needs ${textPages} (${Math.round(portraitHeight)} px at ${Math.round(PORTRAIT.width)} px wide), bound ${upper}`);
        assert(pageCount >= 3, `${pageCount} pages: the table's landscape page should come between pages of text`);
        assert(pageCount <= upper, `${pageCount} pages, more than the ${upper} the content needs`);

        const out = execFileSync("pdftoppm", ["-r", "60", "-png", pdfFile, join(shots, "print-cloud")], { encoding: "utf8" });
        assert(out.trim() === "", out);
        const pngs = readdirSync(shots).filter((f) => /^print-cloud-\d+\.png$/.test(f));
        assert(pngs.length === pageCount, `pdftoppm made ${pngs.length} pages, the PDF has ${pageCount}`);
        written.push(...pngs.sort().map((f) => join(shots, f)));
        assertClean(context, "print");
      } finally {
        await context.close();
      }
    });

    await checks.check("On Premises prints on at most 6 A4 pages, its legend on the page of its table's last row, badges centred", async () => {
      const context = await newContext(browser);
      try {
        const page = await open(context, "onprem/index.html");
        const file = join(shots, "print-onprem.pdf");
        const pdf = await page.pdf({ format: "A4" });
        writeFileSync(file, pdf);
        const count = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
        assert(count <= 6, `On Premises prints on ${count} pages`);
        const texts = pdfPages(file, count);
        const last = texts.findIndex((t) => t.includes("New versions and maintenance updates"));
        const legend = texts.findIndex((t) => t.includes("Informed about execution of the task"));
        assert(last >= 0 && legend === last, `the table's last row is on page ${last + 1}, the legend on page ${legend + 1}`);
        const out = execFileSync("pdftoppm", ["-r", "60", "-png", file, join(shots, "print-onprem")], { encoding: "utf8" });
        assert(out.trim() === "", out);
        written.push(...readdirSync(shots).filter((f) => /^print-onprem-\d+\.png$/.test(f)).sort().map((f) => join(shots, f)));
        // A badge's letter is centred in its box, as printed.
        await page.emulateMedia({ media: "print" });
        const offsets = await page.locator("table.rasci td abbr.badge").evaluateAll((badges) =>
          badges.slice(0, 10).map((badge) => {
            const box = badge.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(badge.querySelector("span[aria-hidden=true]"));
            const glyph = range.getBoundingClientRect();
            return Math.abs((glyph.top + glyph.bottom) / 2 - (box.top + box.bottom) / 2);
          }),
        );
        assert(offsets.length > 0 && offsets.every((d) => d <= 1.5), `printed letters sit off the middle of their badges by ${offsets.map((d) => d.toFixed(1))} px`);
        assertClean(context, "print On Premises");
      } finally {
        await context.close();
      }
    });

    await checks.check("printed: the 14-row table on one landscape page, its header row there", async () => {
      assert(pageTexts.length, "no PDF to read (see the check above)");
      const holding = pageTexts.map((text, i) => [i + 1, lines(text)]).filter(([, ls]) => ls.some((l) => l.includes("RASCI table: Dialogue Cloud")));
      assert(holding.length === 1, `the table's caption is on pages ${holding.map(([n]) => n).join(", ") || "none"}`);
      const [number, onPage] = holding[0];
      const text = onPage.join("\n");
      assert(taskTitles.length === 14, `the page has ${taskTitles.length} task rows, expected 14`);
      const missing = taskTitles.filter((task) => !text.includes(task));
      assert(missing.length === 0, `not on page ${number} with the table's caption: ${missing.join("; ")}`);
      assert(onPage.some((l) => /Task & Involved party\s+Anywhere365\s+Customer\s+End-users/.test(l)), `no header row on page ${number}`);
      // A landscape page: pdfinfo would say so too; the page's text lines are longer.
      const context = await newContext(browser, { viewport: { width: Math.floor(LANDSCAPE.width), height: Math.floor(LANDSCAPE.height) } });
      try {
        const page = await open(context, "cloud/index.html");
        await page.emulateMedia({ media: "print" });
        const box = await page.evaluate(() => {
          const table = document.querySelector("table.rasci").getBoundingClientRect();
          const head = document.querySelector("table.rasci thead");
          return { height: table.height, headGroup: getComputedStyle(head).display, page: getComputedStyle(document.querySelector(".rasci-block")).page };
        });
        assert(box.height <= LANDSCAPE.height, `the table is ${Math.round(box.height)} px tall in print, the landscape page ${Math.round(LANDSCAPE.height)} px`);
        assert(box.headGroup === "table-header-group", `the header row would not repeat (thead is ${box.headGroup})`);
        assert(box.page === "rasci-table", `the table is not on the landscape pages (page: ${box.page})`);
        assertClean(context, "table in print");
      } finally {
        await context.close();
      }
    });

    await checks.check("printed: no heading ends a page, the controls are left out, links show where they lead", async () => {
      assert(pageTexts.length, "no PDF to read (see the first print check)");
      pageTexts.forEach((text, i) => {
        const last = lines(text).at(-1) || "";
        assert(!headings.includes(last), `page ${i + 1} ends with the heading "${last}"`);
      });
      const all = lines(pageTexts.join("\n")).join("\n");
      for (const control of ["Download", "Search pages and tasks", "Skip to content", "In this article", "Back to top"]) {
        assert(!all.includes(control), `"${control}" is printed`);
      }
      assert(/the vendor guide \(https:\/\/example\.com\/vendor-guide\)/.test(all), "an external link's address is not printed after its text");
      assert(/the glossary\./.test(all) && !/the glossary \(/.test(all), "an internal link prints its address");
      // A link whose text is its address prints it once.
      assert(!/anywhere365\.io\/support\/ ?\(https/.test(all), "a link written as its address prints the address twice");
      const context = await newContext(browser);
      try {
        const page = await open(context, "cloud/index.html");
        await page.emulateMedia({ media: "print" });
        const shown = await page.evaluate(() =>
          [".topbar", ".switcher", ".search", ".theme-toggle", "#sidebar", ".toc", ".downloads", "a[download]", "button", ".table-head-mirror", ".breadcrumb"]
            .flatMap((selector) => Array.from(document.querySelectorAll(selector)).map((el) => [selector, el.getClientRects().length > 0]))
            .filter(([, laidOut]) => laidOut)
            .map(([selector]) => selector),
        );
        assert(shown.length === 0, `shown in print: ${[...new Set(shown)].join(", ")}`);
        assertClean(context, "controls in print");
      } finally {
        await context.close();
      }
    });

    await checks.check("printed: no diagram is wider than the page, nothing scrolls", async () => {
      const context = await newContext(browser, { viewport: { width: Math.floor(PORTRAIT.width), height: Math.floor(PORTRAIT.height) } });
      try {
        const page = await open(context, "cloud/index.html");
        await page.emulateMedia({ media: "print" });
        const found = await page.evaluate((limit) => {
          const problems = [];
          const content = document.querySelector(".content").getBoundingClientRect();
          for (const el of document.querySelectorAll(".content figure, .content figure svg, .content .diagram svg")) {
            const box = el.getBoundingClientRect();
            if (box.width > limit + 1 || box.right > content.left + limit + 1) {
              problems.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}: ${Math.round(box.width)} px wide, the page ${Math.round(limit)} px`);
            }
          }
          for (const el of document.querySelectorAll(".content *")) {
            const style = getComputedStyle(el);
            if (/(auto|scroll)/.test(style.overflowX + style.overflowY) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
              problems.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""} scrolls (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
            }
          }
          return problems;
        }, PORTRAIT.width);
        assert(found.length === 0, found.join("\n"));
        assertClean(context, "diagrams in print");
      } finally {
        await context.close();
      }
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(written);
}

checks.run("print test", TOTAL_TIMEOUT_MS, main);
