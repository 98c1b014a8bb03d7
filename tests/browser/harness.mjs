// What the browser tests share: how Chromium is started, checks that count and report
// themselves, time limits, and pages that record what went wrong while they were open.
import { createServer } from "node:http";
import { chromium } from "playwright-core";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function fail(message) {
  throw new Error(message);
}

export function assert(condition, message) {
  if (!condition) fail(message);
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Named checks, each bounded by `timeoutMs`, printing `ok` or `FAIL` as they end and
 * counted for the closing "N passed, M failed" line. `contexts` holds the open browser
 * contexts: what an earlier, failed check left in their problem lists is cleared first.
 */
export class Checks {
  constructor(timeoutMs, contexts) {
    this.timeoutMs = timeoutMs;
    this.contexts = contexts;
    this.passed = 0;
    this.failed = 0;
  }

  /** Runs one check; resolves to whether it passed. */
  async check(name, body) {
    for (const context of this.contexts) context.problems.length = 0;
    try {
      await withTimeout(Promise.resolve().then(body), this.timeoutMs, name);
      this.passed += 1;
      console.log(`ok    ${name}`);
      return true;
    } catch (error) {
      this.failed += 1;
      const message = String(error && error.message ? error.message : error)
        .split("\n")
        .filter((line) => line.trim())
        .slice(0, 8)
        .join("\n      ");
      console.log(`FAIL  ${name}\n      ${message}`);
      return false;
    }
  }

  closingLine() {
    return `${this.passed} passed, ${this.failed} failed`;
  }

  /**
   * Ends the script: lists the screenshots written, prints the closing line, and exits 0
   * only when nothing failed.
   */
  finish(screenshots = []) {
    if (screenshots.length) {
      console.log("screenshots:");
      for (const file of screenshots) console.log(`  ${file}`);
    }
    console.log(this.closingLine());
    process.exit(this.failed === 0 ? 0 : 1);
  }

  /**
   * Runs the script's `main` under a watchdog of `totalMs`: a run that hangs, or throws
   * outside a check, counts as a failure with its reason, never as a silent pass.
   */
  run(name, totalMs, main) {
    const failWith = (message) => {
      this.failed += 1;
      console.log(`FAIL  ${message}`);
      console.log(this.closingLine());
      process.exit(1);
    };
    const watchdog = setTimeout(() => failWith(`the ${name} did not finish within ${totalMs / 1000} s`), totalMs);
    watchdog.unref();
    main().catch((error) => failWith(error && error.stack ? error.stack : error));
  }
}

/**
 * A browser context for one check's pages, kept in `contexts` while open so a check can
 * clear and read its problems: every request for another host than `origin` is refused
 * and recorded, and so is every console error, page error and HTTP error of its pages
 * (failed requests too, unless `requestFailures` is false).
 */
export async function isolatedContext(
  browser,
  contexts,
  origin,
  contextOptions,
  { actionMs, navigationMs, requestFailures = true } = {},
) {
  const context = await browser.newContext(contextOptions);
  if (actionMs) context.setDefaultTimeout(actionMs);
  if (navigationMs) context.setDefaultNavigationTimeout(navigationMs);
  context.problems = [];
  contexts.add(context);
  context.on("close", () => contexts.delete(context));
  await context.route(
    (url) => url.origin !== origin && !["data:", "blob:", "about:"].includes(url.protocol),
    (route) => {
      context.problems.push(`request to another host: ${route.request().url()}`);
      return route.abort("blockedbyclient");
    },
  );
  context.on("page", (page) => watch(page, context.problems, { requestFailures }));
  return context;
}

/**
 * Records on `problems` every console error, page error and HTTP error of `page`, and,
 * unless `requestFailures` is false, every failed request.
 */
export function watch(page, problems, { requestFailures = true } = {}) {
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const where = msg.location() && msg.location().url ? ` (${msg.location().url})` : "";
      problems.push(`console error: ${msg.text()}${where}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  if (requestFailures) {
    page.on("requestfailed", (request) => {
      const why = request.failure() ? request.failure().errorText : "failed";
      problems.push(`request failed: ${request.url()} (${why})`);
    });
  }
  page.on("response", (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  });
}

/** Fails with everything the context recorded, and clears it. */
export function assertClean(context, what) {
  const problems = context.problems.splice(0);
  assert(problems.length === 0, `${what}:\n${problems.join("\n")}`);
}

// ---------------------------------------------------------------------------------------
// A static host for the built site, on 127.0.0.1 only, as a plain static host serves it.

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * Serves the files under `root` on a free loopback port. A missing file is a plain 404,
 * or, with `notFoundPage`, the site's own 404.html with status 404, as static hosts do.
 */
export function serveSite(root, { notFoundPage = false } = {}) {
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let status = 200;
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      statSync(file);
    } catch {
      if (!notFoundPage) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
        return;
      }
      file = join(root, "404.html");
      status = 404;
    }
    const body = readFileSync(file);
    res.writeHead(status, {
      "Content-Type": CONTENT_TYPES[extname(file).toLowerCase()] || "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise(server));
  });
}

/**
 * The start of a browser script that tests a built site: the site folder from the command
 * line (exit 2 with `usage` when it is missing, or when one of `required` is not in it),
 * the screenshot folder (`$SCREENSHOT_DIR`, else a new temporary one named after
 * `name`), the site served on a free port, and Chromium launched. Failing to launch
 * Chromium is a failed check, reported and ended here. With `notFoundPage`, a missing file
 * is answered with the site's own 404.html (see `serveSite`).
 */
export async function startSiteTest(checks, { name, usage, required, notFoundPage = false }) {
  const siteArg = process.argv[2];
  if (!siteArg) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const site = resolve(siteArg);
  for (const path of required) {
    if (!existsSync(join(site, path))) {
      console.error(`error: ${join(site, path)} does not exist: build the site first`);
      process.exit(2);
    }
  }
  const shots = resolve(process.env.SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), `rasci-${name}-`)));
  mkdirSync(shots, { recursive: true });
  const server = await serveSite(site, { notFoundPage });
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`serving ${site} at ${origin}/`);
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    return { site, shots, server, origin, browser };
  } catch (error) {
    server.close();
    console.log(`FAIL  start Chromium (${CHROMIUM})\n      ${error.message.split("\n")[0]}`);
    checks.failed += 1;
    console.log(checks.closingLine());
    process.exit(1);
  }
}
