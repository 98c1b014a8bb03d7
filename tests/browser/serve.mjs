// Browser test of the live preview, `rasci serve`, in headless Chromium.
//
//   node tests/browser/serve.mjs RASCI_BINARY
//
// The example project (rasci.yaml, data/, content/) is copied into a temporary folder and
// served from there by `RASCI_BINARY serve --port 0`; the address is read from the line
// the server prints on standard output. The test then edits the copy as a writer would
// (each save writes a temporary file and renames it over the original, as editors do)
// and checks what the open pages do: reload with the new content at the same scroll
// position, show the findings over the last good site while the data is broken (in a tab
// opened meanwhile too), and drop them once it is fixed. It also checks that no file
// outside the site is served and that Ctrl-C (SIGINT) stops the server promptly.
// Screenshots go to $SCREENSHOT_DIR (default: a new temporary folder).
//
// The last line is "N passed, M failed"; the exit code is 0 only when nothing failed.

import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, Checks, assert, assertClean, fail, watch, withTimeout, isolatedContext } from "./harness.mjs";
import { spawn } from "node:child_process";
import { request } from "node:http";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TOTAL_TIMEOUT_MS = 240_000; // the whole run
const START_TIMEOUT_MS = 60_000; // from starting the server to its address on stdout
const ACTION_TIMEOUT_MS = 10_000; // one click, wait or evaluation
const NAVIGATION_TIMEOUT_MS = 15_000; // one page load
const SAVE_TIMEOUT_MS = 20_000; // from a save to what the open page does about it
const CHECK_TIMEOUT_MS = 45_000; // one check, everything included
const STOP_TIMEOUT_MS = 2_000; // from SIGINT to the server's exit
const DESKTOP = { width: 1400, height: 900 };
const SCROLL_TO = 1500; // where the page is scrolled before a save
const SCROLL_SLACK = 100; // how far from it the reloaded page may be

const PAGE = "onprem/index.html";
const OLD_TITLE = "Troubleshooting interfacing";
const NEW_TITLE = "Troubleshooting interfaces";
const PARTY = "Customer";
const FIXED_PARTY = "Customer IT";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const contexts = new Set(); // open browser contexts, each with the problems it saw
const checks = new Checks(CHECK_TIMEOUT_MS, contexts);
let child = null; // the server, while it runs
let serverLog = ""; // what it printed on standard error, for failure messages

function lastServerLines(n = 6) {
  const lines = serverLog.split("\n").filter((line) => line.trim());
  return lines.length ? `\nserver said:\n${lines.slice(-n).join("\n")}` : "";
}

// ---------------------------------------------------------------------------------------
// The project copy and the server.

/** Saves a file the way editors do: a temporary file beside it, renamed over it. */
function save(file, text) {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Replaces `from` (which must occur exactly once) with `to` in a file, and saves it. */
function edit(file, from, to) {
  const text = readFileSync(file, "utf8");
  const count = text.split(from).length - 1;
  assert(count === 1, `${file} holds ${JSON.stringify(from)} ${count} times, expected once`);
  save(file, text.replace(from, to));
}

/** Starts `binary serve --root root --port 0`; resolves to the address it prints. */
function startServer(binary, root) {
  child = spawn(binary, ["serve", "--root", root, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text) => {
    serverLog += text;
  });
  child.stdout.setEncoding("utf8");
  return new Promise((resolvePromise, reject) => {
    let out = "";
    child.stdout.on("data", (text) => {
      out += text;
      const found = out.match(/^serving .* at (http:\/\/127\.0\.0\.1:\d+)\/ \(Ctrl-C to stop\)$/m);
      if (found) resolvePromise(found[1]);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      reject(new Error(`the server exited before printing its address (code ${code}, signal ${signal})${lastServerLines()}`));
    });
  });
}

/** Resolves to { code, signal } once the server has exited. */
function exited(server) {
  if (server.exitCode !== null || server.signalCode !== null) {
    return Promise.resolve({ code: server.exitCode, signal: server.signalCode });
  }
  return new Promise((resolvePromise) => {
    server.once("exit", (code, signal) => resolvePromise({ code, signal }));
  });
}

/** A raw GET, path sent as given (fetch would resolve `..` before sending). */
function rawGet(origin, path) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolvePromise({ status: res.statusCode, body }));
    });
    req.setTimeout(ACTION_TIMEOUT_MS, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.once("error", reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------
// Pages that record everything that went wrong while they were open.

let origin = ""; // http://127.0.0.1:PORT

function newContext(browser, options = {}) {
  return isolatedContext(browser, contexts, origin, { viewport: DESKTOP, ...options }, { actionMs: ACTION_TIMEOUT_MS, navigationMs: NAVIGATION_TIMEOUT_MS, requestFailures: false });
}

async function open(context, path) {
  const page = await context.newPage();
  const url = `${origin}/${path}`;
  const response = await page.goto(url, { waitUntil: "load" });
  assert(response && response.ok(), `${url} answered HTTP ${response ? response.status() : "nothing"}`);
  return page;
}

/** Rows of the RASCI table that are tasks (not the section rows). */
function taskRows(page) {
  return page.locator("table.rasci tbody tr").filter({ has: page.locator("th[scope=row]") });
}

function taskTitles(page) {
  return page.locator("table.rasci tbody th[scope=row]").allInnerTexts();
}

function partyHeaders(page) {
  return page.locator("table.rasci thead th[scope=col]").allInnerTexts();
}

function overlay(page) {
  return page.locator("#rasci-findings");
}

/** Marks the page's document, so a later check can tell whether it was reloaded. */
function mark(page) {
  return page.evaluate(() => {
    window.rasciTestMark = true;
  });
}

/** Evaluates in the page, retrying while a reload replaces the document under it. */
async function settled(page, fn, arg, until, what) {
  const deadline = Date.now() + SAVE_TIMEOUT_MS;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(fn, arg);
      if (until(last)) return last;
    } catch (error) {
      if (!/context was destroyed|navigation/i.test(String(error.message))) throw error;
    }
    if (Date.now() > deadline) fail(`${what} (last seen: ${JSON.stringify(last)})${lastServerLines()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------

async function main() {
  const binaryArg = process.argv[2];
  if (!binaryArg) {
    console.error("usage: node serve.mjs RASCI_BINARY   (e.g. target/release/rasci)");
    process.exit(2);
  }
  const binary = resolve(binaryArg);
  if (!existsSync(binary)) {
    console.error(`error: ${binary} does not exist: build it first (cargo build --release)`);
    process.exit(2);
  }
  const shots = resolve(process.env.SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), "rasci-serve-shots-")));
  mkdirSync(shots, { recursive: true });

  const project = mkdtempSync(join(tmpdir(), "rasci-serve-"));
  process.on("exit", () => rmSync(project, { recursive: true, force: true }));
  for (const part of ["rasci.yaml", "data", "content"]) {
    cpSync(join(REPO, part), join(project, part), { recursive: true });
  }
  const tasksFile = join(project, "data", "tasks.yaml");
  const partiesFile = join(project, "data", "parties.yaml");

  const started = await checks.check("rasci serve --port 0 starts and prints its address", async () => {
    origin = await withTimeout(startServer(binary, project), START_TIMEOUT_MS, "starting the server");
  });
  if (!started) {
    console.log(checks.closingLine());
    process.exit(1);
  }
  console.log(`serving ${project} at ${origin}/`);

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  } catch (error) {
    console.log(`FAIL  start Chromium (${CHROMIUM})\n      ${error.message.split("\n")[0]}`);
    checks.failed += 1;
    console.log(checks.closingLine());
    process.exit(1);
  }
  console.log(`browser: Chromium ${browser.version()}`);

  const screenshots = [];
  async function screenshot(page, name) {
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, animations: "disabled" });
    screenshots.push(file);
  }

  try {
    const desktop = await newContext(browser);
    let page = null; // the page kept open through the saves
    let scrolled = 0;

    await checks.check(`${PAGE} loads from the preview without errors`, async () => {
      page = await open(desktop, PAGE);
      const rows = await taskRows(page).count();
      assert(rows > 0, "the RASCI table has no task rows");
      assert((await taskTitles(page)).includes(OLD_TITLE), `the table has no task "${OLD_TITLE}"`);
      assert((await overlay(page).count()) === 0, "the findings overlay is shown on a clean project");
      scrolled = await page.evaluate((y) => {
        window.scrollTo(0, y);
        return window.scrollY;
      }, SCROLL_TO);
      assert(scrolled > SCROLL_TO / 2, `the page only scrolls to ${scrolled} px: too short to test keeping the position`);
      assertClean(desktop, PAGE);
    });
    assert(page, "the page did not open; nothing more to test");

    await checks.check("a saved data edit reloads the open page with the new title, scroll position kept", async () => {
      await mark(page);
      const loaded = page.waitForEvent("load", { timeout: SAVE_TIMEOUT_MS });
      edit(tasksFile, `title: ${OLD_TITLE}\n`, `title: ${NEW_TITLE}\n`);
      await loaded.catch(() => fail(`the page did not reload within ${SAVE_TIMEOUT_MS / 1000} s of the save${lastServerLines()}`));
      await settled(page, () => window.rasciTestMark === undefined, null, Boolean, "the page was not reloaded");
      const titles = await settled(
        page,
        () => Array.from(document.querySelectorAll("table.rasci tbody th[scope=row]"), (th) => th.innerText),
        null,
        (list) => list.includes(NEW_TITLE),
        `the reloaded table has no task "${NEW_TITLE}"`,
      );
      assert(!titles.includes(OLD_TITLE), `the reloaded table still has "${OLD_TITLE}"`);
      await settled(
        page,
        () => window.scrollY,
        null,
        (y) => Math.abs(y - scrolled) <= SCROLL_SLACK,
        `the reloaded page is not scrolled to about ${scrolled} px`,
      );
      assertClean(desktop, "reloading after a save");
    });

    let rowsBefore = 0;
    await checks.check("a save that breaks the data shows the findings over the last good site", async () => {
      rowsBefore = await taskRows(page).count();
      await mark(page);
      edit(partiesFile, `    name: ${PARTY}\n`, `    nam: ${PARTY}\n`);
      await overlay(page)
        .waitFor({ state: "visible", timeout: SAVE_TIMEOUT_MS })
        .catch(() => fail(`no findings overlay within ${SAVE_TIMEOUT_MS / 1000} s of the save${lastServerLines()}`));
      const text = await overlay(page).innerText();
      assert(text.includes("yaml/unknown-field"), `the overlay does not name yaml/unknown-field:\n${text}`);
      assert(/data\/parties\.yaml:\d+:\d+/.test(text), `the overlay does not point into data/parties.yaml (file:line:col):\n${text}`);
      assert(text.includes("nam"), `the overlay does not name the unknown field:\n${text}`);
      assert(await page.evaluate(() => window.rasciTestMark === true), "the page reloaded although the project is broken");
      assert((await taskRows(page).count()) === rowsBefore, "the table under the overlay changed");
      assert((await taskTitles(page)).includes(NEW_TITLE), "the page under the overlay is not the last good site");
      const box = await overlay(page).boundingBox();
      assert(box && box.width > 200 && box.height > 40, `the overlay is hardly visible (${JSON.stringify(box)})`);
      await screenshot(page, "serve-overlay");
      assertClean(desktop, "the page with the findings overlay");
    });

    let second = null;
    await checks.check("a tab opened while the data is broken shows the findings and the last good site", async () => {
      second = await open(desktop, PAGE);
      await overlay(second).waitFor({ state: "visible", timeout: SAVE_TIMEOUT_MS });
      const text = await overlay(second).innerText();
      assert(text.includes("yaml/unknown-field") && text.includes("data/parties.yaml"), `the overlay in the new tab lacks the finding:\n${text}`);
      assert((await taskRows(second).count()) === rowsBefore, "the new tab does not show the last good table");
      assert((await taskTitles(second)).includes(NEW_TITLE), "the new tab does not show the last good site");
      assertClean(desktop, "a new tab while the data is broken");
    });

    await checks.check("fixing the data removes the findings and reloads the open pages with the fix", async () => {
      const pages = [page, second].filter(Boolean);
      for (const p of pages) await mark(p);
      edit(partiesFile, `    nam: ${PARTY}\n`, `    name: ${FIXED_PARTY}\n`);
      for (const [i, p] of pages.entries()) {
        const which = i === 0 ? "the first tab" : "the second tab";
        await overlay(p)
          .waitFor({ state: "detached", timeout: SAVE_TIMEOUT_MS })
          .catch(() => fail(`the overlay is still on ${which} ${SAVE_TIMEOUT_MS / 1000} s after the fix${lastServerLines()}`));
        await settled(p, () => window.rasciTestMark === undefined, null, Boolean, `${which} was not reloaded after the fix`);
        await settled(
          p,
          () => Array.from(document.querySelectorAll("table.rasci thead th[scope=col]"), (th) => th.innerText.trim()),
          null,
          (list) => list.includes(FIXED_PARTY),
          `${which} does not show the party "${FIXED_PARTY}" after the fix`,
        );
        assert((await overlay(p).count()) === 0, `the overlay came back on ${which}`);
        assert((await taskTitles(p)).includes(NEW_TITLE), `${which} lost the earlier edit`);
      }
      assert((await partyHeaders(page)).includes(FIXED_PARTY), "the fixed party name is not in the table");
      assertClean(desktop, "reloading after the fix");
    });

    await checks.check("no file outside the site is served (traversal, dot-files)", async () => {
      const problems = [];
      const expectNot200 = (what, status, body) => {
        if (status === 200) problems.push(`${what} answered 200`);
        if (/\[package\]|repositoryformatversion/.test(body)) problems.push(`${what} gave away a file: ${body.slice(0, 80)}`);
      };
      // fetch resolves "..", so these go as raw requests; the rest through fetch.
      for (const path of ["/../Cargo.toml", "/../../Cargo.toml", "/../rasci.yaml", "/onprem/../../data/tasks.yaml"]) {
        const { status, body } = await rawGet(origin, path);
        expectNot200(`GET ${path}`, status, body);
      }
      for (const path of ["/..%2fCargo.toml", "/%2e%2e%2fCargo.toml", "/onprem/..%2f..%2frasci.yaml", "/.git/config", "/%2egit/config", "/data/tasks.yaml", "/rasci.yaml"]) {
        const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(ACTION_TIMEOUT_MS) });
        expectNot200(`fetch ${path}`, response.status, await response.text());
      }
      assert(problems.length === 0, problems.join("\n"));
    });

    let stoppedIn = null;
    await checks.check(`SIGINT stops the server within ${STOP_TIMEOUT_MS / 1000} s with exit code 0, pages still open`, async () => {
      const server = child;
      const done = exited(server);
      const sent = Date.now();
      assert(server.kill("SIGINT"), "SIGINT could not be sent");
      const { code, signal } = await withTimeout(done, STOP_TIMEOUT_MS, "stopping the server").catch((error) =>
        fail(`${error.message}${lastServerLines()}`),
      );
      const took = Date.now() - sent;
      assert(signal === null, `the server was ended by ${signal} instead of stopping by itself`);
      assert(code === 0, `the server exited with code ${code}${lastServerLines()}`);
      stoppedIn = took;
    });
    if (stoppedIn !== null) console.log(`      stopped in ${stoppedIn} ms`);
  } finally {
    await browser.close().catch(() => {});
  }

  checks.finish(screenshots);
}

// Whatever happens, the server does not outlive the test.
process.on("exit", () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
for (const name of ["SIGINT", "SIGTERM"]) {
  process.on(name, () => {
    console.log(`FAIL  interrupted by ${name}`);
    checks.failed += 1;
    console.log(checks.closingLine());
    process.exit(1);
  });
}

checks.run("serve test", TOTAL_TIMEOUT_MS, main);
