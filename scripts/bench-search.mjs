// Search in the browser, measured: what a reader's Chromium downloads to open
// the search page and run its first query, what each later query adds, and
// the time from the last keystroke to the results being drawn.
//
// Usage (after `npm ci --ignore-scripts` in tests/browser, which provides
// playwright-core; Debian's Chromium at /usr/bin/chromium or CHROMIUM_PATH):
//
//   parallax build --root SITE
//   node scripts/bench-search.mjs [--compress] SITE/public [QUERY ...]
//
// The built site is served from 127.0.0.1, without HTTP compression unless
// --compress is given: then the page, CSS and scripts are sent gzipped, as
// most hosts send them (Pagefind's index files are gzipped already, and are
// sent as they are either way). Each query is typed into the search page's
// box as a reader types it. Bytes are the bodies served; the time includes
// the search page's own wait for typing to pause (60 ms). A benchmark, not a
// test: it prints figures and fails only when a query draws nothing.

import { createServer } from "node:http";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const compress = args[0] === "--compress";
const [root, ...given] = compress ? args.slice(1) : args;
if (!root) {
  console.error("usage: node scripts/bench-search.mjs [--compress] PUBLIC_DIR [QUERY ...]");
  process.exit(2);
}
const queries = given.length ? given : ["negotiations", "istanbul", "pipeline shortage", "hospital", "climate", "kremlin envoy"];

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };
let served = 0;
const server = createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  const type = TYPES[path.extname(file)];
  const zipped = compress && type !== undefined;
  const body = zipped ? zlib.gzipSync(fs.readFileSync(file), { level: 6 }) : fs.readFileSync(file);
  served += body.length;
  const headers = { "content-type": type || "application/octet-stream", "content-length": body.length };
  if (zipped) headers["content-encoding"] = "gzip";
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" });
const page = await browser.newPage();
// Timestamps in the page: the last keystroke, and when the status line (which
// the search page fills once the cards are drawn) last changed.
await page.addInitScript(() => {
  window.__bench = { typed: 0, drawn: 0 };
  addEventListener("input", () => { window.__bench.typed = performance.now(); }, true);
  addEventListener("DOMContentLoaded", () => {
    const status = document.querySelector("[data-search-status]");
    if (!status) return;
    new MutationObserver(() => { if (status.textContent) window.__bench.drawn = performance.now(); })
      .observe(status, { childList: true, characterData: true, subtree: true });
  });
});
await page.goto(base + "search/");
await page.waitForSelector("[data-search-filters]:not([hidden])");
await page.waitForLoadState("networkidle");
const opened = served;
console.log(`search page opened: ${kb(opened)} (the page, CSS, scripts, Pagefind's scripts, wasm and metadata)`);

let failures = 0;
for (const [i, words] of queries.entries()) {
  const before = served;
  await page.fill("#q", "");
  await page.evaluate(() => { window.__bench.drawn = 0; });
  await page.type("#q", words);
  await page.waitForFunction((w) => {
    const status = document.querySelector("[data-search-status]").textContent;
    return window.__bench.drawn > window.__bench.typed && status.includes(w);
  }, words, { timeout: 60000 });
  await page.waitForLoadState("networkidle");
  const { typed, drawn } = await page.evaluate(() => window.__bench);
  const cards = await page.locator("[data-search-results] > li").count();
  const label = i === 0 ? "first query" : "later query";
  const bytes = served - before;
  console.log(`${label} "${words}": ${kb(bytes)}${i === 0 ? ` (${kb(opened + bytes)} with the page)` : ""}, ${Math.round(drawn - typed)} ms from the last keystroke, ${cards} cards`);
  if (!cards) failures++;
}
await browser.close();
server.close();
process.exit(failures ? 1 : 0);

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
