// Web standards on a built rasci site.
//
//   node tests/browser/standards.mjs SITE_DIR
//
// 1. The W3C Nu HTML checker (the pinned vnu-jar, run with the machine's Java) must find
//    no error in any page or standalone SVG of the site.
// 2. axe-core, in headless Chromium, must find no violation on any page, in the light
//    and the dark theme and at a phone's width (390 px).
// 3. The 404 page, served by a static host for a nested missing address, must still get
//    its styles and scripts.
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { Checks, assert, startSiteTest, withTimeout } from "./harness.mjs";
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";

const require = createRequire(import.meta.url);
const VNU_JAR = String(require("vnu-jar"));
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const TOTAL_TIMEOUT_MS = 600_000;
const CHECK_TIMEOUT_MS = 300_000;
const NAVIGATION_TIMEOUT_MS = 15_000;
const MODES = [
  { name: "light", theme: "light", viewport: { width: 1400, height: 900 } },
  { name: "dark", theme: "dark", viewport: { width: 1400, height: 900 } },
  { name: "390px", theme: "light", viewport: { width: 390, height: 844 } },
];

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
// Missing pages are answered with the site's own 404.html, as static hosts do.
const { site, browser, server, origin } = await startSiteTest(checks, {
  name: "standards",
  usage: "node tests/browser/standards.mjs SITE_DIR",
  required: ["index.html", "404.html"],
  notFoundPage: true,
});

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}
const all = files(site);
const pages = all.filter((f) => f.endsWith(".html"));
// A redirect page (an earlier address of a page) sends the browser on at once, so axe has
// nothing to read there; the page it leads to is checked in its own right, and the Nu
// checker still reads the redirect's own markup.
const axePages = pages.filter((f) => !/http-equiv="refresh"/i.test(readFileSync(f, "utf8")));
const svgs = all.filter((f) => f.endsWith(".svg"));

function vnu(args) {
  return new Promise((ok, fail) => {
    execFile(
      "java",
      ["-jar", VNU_JAR, "--format", "json", "--errors-only", ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        // vnu exits with 1 when it found errors; the JSON report is on stderr.
        try {
          ok(JSON.parse(stderr).messages);
        } catch {
          fail(new Error(`vnu did not report: ${error ? error.message : ""} ${stderr.slice(0, 500)}`));
        }
      },
    );
  });
}

function describe(messages) {
  return messages
    .slice(0, 20)
    .map((m) => `${relative(site, decodeURIComponent(new URL(m.url).pathname))}:${m.lastLine}: ${m.message}`)
    .join("\n");
}

async function main() {
  assert(pages.length > 5, `only ${pages.length} pages in ${site}`);
  assert(svgs.length > 0, `no standalone SVG in ${site}`);

  await checks.check(`Nu HTML checker: 0 errors in ${pages.length} pages`, async () => {
    const errors = (await vnu(pages)).filter((m) => m.type === "error" || m.subType === "fatal");
    assert(errors.length === 0, `${errors.length} errors:\n${describe(errors)}`);
  });
  await checks.check(`Nu HTML checker: 0 errors in ${svgs.length} SVG files`, async () => {
    const errors = (await vnu(["--also-check-svg", ...svgs])).filter(
      (m) => m.type === "error" || m.subType === "fatal",
    );
    assert(errors.length === 0, `${errors.length} errors:\n${describe(errors)}`);
  });

  try {
    for (const mode of MODES) {
      await checks.check(`axe-core: 0 violations on ${axePages.length} pages (${mode.name})`, async () => {
        const context = await browser.newContext({
          viewport: mode.viewport,
          colorScheme: mode.theme,
        });
        context.problems = [];
        contexts.add(context);
        try {
          await context.addInitScript((theme) => {
            try {
              localStorage.setItem("rasci-theme", theme);
            } catch {}
          }, mode.theme);
          const page = await context.newPage();
          page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
          const found = [];
          for (const file of axePages) {
            const path = relative(site, file).split(sep).join("/");
            await page.goto(`${origin}/${path}`, { waitUntil: "load" });
            const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
            assert(theme === mode.theme, `${path}: data-theme is ${theme}, expected ${mode.theme}`);
            await page.addScriptTag({ content: AXE_SOURCE });
            const violations = await page.evaluate(async () => {
              const result = await window.axe.run(document, { resultTypes: ["violations"] });
              return result.violations.map((v) => ({
                id: v.id,
                help: v.help,
                targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
              }));
            });
            for (const v of violations) found.push(`${path}: ${v.id} (${v.help}) at ${v.targets.join(", ")}`);
          }
          assert(found.length === 0, `${found.length} violations:\n${found.slice(0, 20).join("\n")}`);
        } finally {
          contexts.delete(context);
          await context.close();
        }
      });
    }

    await checks.check("404 page keeps its styles and scripts at /a/b/c/missing", async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const failed = [];
        const loaded = [];
        page.on("response", (r) => (r.status() >= 400 ? failed : loaded).push(r.url()));
        const response = await page.goto(`${origin}/a/b/c/missing`, { waitUntil: "load" });
        assert(response.status() === 404, `status ${response.status()}`);
        const assets = failed.filter((u) => !u.endsWith("/a/b/c/missing"));
        assert(assets.length === 0, `not found: ${assets.join(", ")}`);
        for (const asset of ["/static/css/layout.css", "/static/css/print.css", "/static/js/site.js", "/static/js/search.js"]) {
          assert(loaded.includes(origin + asset), `${asset} was not loaded: ${loaded.join(", ")}`);
        }
        const styled = await page.evaluate(() =>
          [...document.styleSheets].some((s) => s.href && s.href.endsWith("layout.css") && s.cssRules.length > 10),
        );
        assert(styled, "layout.css has no rules on the 404 page");
        const home = await page.getAttribute("a.brand", "href");
        await page.click("a.brand");
        await page.waitForLoadState("load");
        assert(new URL(page.url()).pathname === "/index.html", `the home link (${home}) went to ${page.url()}`);
      } finally {
        await context.close();
      }
    });
  } finally {
    await browser.close();
    server.close();
  }
}

try {
  await withTimeout(main(), TOTAL_TIMEOUT_MS, "the standards check");
} catch (error) {
  checks.failed += 1;
  console.log(`FAIL  ${error && error.message ? error.message : error}`);
}
console.log(`${checks.passed} passed, ${checks.failed} failed`);
process.exit(checks.failed === 0 ? 0 : 1);
