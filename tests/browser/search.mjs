// Site search of a built rasci site in headless Chromium: what it ranks first, what the
// box for all deployments changes, that the keyboard path is the same as before, and
// what it forgives: misspellings (one edit for 4 to 7 letters, two for 8 or more),
// other forms of a word (stems), results past the first twelve, excerpts of visible
// text only, highlights that never break markup, and the site opened from disk.
//
//   node tests/browser/search.mjs SITE_DIR
//
// SITE_DIR is the output of `rasci build --out SITE_DIR` for the example project. A
// screenshot of the result panel goes to $SCREENSHOT_DIR (default: a new temporary
// folder). The last line is "N passed, M failed"; the exit code is 0 only when nothing
// failed.

import { Checks, assert, assertClean, startSiteTest, watch, isolatedContext } from "./harness.mjs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const TOTAL_TIMEOUT_MS = 120_000;
const CHECK_TIMEOUT_MS = 30_000;
const ACTION_TIMEOUT_MS = 10_000;
const DESKTOP = { width: 1400, height: 900 };

const contexts = new Set();
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let origin = "";

function newContext(browser) {
  return isolatedContext(browser, contexts, origin, { viewport: DESKTOP }, { actionMs: ACTION_TIMEOUT_MS });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
  assert(response && response.ok(), `${path} answered HTTP ${response && response.status()}`);
  return page;
}

/** Types `query` into the search box (focused with "/") and returns the results shown. */
async function search(page, query) {
  await page.locator("#search-input").fill("");
  await page.keyboard.press("Escape");
  await page.locator("main").click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press("/");
  await page.keyboard.type(query);
  await settled(page);
  return results(page);
}

/** Waits until the results of what the box holds show: the shards they need are loaded. */
async function settled(page) {
  await page.locator("#search-results:not([aria-busy])").waitFor({ state: "attached" });
  await page.locator(".search-status").filter({ hasText: /result/ }).waitFor();
}

function results(page) {
  return page.locator("#search-results li a").evaluateAll((as) =>
    as.map((a) => ({
      href: new URL(a.href).pathname.replace(/^\//, "") + new URL(a.href).hash,
      section: a.querySelector(".result-section").textContent,
      title: a.querySelector(".result-title").textContent,
    })),
  );
}

/**
 * Answers the page's requests for the search index with an index of `entries` (each
 * `t`, `u`, `s`, `x`, `g`), in the shards the build writes (docs/search-index.md): the
 * manifest, one word shard and one record shard.
 */
async function serveIndex(page, entries) {
  const split = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const words = new Map();
  entries.forEach((entry, at) => {
    const title = split(entry.t);
    for (const word of [...title, ...split(entry.x)]) {
      if (!words.has(word)) words.set(word, { title: [], text: [] });
      const postings = words.get(word);
      const list = title.includes(word) ? postings.title : postings.text;
      if (!list.includes(at)) list.push(at);
    }
  });
  const deltas = (ids) => ids.map((id, i) => id - (i ? ids[i - 1] : 0));
  const sorted = [...words.keys()].sort();
  const records = sorted.map((word) => [word, "", deltas(words.get(word).title), deltas(words.get(word).text)]);
  const keys = [...new Set(sorted.map((word) => Array.from(word).slice(0, 2).join("")))].map((key) => [key, 0]);
  const manifest = {
    words: keys, sizes: [1], records: [0], entries: entries.length,
    d: [[null, entries.length]], m: [[null, entries.length]], g: [],
    l: entries.map((entry) => Math.min(35, split(entry.t).length).toString(36)).join(""),
  };
  const script = (body) => (route) => route.fulfill({ contentType: "text/javascript", body });
  await page.route("**/search-index.js", script(`window.RASCI_SEARCH = ${JSON.stringify(manifest)};\n`));
  await page.route("**/static/search/w0.js", script(`RASCI_SEARCH_WORDS(0, ${JSON.stringify(records)});\n`));
  await page.route("**/static/search/r0.js", script(`RASCI_SEARCH_RECORDS(0, 0, ${JSON.stringify(entries)});\n`));
}

function listing(found) {
  return found.map((r, i) => `${i + 1}. [${r.section}] ${r.title} → ${r.href}`).join("\n");
}

/** No two results are the same thing: the same title in the same place. */
function assertNoDuplicates(found, what) {
  const seen = new Set();
  for (const r of found) {
    const key = `${r.title}\u0000${r.href.replace(/^(cloud|onprem)\//, "")}`;
    assert(!seen.has(key), `${what}: "${r.title}" is listed twice\n${listing(found)}`);
    seen.add(key);
  }
}

async function main() {
  const { shots, browser, server, origin: served } = await startSiteTest(checks, {
    name: "search",
    usage: "node search.mjs SITE_DIR   (a folder built by `rasci build --out`)",
    required: ["search-index.js"],
  });
  origin = served;
  console.log(`browser: Chromium ${browser.version()}`);
  const written = [];

  try {
    const context = await newContext(browser);

    await checks.check('"tenant" on a Dialogue Cloud page: the glossary entry first, this deployment\'s tasks once each', async () => {
      const page = await open(context, "cloud/reading-the-matrix/index.html");
      const found = await search(page, "tenant");
      assert(found.length > 0, "no results");
      assert(found[0].href === "glossary/index.html#term-tenant", `the glossary entry is not first:\n${listing(found)}`);
      assert(found[0].section === "Glossary", `the glossary entry is labelled "${found[0].section}"`);
      const tasks = found.filter((r) => /#task-/.test(r.href));
      assert(tasks.length >= 3, `fewer than three tasks found:\n${listing(found)}`);
      assert(tasks.every((r) => r.href.startsWith("cloud/index.html#")), `a result of another deployment:\n${listing(found)}`);
      assert(found.every((r) => !r.href.startsWith("onprem/")), `On Premises results on a Dialogue Cloud page:\n${listing(found)}`);
      assertNoDuplicates(found, "tenant");
      const status = await page.locator(".search-status").textContent();
      assert(/in Dialogue Cloud/.test(status), `the status does not say where it searched: "${status}"`);
      await page.screenshot({ path: join(shots, "search-cloud.png"), animations: "disabled" });
      written.push(join(shots, "search-cloud.png"));
      assertClean(context, "tenant");
      await page.close();
    });

    await checks.check('"priority": the submission guidelines\' heading first', async () => {
      const page = await open(context, "cloud/index.html");
      const found = await search(page, "priority");
      assert(found.length > 0, "no results");
      assert(found[0].href.startsWith("cloud/submission-guidelines/index.html#"), `first is not a heading of the guidelines:\n${listing(found)}`);
      assert(/priority/i.test(found[0].title), `the first result's title has no "priority": ${found[0].title}`);
      assert(found[0].section === "Dialogue Cloud · Submission guidelines", `labelled "${found[0].section}"`);
      assertClean(context, "priority");
      await page.close();
    });

    await checks.check("the box for all deployments: off on a deployment's page, on finds the other's tasks, still one result per task", async () => {
      const page = await open(context, "cloud/index.html");
      let found = await search(page, "infrastructure");
      const box = page.locator("#search-everywhere");
      assert((await box.count()) === 1, "no box for all deployments on a deployment's page");
      assert(!(await box.isChecked()), "the box for all deployments starts checked");
      assert(found.every((r) => !r.href.startsWith("onprem/")), `On Premises results before the box is checked:\n${listing(found)}`);
      const status = await page.locator(".search-status").textContent();
      assert(/in all deployments/.test(status) || found.length > 0, `nothing says the other deployment has results: "${status}"`);
      await box.check();
      await page.locator("#search-results li a[href*='onprem/index.html#task-infrastructure']").waitFor();
      found = await results(page);
      assertNoDuplicates(found, "infrastructure, all deployments");
      // A task both deployments have stays one result, on this deployment.
      found = await search(page, "tenant");
      assert(await box.isChecked(), "the box was unchecked by a new query");
      const provide = found.filter((r) => r.title === "Provide the Anywhere365 tenant");
      assert(provide.length === 1 && provide[0].href === "cloud/index.html#task-provide-tenant", `the shared task across deployments:\n${listing(found)}`);
      const guides = found.filter((r) => r.title === "Reading the matrix");
      assert(guides.length <= 1, `a guide of both deployments is listed twice:\n${listing(found)}`);
      assertNoDuplicates(found, "tenant, all deployments");
      await box.uncheck();
      found = await results(page);
      assert(found.every((r) => !r.href.startsWith("onprem/")), `On Premises results after the box is unchecked:\n${listing(found)}`);
      assertClean(context, "all deployments");
      await page.close();
    });

    await checks.check("on the home page: every deployment, no box, the home page labelled as such", async () => {
      const page = await open(context, "index.html");
      let found = await search(page, "operational support");
      assert((await page.locator("#search-everywhere").count()) === 0, "a box for all deployments on a page of no deployment");
      const home = found.find((r) => r.href === "index.html");
      assert(home, `the home page is not found by its title:\n${listing(found)}`);
      assert(home.section === "Home", `the home page is labelled "${home.section}"`);
      found = await search(page, "tenant");
      assert(found.some((r) => r.href.startsWith("cloud/")), `no Dialogue Cloud result:\n${listing(found)}`);
      assertNoDuplicates(found, "tenant on the home page");
      const shared = found.filter((r) => /#task-provide-tenant$/.test(r.href));
      assert(shared.length === 1, `the shared task is listed ${shared.length} times:\n${listing(found)}`);
      assertClean(context, "home page");
      await page.close();
    });

    await checks.check("keyboard: / focuses, arrows move through the results, Enter opens, Escape closes", async () => {
      const page = await open(context, "onprem/index.html");
      const found = await search(page, "tenant");
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert(focused === "search-input", `focus is on "${focused}" while typing`);
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      const selected = page.locator("#search-results li[aria-selected=true] a");
      const href = await selected.evaluate((a) => a.href);
      assert(href === `${origin}/${found[1].href}`, `two ArrowDowns selected ${href}, expected the second result ${found[1].href}`);
      const active = await page.locator("#search-input").getAttribute("aria-activedescendant");
      assert(active === "search-result-1", `aria-activedescendant is ${active}`);
      await page.keyboard.press("Escape");
      assert(await page.locator(".search-panel").isHidden(), "Escape did not close the results");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.type(" ");
      await page.keyboard.press("Backspace");
      await page.locator(".search-panel").waitFor({ state: "visible" });
      await page.keyboard.press("ArrowDown");
      await Promise.all([page.waitForURL(`${origin}/${found[0].href}`), page.keyboard.press("Enter")]);
      assertClean(context, "keyboard");
      await page.close();
    });


    await checks.check('misspelt: "tennant" finds the tenant, "maintanence" (two edits, 11 letters) finds maintenance, "tanent" (two edits, 6 letters) nothing', async () => {
      const page = await open(context, "cloud/index.html");
      let found = await search(page, "tennant");
      assert(found.length > 0 && found[0].href === "glossary/index.html#term-tenant", `"tennant":\n${listing(found)}`);
      const marked = await page.locator("#search-results li .result-title mark").first().textContent();
      assert(/^tenant$/i.test(marked), `the misspelt word highlights "${marked}"`);
      found = await search(page, "maintanence");
      assert(found.some((r) => /maintenance/i.test(r.title)), `"maintanence":\n${listing(found)}`);
      found = await search(page, "tanent");
      assert(found.length === 0, `a 6-letter word two edits away is found:\n${listing(found)}`);
      found = await search(page, "tenamt");
      assert(found.some((r) => r.href === "glossary/index.html#term-tenant"), `one edit in 6 letters:\n${listing(found)}`);
      found = await search(page, "tna");
      assert(found.length === 0 || found.every((r) => !/tenant/i.test(r.title)), `3 letters are matched loosely:\n${listing(found)}`);
      assertClean(context, "misspellings");
      await page.close();
    });

    await checks.check('stems: "who closes the incident" finds who closes it; "supporting" finds support', async () => {
      const page = await open(context, "cloud/index.html");
      let found = await search(page, "who closes the incident");
      assert(found.length > 0, "no result for “who closes the incident”");
      const texts = await page.locator("#search-results li .result-text").allTextContents();
      assert(texts.some((t) => /\bclos(e|es|ed|ing)\b.{0,40}\bincident/i.test(t)), `no excerpt shows who closes the incident:\n${texts.join("\n")}`);
      found = await search(page, "supporting");
      assert(found.some((r) => /support/i.test(r.title)), `"supporting":\n${listing(found)}`);
      assertClean(context, "stems");
      await page.close();
    });

    await checks.check("more than twelve results: the first twelve, then a button shows twelve more", async () => {
      const page = await open(context, "index.html");
      const found = await search(page, "anywhere365");
      assert(found.length === 12, `${found.length} results at first`);
      const status = await page.locator(".search-status").textContent();
      const total = Number((/of (\d+) results/.exec(status) || [])[1]);
      assert(total > 12, `the status does not give the total: "${status}"`);
      const more = page.locator(".search-more");
      assert(await more.isVisible(), "no button for more results");
      await more.click();
      await settled(page);
      const after = await results(page);
      assert(after.length === Math.min(24, total), `${after.length} results after one press, of ${total}`);
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert(focused === "search-input", `focus went to "${focused}"`);
      const selected = await page.locator("#search-results li[aria-selected=true]").getAttribute("id");
      assert(selected === "search-result-12", `the first new result is not selected: ${selected}`);
      assert(new Set(after.map((r) => r.href)).size === after.length, `a result is listed twice:\n${listing(after)}`);
      for (let i = 0; i < 10 && (await more.isVisible()); i++) { await more.click(); await settled(page); }
      const all = await results(page);
      assert(all.length === total, `${all.length} of ${total} reachable`);
      assertClean(context, "more results");
      await page.close();
    });

    await checks.check("excerpts are visible text: no glossary definitions, no screen-reader words", async () => {
      const page = await open(context, "onprem/index.html");
      for (const query of ["sbc trunk", "accountable", "tenant", "anywhere365 responsibility", "prime contact"]) {
        await search(page, query);
        // The glossary shows its definitions: there they are visible text.
        const texts = await page.locator("#search-results li a:not([href*='glossary/']) .result-text").allTextContents();
        for (const text of texts) {
          assert(!/\bSBC SBC\b/.test(text), `"${query}": a definition in the excerpt: ${text}`);
          // A cell "A, R" read with its badges' hidden names was "A Accountable, R Responsible".
          assert(!/\b[RASCI] (Responsible|Accountable|Supportive|Consulted|Informed), [RASCI] /.test(text), `"${query}": a badge's hidden name: ${text}`);
          assert(!/Session Border Controller: the network device/.test(text), `"${query}": a tooltip in the excerpt: ${text}`);
        }
      }
      assertClean(context, "excerpts");
      await page.close();
    });

    await checks.check("highlights never break markup: &, <, > and quotes stay text, and only words are marked", async () => {
      const page = await context.newPage();
      await serveIndex(page, [
        { t: "Tom & Jerry <b>amp</b> lt gt \"quot\" 39's", u: "index.html#x", s: "Test", x: "amp &amp; <i>lt</i> 39 AT&T", g: 0 },
      ]);
      await page.goto(`${origin}/index.html`, { waitUntil: "load" });
      await search(page, "amp lt gt quot 39");
      const title = page.locator("#search-results li .result-title").first();
      const shown = await title.textContent();
      assert(shown === "Tom & Jerry <b>amp</b> lt gt \"quot\" 39's", `the title reads "${shown}"`);
      const marks = await title.locator("mark").allTextContents();
      assert(JSON.stringify(marks) === JSON.stringify(["amp", "lt", "gt", "quot", "39"]), `marked: ${JSON.stringify(marks)}`);
      const text = await page.locator("#search-results li .result-text").first().textContent();
      assert(text === "amp &amp; <i>lt</i> 39 AT&T", `the excerpt reads "${text}"`);
      assert((await page.locator("#search-results b, #search-results i").count()) === 0, "markup from the data became elements");
      assertClean(context, "highlights");
      await page.close();
    });

    await checks.check("opened from disk (file://): the index loads and a misspelt word is found", async () => {
      const local = await browser.newContext({ viewport: DESKTOP });
      contexts.add(local);
      const page = await local.newPage();
      const problems = [];
      watch(page, problems);
      const url = pathToFileURL(resolve(process.argv[2], "cloud/index.html")).href;
      await page.goto(url, { waitUntil: "load" });
      await page.locator("#search-input").fill("tennant");
      await settled(page);
      const first = await page.locator("#search-results li a").first().getAttribute("href");
      assert(/glossary\/index\.html#term-tenant$/.test(first), `from disk, the first result is ${first}`);
      assert(problems.length === 0, problems.join("\n"));
      await local.close();
    });

    await context.close();
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  checks.finish(written);
}

checks.run("search test", TOTAL_TIMEOUT_MS, main);
