// A hub branded without templates (tests/fixtures/projects/branded) in headless Chromium:
// its logo in the top bar and as the favicon, its accent colour on links in the light and
// the dark theme (with AA contrast against the page), its footer links, and the contact
// box beside the RASCI table; screenshots at 1440 (light, dark) and 390.
//
//   node tests/browser/brand.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --root tests/fixtures/projects/branded --out
// SITE_DIR`. Screenshots go to $SCREENSHOT_DIR (default: a new temporary folder). The last
// line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, assertClean, startSiteTest, isolatedContext } from "./harness.mjs";
import { join } from "node:path";

const TOTAL_TIMEOUT_MS = 120_000;
const CHECK_TIMEOUT_MS = 30_000;
const ACTION_TIMEOUT_MS = 10_000;

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser, options = {}) {
  return isolatedContext(browser, contexts, origin, { viewport: { width: 1440, height: 900 }, ...options }, { actionMs: ACTION_TIMEOUT_MS });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  return page;
}

/** The WCAG contrast of two computed `rgb(…)` colours. */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function main() {
  const { shots, browser, server, origin: served } = await startSiteTest(checks, {
    name: "brand",
    usage: "node brand.mjs SITE_DIR   (tests/fixtures/projects/branded, built by `rasci build --out`)",
    required: ["index.html", "static/brand/logo.svg"],
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
    for (const [name, scheme, accent] of [
      ["light", "light", "rgb(138, 59, 18)"],
      ["dark", "dark", "rgb(240, 160, 112)"],
    ]) {
      await checks.check(`branded hub, ${name}: logo and favicon, the accent on links with AA contrast, footer links, the contact box beside the table`, async () => {
        const context = await newContext(browser, { colorScheme: scheme });
        const page = await open(context, "main/index.html");
        const logo = await page.locator("header .brand img.brand-logo").evaluate((img) => ({ src: img.getAttribute("src"), width: img.naturalWidth }));
        assert(logo.src === "../static/brand/logo.svg" && logo.width > 0, `the logo: ${JSON.stringify(logo)}`);
        const icon = await page.locator("link[rel=icon]").getAttribute("href");
        assert(icon === "../static/brand/logo.svg", `the favicon is ${icon}`);
        const link = await page.evaluate(() => {
          const a = document.querySelector("aside.contact-box a");
          const probe = getComputedStyle(document.documentElement).getPropertyValue("--link").trim();
          return { color: getComputedStyle(a).color, link: probe, bg: getComputedStyle(document.body).backgroundColor };
        });
        assert(link.color === accent, `a link is ${link.color}, the brand's accent is ${accent} (--link ${link.link})`);
        const ratio = contrast(link.color, link.bg);
        assert(ratio >= 4.5, `links have a contrast of ${ratio.toFixed(2)}:1 on ${link.bg}`);
        const footer = await page.locator(".page-footer .footer-links a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
        assert(
          JSON.stringify(footer) === JSON.stringify([["Legal notice", "https://example.com/legal"], ["Privacy", "https://example.com/privacy"], ["Contact", "mailto:support@example.com"]]),
          `footer links: ${JSON.stringify(footer)}`,
        );
        const box = await page.evaluate(() => {
          const aside = document.querySelector("aside.contact-box").getBoundingClientRect();
          const table = document.querySelector(".table-wrap").getBoundingClientRect();
          return { asideLeft: aside.left, asideTop: aside.top, tableRight: table.right, tableTop: table.top, tableBottom: table.bottom };
        });
        assert(box.asideLeft >= box.tableRight - 1 && box.asideTop < box.tableBottom, `the contact box is not beside the table: ${JSON.stringify(box)}`);
        await page.locator("aside.contact-box").scrollIntoViewIfNeeded();
        await screenshot(page, `branded-1440-${name}`);
        assertClean(context, `branded ${name}`);
        await context.close();
      });
    }

    await checks.check("branded hub at 390: the logo, the contact box above the table, no sideways scroll", async () => {
      const context = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const page = await open(context, "main/index.html");
      assert(await page.locator("header .brand img.brand-logo").isVisible(), "no logo on a phone");
      const g = await page.evaluate(() => ({
        sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        aside: document.querySelector("aside.contact-box").getBoundingClientRect().bottom,
        table: document.querySelector(".table-wrap").getBoundingClientRect().top,
      }));
      assert(g.sideways <= 1, `the page scrolls sideways by ${g.sideways} px`);
      assert(g.aside <= g.table, "on a phone the contact box is not above the table");
      await page.locator("aside.contact-box").scrollIntoViewIfNeeded();
      await screenshot(page, "branded-390");
      assertClean(context, "branded phone");
      await context.close();
    });
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(written);
}

checks.run("brand test", TOTAL_TIMEOUT_MS, main);
