// Browser tests of the default theme, in Debian's Chromium driven by
// playwright-core (no browser is ever downloaded).
//
// It builds the example site with the parallax binary named by PARALLAX_BIN
// into a temporary folder, serves it on 127.0.0.1, then checks: axe-core on the
// main kinds of page in light and dark, the Nu HTML checker on every page,
// the Analysis tabs and the article filters with and without JavaScript,
// console errors, requests to other hosts, narrow screens, print, page
// weight, and takes screenshots of a story page into SCREENSHOT_DIR. Then it
// runs `parallax serve` itself on a copy of the site and checks its 404 page
// (status and page), live reload after a save, and the error overlay that a
// bad save shows (its exact text, on open pages and on pages opened later)
// and that the fix takes away.
//
// Usage: PARALLAX_BIN=/path/to/parallax node run.mjs
// Ends with a line "N passed, N failed"; exits 1 when anything failed.

import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SHOTS = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), "parallax-shots");
const WEIGHT_LIMIT = 30 * 1024;

const STORY = "stories/putin-skips-istanbul-talks/";
const STORY_BLINDSPOT = "stories/eu-adopts-17th-sanctions-package/";
const STORY_UNTRACKED = "stories/nato-foreign-ministers-meet-in-antalya/";
const TOPIC = "topics/nato/";
const OUTLET = "outlets/the-guardian/";
// Every kind of page: each is checked with the Nu HTML checker and axe-core
// (the issue asks for axe on the index, a story, a topic, an outlet and the
// 404 page; the others cost little).
const KINDS = {
  index: "",
  "index page 2": "page/2/",
  story: STORY,
  topics: "topics/",
  topic: TOPIC,
  outlets: "outlets/",
  outlet: OUTLET,
  blindspots: "blindspots/",
  "plain page": "about/",
  corrections: "corrections/",
  "corrected story": "stories/trump-visits-qatar-boeing-order/",
  "404": "404.html",
  search: "search/",
};
const SEARCH_WORD = "boeing"; // only in one story's title
const SEARCH_HIT = "/stories/trump-visits-qatar-boeing-order/";
let axeSource = ""; // axe-core's script, injected into each page it checks
const EMPTY_SIDE = "There are not enough sources from this perspective to provide an analysis.";

// ---------------------------------------------------------------------------
// A tiny harness: checks run one after another; a failure is reported and the
// run goes on.

let passed = 0;
let failed = 0;
const failures = [];

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(err && err.stack ? err.stack : err).split("\n").join("\n     ")}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

// The Nu checker's report: with `--format json` it prints one JSON object,
// {"messages": [...]}, to stderr. An empty or unparseable report, or one
// without its list of messages, is a failure: it says nothing was checked.
function vnuMessages(result) {
  const report = (result.stderr || "").trim();
  assert(report.length > 0, `vnu printed no report (exit ${result.status}):\n${result.stdout}`);
  let parsed;
  try {
    parsed = JSON.parse(report);
  } catch {
    throw new Error(`vnu's report is not JSON (exit ${result.status}):\n${report}\n${result.stdout}`);
  }
  assert(parsed && Array.isArray(parsed.messages), `vnu's report has no list of messages:\n${report}`);
  return parsed.messages;
}

// A PNG decoded just enough to look at it: 8-bit greyscale, RGB or RGBA,
// not interlaced (what Chromium writes). Returns {width, height, pixel(x, y)}.
function decodePng(file) {
  const zlib = require("node:zlib");
  const buf = fs.readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert(buf.subarray(0, 8).equals(signature), `${file}: not a PNG`);
  let off = 8;
  let header = null;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8],
        colour: data[9],
        interlace: data[12],
      };
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  assert(header, `${file}: no IHDR`);
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[header.colour];
  assert(header.depth === 8 && channels && header.interlace === 0, `${file}: unsupported PNG ${JSON.stringify(header)}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = header.width * channels;
  assert(raw.length === header.height * (stride + 1), `${file}: ${raw.length} bytes of image data for ${header.width}x${header.height}`);
  const pixels = Buffer.alloc(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? pixels[y * stride + i - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else assert(filter === 0, `${file}: bad filter ${filter}`);
      pixels[y * stride + i] = v & 0xff;
    }
  }
  const pixel = (x, y) => {
    const at = y * stride + x * channels;
    const grey = channels < 3;
    return grey ? [pixels[at], pixels[at], pixels[at]] : [pixels[at], pixels[at + 1], pixels[at + 2]];
  };
  return { width: header.width, height: header.height, pixel };
}

// What a screenshot shows, in brief: its size, how many colours a grid of
// samples finds, and their mean luminance (0 black, 255 white).
function looks(file) {
  const png = decodePng(file);
  const colours = new Set();
  let sum = 0;
  let count = 0;
  for (let y = 0; y < png.height; y += 7) {
    for (let x = 0; x < png.width; x += 7) {
      const [r, g, b] = png.pixel(x, y);
      colours.add((r << 16) | (g << 8) | b);
      sum += 0.2126 * r + 0.7152 * g + 0.0722 * b;
      count++;
    }
  }
  return { width: png.width, height: png.height, colours: colours.size, luminance: sum / count };
}

// ---------------------------------------------------------------------------
// The site: the repository's example content and theme, built by PARALLAX_BIN.
// site.yaml is the example's with two changes so that every feature shows:
// two stories a page (so there is a page 2) and a "report an issue" address.

function buildSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-browser-"));
  fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
  let yaml = fs.readFileSync(path.join(repo, "site.yaml"), "utf8");
  yaml = yaml.replace(/^stories_per_page:.*$/m, "").replace(/^report_issue_url:.*$/m, "");
  yaml += "\nstories_per_page: 2\nreport_issue_url: https://briefs.example.org/report\n";
  fs.writeFileSync(path.join(root, "site.yaml"), yaml);
  return { root, out: runBuild(root) };
}

// The example site in French, and a right-to-left site: the story of the
// example site written in Arabic (tests/fixtures/i18n/ar/), in an `ar` site.
function buildFrenchSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-browser-fr-"));
  fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
  const yaml = fs.readFileSync(path.join(repo, "site.yaml"), "utf8").replace(/^language: en$/m, "language: fr");
  fs.writeFileSync(path.join(root, "site.yaml"), yaml + "report_issue_url: https://briefs.example.org/report\n");
  return runBuild(root);
}

function buildRtlSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-browser-rtl-"));
  fs.mkdirSync(path.join(root, "content"), { recursive: true });
  fs.copyFileSync(path.join(repo, "content", "outlets.yaml"), path.join(root, "content", "outlets.yaml"));
  fs.cpSync(path.join(repo, "tests", "fixtures", "i18n", "ar"), path.join(root, "content", "stories"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "site.yaml"),
    "title: موجز الأخبار\nbase_url: https://ar.example.org\nlanguage: ar\n" +
      "description: \"قصة واحدة، ثلاث زوايا: كيف يغطي اليسار والوسط واليمين الأخبار.\"\n",
  );
  return runBuild(root);
}

// Builds the site at `root` into `root/public` with PARALLAX_BIN.
function runBuild(root) {
  const bin = process.env.PARALLAX_BIN;
  if (!bin || !fs.existsSync(bin)) {
    throw new Error(`set PARALLAX_BIN to the parallax binary (got ${bin || "nothing"})`);
  }
  // The theme as it is in the repository, so a stale binary still tests the
  // current files (a site's themes/default/ takes the place of the built-in one).
  fs.cpSync(path.join(repo, "themes", "default"), path.join(root, "themes", "default"), { recursive: true });
  const out = path.join(root, "public");
  const result = spawnSync(bin, ["--root", root, "build", "--output", out], { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`parallax build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// `parallax serve` itself, on a copy of the example site: started on a free
// port (--port 0), its stderr collected; the address is the one it prints.

async function startServe() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "parallax-serve-"));
  fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
  fs.cpSync(path.join(repo, "themes", "default"), path.join(root, "themes", "default"), { recursive: true });
  fs.copyFileSync(path.join(repo, "site.yaml"), path.join(root, "site.yaml"));
  const child = spawn(process.env.PARALLAX_BIN, ["--root", root, "serve", "--port", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const log = [];
  let pending = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    log.push(...lines);
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const waitLine = async (what, test) => {
    for (let i = 0; i < 600; i++) {
      const line = log.find(test);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`parallax serve: gave up waiting for ${what}; its log:\n${log.join("\n")}`);
  };
  const line = await waitLine("its address", (l) => /^serving http:\/\/127\.0\.0\.1:\d+\//.test(l));
  const base = line.match(/^serving (http:\/\/127\.0\.0\.1:\d+\/)/)[1];
  const stop = async () => {
    child.kill("SIGINT");
    return exited;
  };
  return { root, base, log, waitLine, stop };
}

// The story file whose page is `page`, relative to the site root.
function storyFile(root, page) {
  const stories = path.join(root, "content", "stories");
  const name = page.replace(/^stories\//, "").replace(/\/$/, "") + ".md";
  const found = fs.readdirSync(stories, { recursive: true }).find((rel) => path.basename(rel).endsWith(`-${name}`) || path.basename(rel) === name);
  assert(found, `no story file for ${page}`);
  return path.join("content", "stories", found);
}

async function runServe(browser) {
  const serve = await startServe();
  console.log(`parallax serve on ${serve.base}`);
  const context = await newContext(browser);
  const page = await context.newPage();
  // A story no other story relates to: breaking it breaks nothing else.
  const rel = storyFile(serve.root, STORY_UNTRACKED);
  const file = path.join(serve.root, rel);
  const original = fs.readFileSync(file, "utf8");
  const heading = () => page.locator("main h1").first().innerText();
  try {
    await check("serve: a missing page is the site's 404 page, with status 404", async () => {
      const missing = await page.goto(serve.base + "no-such-page/");
      equal(missing.status(), 404, "status of a missing page");
      equal(await page.locator("h1").innerText(), "Page not found", "the 404 page's heading");
      equal(await page.locator("script[src='/__parallax/live.js']").count(), 1, "the live-reload script is in it");
    });

    await check("serve: saving a story reloads the open page with the new text", async () => {
      await page.goto(serve.base + STORY_UNTRACKED);
      await page.waitForFunction(() => document.readyState === "complete");
      const before = await heading();
      assert(!before.includes("(edited)"), `the heading before: ${before}`);
      // A mark that only this document has: a reload drops it.
      await page.evaluate(() => { window.parallaxMark = true; });
      const title = original.match(/^title: (.*)$/m)[1];
      fs.writeFileSync(file, original.replace(/^title: .*$/m, `title: ${title} (edited)`));
      await page.waitForFunction(
        () => !window.parallaxMark && document.readyState === "complete" && document.querySelector("main h1")?.textContent.includes("(edited)"),
        null,
        { timeout: 30000 },
      );
      equal(await heading(), `${title} (edited)`, "the heading after the reload");
    });

    const bad = original.replace(/^title: .*$/m, (t) => `${t} (edited)`).replace(/^date: .*$/m, "date: nope");
    const dateLine = bad.split("\n").indexOf("date: nope") + 1;
    const problem = `${rel}:${dateLine}:1: date: expected an RFC 3339 date-time (2025-05-15T08:00:00Z) or a date (2025-05-15), found 'nope'`;
    const overlayText = `The last edit did not build; this page is the last good one.\n\n${problem}`;

    await check("serve: a bad save shows its problem over the last good page, at its file:line:col", async () => {
      await page.evaluate(() => { window.parallaxMark = true; });
      fs.writeFileSync(file, bad);
      const overlay = page.locator("#parallax-problems");
      await overlay.waitFor({ state: "visible", timeout: 30000 });
      equal(await overlay.getAttribute("role"), "alert", "the overlay is an alert");
      equal(await overlay.evaluate((e) => e.textContent), overlayText, "the overlay's text");
      assert(await page.evaluate(() => window.parallaxMark === true), "the page was not reloaded");
      assert((await heading()).endsWith("(edited)"), "the last good page stays under the overlay");
      // The terminal says the same, with the count and the note.
      await serve.waitLine("the note that the old output stays", (l) => l.includes("the last good output stays"));
      assert(serve.log.includes(`error: ${problem}`), `serve's log has the error line:\n${serve.log.join("\n")}`);
      // A page opened while the build is broken shows the overlay at once.
      const other = await context.newPage();
      await other.goto(serve.base);
      await other.locator("#parallax-problems").waitFor({ state: "visible", timeout: 30000 });
      equal(await other.locator("#parallax-problems").evaluate((e) => e.textContent), overlayText, "a newly opened page's overlay");
      await other.close();
    });

    await check("serve: fixing the save reloads the page, without the overlay", async () => {
      fs.writeFileSync(file, original);
      await page.waitForFunction(
        () => !window.parallaxMark && document.readyState === "complete" && !document.getElementById("parallax-problems"),
        null,
        { timeout: 30000 },
      );
      const title = original.match(/^title: (.*)$/m)[1];
      equal(await heading(), title, "the heading after the fix");
    });
  } finally {
    await context.close();
    const { code, signal } = await serve.stop();
    await check("serve: stops cleanly on Ctrl-C", async () => {
      equal({ code, signal }, { code: 0, signal: null }, "exit");
    });
    fs.rmSync(serve.root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// A static server: files from the output, index.html for folders, 404.html
// (status 404) for anything missing.

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
};

function serve(dir) {
  const server = createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      rel = "/";
    }
    let file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(dir)) file = dir;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!rel.endsWith("/")) {
        res.writeHead(301, { Location: rel + "/" });
        res.end();
        return;
      }
      file = path.join(file, "index.html");
    }
    let status = 200;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      status = 404;
      file = path.join(dir, "404.html");
    }
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---------------------------------------------------------------------------
// The browser, with every request watched: anything not for 127.0.0.1 is
// recorded as a failure and aborted; console errors are recorded too.

const foreign = [];
const consoleErrors = [];

async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  context.on("page", watchPage);
  return context;
}

function watchPage(page) {
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // The one expected error: the deliberate visit to a missing address.
    if (/status of 404/.test(msg.text()) && page.url().includes("/no-such-page")) return;
    consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
}

// ---------------------------------------------------------------------------

async function main() {
  const { chromium } = require("playwright-core");
  axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const { out } = buildSite();
  const server = await serve(out);
  const base = `http://127.0.0.1:${server.address().port}/`;
  console.log(`site built into ${out}, served at ${base}`);
  const sites = { fr: buildFrenchSite(), ar: buildRtlSite() };
  const servers = { fr: await serve(sites.fr), ar: await serve(sites.ar) };
  const bases = {};
  for (const [language, s] of Object.entries(servers)) bases[language] = `http://127.0.0.1:${s.address().port}/`;
  console.log(`French and Arabic sites served at ${bases.fr} and ${bases.ar}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

  try {
    await run(browser, base, out, { sites, bases });
    await runServe(browser);
  } finally {
    await browser.close();
    server.close();
    for (const s of Object.values(servers)) s.close();
  }
}

async function axeCheck(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      resultTypes: ["violations", "incomplete"],
      // WCAG 2.2 AA 2.5.8 (target size) is off by default in axe-core.
      rules: { "target-size": { enabled: true } },
    });
    // Contrast that axe could not work out (text over a gradient or an
    // image, say) counts as a failure too: every text must be checkable.
    // Lone symbols (an arrow) are not text for WCAG 1.4.3.
    const unsure = result.incomplete
      .filter((v) => v.id === "color-contrast")
      .map((v) => ({
        ...v,
        nodes: v.nodes.filter((n) => !n.any.some((c) => c.data && ["nonBmp", "shortTextContent"].includes(c.data.messageKey))),
      }))
      .filter((v) => v.nodes.length > 0);
    return result.violations.concat(unsure).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${(n.failureSummary || n.any.map((c) => c.message).join("; ")).replace(/\s+/g, " ")}`),
    }));
  });
}

// A full-page screenshot into SHOTS, in a colour scheme and at a width.
async function shoot(page, { scheme, width, url, name, ready }) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width, height: 900 });
  await page.goto(url);
  if (ready) await page.locator(ready).first().waitFor();
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert(fs.statSync(file).size > 1000, `${file} written`);
}

async function run(browser, base, out, languages) {
  // --- axe-core, light and dark, wide and narrow --------------------------------
  for (const scheme of ["light", "dark"]) {
    const context = await newContext(browser, { colorScheme: scheme });
    const page = await context.newPage();
    for (const rel of Object.values(KINDS)) {
      await check(`axe: /${rel} in ${scheme}`, async () => {
        const response = await page.goto(base + rel);
        equal(response.status(), 200, "status");
        const violations = await axeCheck(page);
        assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
      });
    }
    await check(`axe: story with the other tabs and a filter applied, in ${scheme}`, async () => {
      await page.goto(base + STORY);
      await page.getByRole("tab", { name: "Right" }).click();
      await page.getByRole("button", { name: /^Left/ }).click();
      let violations = await axeCheck(page);
      assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
      await page.goto(base + STORY_BLINDSPOT);
      violations = await axeCheck(page);
      assert(violations.length === 0, `axe violations on the blindspot story:\n${JSON.stringify(violations, null, 2)}`);
    });
    await check(`axe: search page with results and filters shown, in ${scheme}`, async () => {
      await page.goto(base + "search/?q=putin");
      await page.locator(".search-results .card").first().waitFor();
      const violations = await axeCheck(page);
      assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
    });
    await page.setViewportSize({ width: 375, height: 800 });
    await check(`axe: story at 375px in ${scheme}`, async () => {
      await page.goto(base + STORY);
      const violations = await axeCheck(page);
      assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
    });
    await context.close();
  }

  // --- The Nu HTML checker on every page ---------------------------------------
  await check("vnu: every HTML page is valid HTML5 (and the CSS and SVG too)", async () => {
    const files = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.(html|css|svg)$/.test(entry.name)) files.push(p);
      }
    };
    walk(out);
    for (const dir of Object.values(languages.sites)) files.push(path.join(dir, STORY, "index.html"));
    for (const [kind, rel] of Object.entries(KINDS)) {
      const file = path.join(out, rel.endsWith(".html") ? rel : path.join(rel, "index.html"));
      assert(files.includes(file), `no ${kind} page at ${file}`);
    }
    const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
    const result = spawnSync(
      "java",
      ["-jar", jar, "--errors-only", "--format", "json", "--also-check-css", "--also-check-svg", ...files],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    assert(result.error === undefined, `cannot run java: ${result.error}`);
    const messages = vnuMessages(result);
    const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error" || m.subType === "fatal");
    const shown = errors.map((m) => `${m.url ? fileURLToPath(m.url) : "?"}:${m.lastLine}: ${m.message}`);
    assert(errors.length === 0, `vnu errors:\n${shown.join("\n")}`);
    // A non-zero exit with no error reported means the checker itself failed.
    assert(result.status === 0, `vnu exited ${result.status} without reporting an error:\n${result.stdout}\n${result.stderr}`);
    console.log(`     vnu checked ${files.length} files`);
  });

  // --- With JavaScript -----------------------------------------------------------
  const context = await newContext(browser);
  const page = await context.newPage();

  await check("story: the parts the issue lists are there", async () => {
    await page.goto(base + STORY);
    const text = async (css) => (await page.locator(css).allInnerTexts()).join(" | ").replace(/\s+/g, " ").trim();
    assert((await text("h1")).includes("Istanbul"), "title");
    assert((await text(".summary")).length > 20, "summary");
    assert((await page.locator(".chips a").count()) >= 2, "topic chips");
    assert((await text(".meta")).includes("Istanbul, Turkey"), "location");
    assert(/\d{1,2} May 2025, \d\d:\d\d UTC/.test(await text(".meta")), "absolute date");
    assert(/ago|yesterday|last|\bin\b/.test(await text(".meta .relative")), "relative date from the script");
    assert((await text(".ai-disclosure")).includes("Report an issue"), "disclosure with report link");
    equal(await text(".newsletter"), "Get both sides in 5 minutes with our daily newsletter.", "newsletter");
    const legend = await text(".coverage .bias-legend");
    assert(/Left \d+% · Center \d+% · Right \d+%/.test(legend), `bias legend: ${legend}`);
    const facts = await text(".coverage .facts");
    for (const label of ["Total sources", "Untracked bias", "Last updated"]) assert(facts.includes(label), `facts: ${label}`);
    assert((await page.locator(".breakdown").count()) === 2, "factuality and ownership breakdowns");
    assert((await text(".first-reported")).startsWith("First reported by"), "first reported");
    assert((await page.locator(".faq details > summary").count()) >= 3, "FAQ as details");
    assert((await page.locator(".timeline li").count()) >= 3, "history");
    assert((await page.locator(".similar a").count()) >= 1, "similar stories");
    assert((await page.locator(".share a").count()) >= 3, "share links");
    for (const a of await page.locator(".article-title a").all()) {
      equal(await a.getAttribute("rel"), "noopener", "article links rel");
    }
    await page.goto(base + STORY_BLINDSPOT);
    const badge = await text(".coverage .blindspot-badge");
    assert(/right/i.test(badge) && /\d+%/.test(badge), `blindspot badge names the side and its share: ${badge}`);
    await page.goto(base + STORY_UNTRACKED);
    assert((await text(".coverage .bias-legend")).includes("1 untracked"), "untracked count in the legend");
  });

  await check("tabs: click, arrow keys, Home/End, focus stays visible", async () => {
    await page.goto(base + STORY);
    const tabs = page.getByRole("tab");
    equal(await tabs.allInnerTexts(), ["Left", "Center", "Right"], "tab names");
    const visible = async () => ({
      left: await page.locator("#perspective-left").isVisible(),
      center: await page.locator("#perspective-center").isVisible(),
      right: await page.locator("#perspective-right").isVisible(),
    });
    equal(await visible(), { left: true, center: false, right: false }, "first tab shown");
    await page.getByRole("tab", { name: "Center" }).click();
    equal(await visible(), { left: false, center: true, right: false }, "after clicking Center");
    equal(await page.getByRole("tab", { name: "Center" }).getAttribute("aria-selected"), "true", "aria-selected");
    assert((await page.locator("#perspective-center").innerText()).includes(EMPTY_SIDE), "empty side sentence");
    await page.getByRole("tab", { name: "Center" }).focus();
    await page.keyboard.press("ArrowRight");
    equal(await visible(), { left: false, center: false, right: true }, "after ArrowRight");
    equal(await page.evaluate(() => document.activeElement.textContent), "Right", "focus follows ArrowRight");
    await page.keyboard.press("ArrowRight");
    equal(await visible(), { left: true, center: false, right: false }, "ArrowRight wraps");
    await page.keyboard.press("ArrowLeft");
    equal(await visible(), { left: false, center: false, right: true }, "ArrowLeft wraps");
    await page.keyboard.press("Home");
    equal(await visible(), { left: true, center: false, right: false }, "Home");
    await page.keyboard.press("End");
    equal(await visible(), { left: false, center: false, right: true }, "End");
    // Only the selected tab is in the tab order; Tab moves on to the panel.
    equal(await tabs.evaluateAll((els) => els.map((e) => e.tabIndex)), [-1, -1, 0], "roving tabindex");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== "none", "the focused tab shows an outline");
    await page.keyboard.press("Tab");
    equal(await page.evaluate(() => document.activeElement.id), "perspective-right", "Tab goes to the panel");
  });

  await check("filters: click and keyboard, counts, empty side message", async () => {
    await page.goto(base + STORY);
    const all = await page.locator(".article-list > li").count();
    const shown = () => page.locator(".article-list > li:visible").count();
    equal(await shown(), all, "all shown at first");
    for (const side of ["left", "center", "right"]) {
      const button = page.locator(`[data-filter="${side}"]`);
      await button.click();
      equal(await button.getAttribute("aria-pressed"), "true", `${side} pressed`);
      const expected = await page.locator(`.article-list > li[data-bucket="${side}"]`).count();
      equal(await shown(), expected, `${side} articles shown`);
      const label = await button.innerText();
      assert(label.includes(`(${expected})`), `button ${label} shows its count`);
      const status = await page.locator(".filter-status").innerText();
      const says = expected ? status.includes(`${expected} of ${all}`) : status.startsWith("No articles");
      assert(says, `the status says what is shown: ${status}`);
    }
    // Keyboard: Tab from the "All" button's predecessor, Enter/Space press.
    await page.locator('[data-filter="all"]').focus();
    await page.keyboard.press("Enter");
    equal(await shown(), all, "Enter on All shows all");
    await page.keyboard.press("Tab");
    equal(await page.evaluate(() => document.activeElement.dataset.filter), "left", "Tab reaches Left");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== "none", "the focused filter shows an outline");
    await page.keyboard.press("Space");
    equal(await shown(), await page.locator('.article-list > li[data-bucket="left"]').count(), "Space on Left");
  });

  await check("skip link: first in the tab order, visible when focused, goes to main", async () => {
    await page.goto(base + STORY);
    await page.keyboard.press("Tab");
    const skip = page.locator(".skip");
    equal(await page.evaluate(() => document.activeElement.className), "skip", "first Tab stop");
    const box = await skip.boundingBox();
    assert(box && box.x >= 0 && box.y >= 0 && box.width > 20, "visible when focused");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#main$/);
    equal(await page.evaluate(() => document.activeElement.id), "main", "focus moves to main");
  });

  await check("index, pagination, topics, outlets, blindspots", async () => {
    await page.goto(base);
    const cards = page.locator(".card");
    equal(await cards.count(), 2, "two stories a page");
    for (const card of await cards.all()) {
      assert((await card.locator(".card-title a").count()) === 1, "card title");
      assert((await card.locator(".bias-bar").count()) === 1, "card bias bar");
      assert(/\d+ sources?/.test(await card.innerText()), "card source count");
    }
    await page.locator("a[rel=next]").click();
    assert(page.url().endsWith("/page/2/"), "next page");
    assert((await page.locator("a[rel=prev]").count()) === 1, "prev link");
    await page.goto(base + "blindspots/");
    assert((await page.locator(".card .blindspot-badge").count()) >= 1, "blindspot badge on cards");
    await page.goto(base + "topics/");
    assert((await page.locator(".topic-list a").count()) >= 5, "topics");
    await page.goto(base + "outlets/");
    assert((await page.locator("tbody tr").count()) >= 5, "outlets");
  });

  await check("no horizontal scrolling at 320px on any kind of page", async () => {
    await page.setViewportSize({ width: 320, height: 700 });
    for (const [kind, rel] of Object.entries(KINDS)) {
      await page.goto(base + rel);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 320, `${kind} is ${width}px wide at 320px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check("print: every perspective and article, no tabs, buttons or navigation", async () => {
    await page.goto(base + STORY);
    await page.locator('[data-filter="right"]').click();
    await page.emulateMedia({ media: "print" });
    try {
    for (const side of ["left", "center", "right"]) {
      assert(await page.locator(`#perspective-${side}`).isVisible(), `${side} printed`);
    }
    equal(
      await page.locator(".article-list > li:visible").count(),
      await page.locator(".article-list > li").count(),
      "every article printed",
    );
    assert(!(await page.locator("[role=tablist]").isVisible()), "no tab list in print");
    assert(!(await page.locator(".site-header nav").isVisible()), "no navigation in print");
    } finally {
      await page.emulateMedia({ media: "screen" });
    }
  });

  // --- Search --------------------------------------------------------------
  const results = async (p) => p.locator(".search-results .card-title a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  await check("search: a distinctive title word gives that story first; the URL follows the query", async () => {
    await page.goto(base + "search/");
    await page.locator("[data-search-filters]:not([hidden])").waitFor();
    await page.locator("#q").fill(SEARCH_WORD);
    await page.locator(".search-results .card").first().waitFor();
    equal((await results(page))[0], SEARCH_HIT, "first result");
    equal(new URL(page.url()).search, `?q=${SEARCH_WORD}`, "the URL follows the query");
    assert((await page.locator("[data-search-status]").innerText()).includes(SEARCH_WORD), "the status line says what was found");
    assert((await page.locator(".search-results .bias-bar").count()) > 0, "results are story cards with a coverage bar");
  });
  await check("search: ?q= runs on load; a side filter drops stories without a source on that side", async () => {
    await page.goto(base + "search/?q=putin");
    await page.locator(".search-results .card").first().waitFor();
    equal(await page.locator("#q").inputValue(), "putin", "the box shows the query");
    const all = await results(page);
    assert(all.includes("/" + STORY), `the story without a center source is found: ${all}`);
    await page.locator("#side").selectOption("center");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("side") === "center");
    await page.waitForFunction((story) => ![...document.querySelectorAll(".search-results .card-title a")].some((a) => a.href.endsWith(story)), STORY);
    const centered = await results(page);
    assert(centered.length > 0 && !centered.includes("/" + STORY), `side=center: ${centered}`);
    const legends = await page.locator(".search-results .legend-center").allInnerTexts();
    assert(legends.every((t) => t !== "Center 0%"), `every result has a center source: ${legends}`);
    await page.goto(base + "search/?q=putin&side=center");
    await page.locator(".search-results .card").first().waitFor();
    equal(await results(page), centered, "the shared URL gives the same results");
  });
  await check("search: a topic filter keeps only that topic's stories; opening the page loads no filter index", async () => {
    const filterRequests = [];
    const watch = (r) => { if (r.url().includes("/pagefind/filter/")) filterRequests.push(r.url()); };
    page.on("request", watch);
    try {
      await page.goto(base + "search/?q=putin");
      await page.locator(".search-results .card").first().waitFor();
      equal(filterRequests.length, 0, "no filter index is loaded before a filter is chosen");
      const all = await results(page);
      const inTopic = await page.evaluate(async (url) => {
        const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
        return [...doc.querySelectorAll(".card-title a")].map((a) => new URL(a.getAttribute("href"), url).pathname);
      }, base + TOPIC);
      assert(all.some((p) => !inTopic.includes(p)), `a result outside the topic before filtering: ${all} (topic: ${inTopic})`);
      await page.locator("#topic").selectOption("NATO");
      await page.waitForFunction(() => new URL(location.href).searchParams.get("topic") === "NATO");
      await page.waitForFunction((allowed) => {
        const shown = [...document.querySelectorAll(".search-results .card-title a")].map((a) => new URL(a.href).pathname);
        return shown.length > 0 && shown.every((p) => allowed.includes(p));
      }, inTopic);
      assert(filterRequests.length > 0, "the filter's index is loaded once a topic is chosen");
    } finally {
      page.off("request", watch);
    }
  });
  await check("search: keyboard only (Tab to the box, type, Tab to a result, Enter)", async () => {
    await page.goto(base + "search/");
    await page.locator("[data-search-filters]:not([hidden])").waitFor();
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement.id)) !== "q"; i++) await page.keyboard.press("Tab");
    equal(await page.evaluate(() => document.activeElement.id), "q", "Tab reaches the search box");
    await page.keyboard.type(SEARCH_WORD);
    await page.locator(".search-results .card").first().waitFor();
    for (let i = 0; i < 20 && !(await page.evaluate(() => !!document.activeElement.closest(".search-results"))); i++) await page.keyboard.press("Tab");
    assert(await page.evaluate(() => !!document.activeElement.closest(".search-results")), "Tab reaches a result");
    await Promise.all([page.waitForURL("**" + SEARCH_HIT), page.keyboard.press("Enter")]);
  });
  await check("search: the header form of every page goes to /search/?q=", async () => {
    await page.goto(base + STORY);
    await page.locator("#site-q").fill(SEARCH_WORD);
    await Promise.all([page.waitForURL("**/search/?q=" + SEARCH_WORD), page.locator("#site-q").press("Enter")]);
    await page.locator(".search-results .card").first().waitFor();
    equal((await results(page))[0], SEARCH_HIT, "first result");
  });
  await check("screenshots of the search page with results, 390px and 1280px, light and dark", async () => {
    for (const scheme of ["light", "dark"]) {
      for (const width of [390, 1280]) {
        await shoot(page, { scheme, width, url: base + "search/?q=nato", name: `search-${width}-${scheme}`, ready: ".search-results .card" });
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check("screenshots of the story page, 375px and 1280px, light and dark", async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const seen = {};
    for (const scheme of ["light", "dark"]) {
      for (const width of [375, 1280]) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height: 900 });
        await page.goto(base + STORY);
        const file = path.join(SHOTS, `story-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        // Decoded: the page's width, at least a screen tall, not one flat
        // colour (a blank or unstyled page would show few).
        const shot = looks(file);
        equal(shot.width, width, `${file} width`);
        assert(shot.height >= 900, `${file} is ${shot.height}px tall`);
        assert(shot.colours >= 16, `${file} shows only ${shot.colours} colours`);
        seen[`${width}-${scheme}`] = { ...shot, bytes: fs.readFileSync(file) };
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(base);
      await page.screenshot({ path: path.join(SHOTS, `index-1280-${scheme}.png`), fullPage: true });
    }
    for (const width of [375, 1280]) {
      const light = seen[`${width}-light`];
      const dark = seen[`${width}-dark`];
      assert(!light.bytes.equals(dark.bytes), `light and dark screenshots at ${width}px are the same`);
      assert(
        dark.luminance + 40 < light.luminance,
        `at ${width}px the dark screenshot (mean luminance ${dark.luminance.toFixed(0)}) is not darker than the light one (${light.luminance.toFixed(0)})`,
      );
      console.log(`     ${width}px: light ${light.colours} colours, luminance ${light.luminance.toFixed(0)}; dark ${dark.colours} colours, luminance ${dark.luminance.toFixed(0)}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    console.log(`     screenshots in ${SHOTS}`);
  });
  await context.close();

  // --- Without JavaScript ----------------------------------------------------
  await check("without JavaScript: all three perspectives and every article show", async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(base + STORY);
    for (const side of ["left", "center", "right"]) {
      assert(await p.locator(`#perspective-${side}`).isVisible(), `${side} visible`);
      assert(await p.locator(`#perspective-${side} h3`).isVisible(), `${side} heading visible`);
    }
    assert((await p.locator("#perspective-center").innerText()).includes(EMPTY_SIDE), "the empty side's sentence");
    const total = await p.locator(".article-list > li").count();
    equal(await p.locator(".article-list > li:visible").count(), total, "every article visible");
    equal(await p.locator("#articles-h").innerText(), `Articles (${total})`, "Articles (N)");
    assert(!(await p.locator("[data-filters]").isVisible()), "filter buttons, which need the script, are hidden");
    assert((await p.locator("[role=tab]:visible").count()) === 0, "no dead tab buttons");
    const details = p.locator(".faq details").first();
    await details.locator("summary").click();
    assert(await details.evaluate((d) => d.open), "FAQ opens without the script");
    await p.screenshot({ path: path.join(SHOTS, "story-1280-light-nojs.png"), fullPage: true });
    await noJs.close();
  });

  await check("without JavaScript: the search page says search needs it and links to topics and outlets", async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(base + "search/?q=putin");
    const note = p.locator("[data-search-nojs]");
    assert(await note.isVisible(), "the note shows");
    assert((await note.innerText()).includes("Search needs JavaScript"), "it says why");
    equal(await note.locator("a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname)), ["/topics/", "/outlets/"], "links");
    await noJs.close();
  });

  // --- Weight -----------------------------------------------------------------
  await check(`weight: a story page's HTML+CSS+JS, less the story's text, is under ${WEIGHT_LIMIT / 1024} KB`, async () => {
    // The story's text: the page's text nodes, and the JSON-LD, which is the
    // same story as data. Both grow with the content, not with the theme.
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(base + STORY);
    const { textBytes, ldBytes } = await p.evaluate(() => {
      const enc = new TextEncoder();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let textBytes = 0;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (t.parentNode.nodeName !== "SCRIPT" && t.parentNode.nodeName !== "STYLE") textBytes += enc.encode(t.data.trim()).length;
      }
      let ldBytes = 0;
      for (const s of document.querySelectorAll('script[type="application/ld+json"]')) ldBytes += enc.encode(s.textContent).length;
      return { textBytes, ldBytes };
    });
    await noJs.close();
    const html = fs.statSync(path.join(out, STORY, "index.html")).size;
    const css = fs.statSync(path.join(out, "parallax.css")).size;
    const js = fs.statSync(path.join(out, "parallax.js")).size;
    const weight = html - textBytes - ldBytes + css + js;
    console.log(
      `     story HTML ${html} B (visible text ${textBytes} B, JSON-LD ${ldBytes} B), CSS ${css} B, JS ${js} B: ` +
        `${weight} B without the story's text (${weight + ldBytes} B counting the JSON-LD as markup)`,
    );
    assert(weight < WEIGHT_LIMIT, `${weight} bytes`);
    const page = fs.readFileSync(path.join(out, STORY, "index.html"), "utf8");
    equal((page.match(/<link rel="stylesheet"/g) || []).length, 1, "one stylesheet");
    equal((page.match(/<script src=/g) || []).length, 1, "one script");
  });

  await languagesRun(browser, languages);

  await check("no console errors on any page", async () => {
    assert(consoleErrors.length === 0, consoleErrors.join("\n"));
  });
  await check("no request to any host but 127.0.0.1", async () => {
    assert(foreign.length === 0, foreign.join("\n"));
  });
}

// ---------------------------------------------------------------------------
// The site's language: the example site in French, and a right-to-left site
// (Arabic). The coverage bar, its legend, the side tiles and the bias scale
// keep Left on the left in every direction (docs/theme.md); everything else
// mirrors.

async function languagesRun(browser, { bases }) {
  for (const scheme of ["light", "dark"]) {
    const context = await newContext(browser, { colorScheme: scheme });
    const page = await context.newPage();
    for (const [language, site] of Object.entries(bases)) {
      await check(`axe: the ${language} story page in ${scheme}, as it loads and with a tab and a filter chosen`, async () => {
        const response = await page.goto(site + STORY);
        equal(response.status(), 200, "status");
        let violations = await axeCheck(page);
        assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
        await page.getByRole("tab").nth(2).click();
        await page.locator('[data-filter="left"]').click();
        violations = await axeCheck(page);
        assert(violations.length === 0, `axe violations:\n${JSON.stringify(violations, null, 2)}`);
      });
    }
    await check(`axe: the French index and search page in ${scheme}`, async () => {
      for (const rel of ["", "search/?q=putin"]) {
        await page.goto(bases.fr + rel);
        if (rel) await page.locator(".search-results .card").first().waitFor();
        const violations = await axeCheck(page);
        assert(violations.length === 0, `axe violations on /${rel}:\n${JSON.stringify(violations, null, 2)}`);
      }
    });
    await context.close();
  }

  const context = await newContext(browser);
  const page = await context.newPage();
  await check("French: the story page's words, dates and script messages are French", async () => {
    await page.goto(bases.fr + STORY);
    equal(await page.locator("html").getAttribute("lang"), "fr", "lang");
    equal(await page.getByRole("tab").allInnerTexts(), ["Gauche", "Centre", "Droite"], "tab names");
    equal(await page.getByRole("tablist").getAttribute("aria-label"), "Points de vue", "the tab list's name");
    const meta = await page.locator(".story-header .meta").innerText();
    assert(meta.includes("Publié le 15 mai 2025 à 08:00 UTC"), `absolute date: ${meta}`);
    assert(/il y a|hier/.test(await page.locator(".story-header .meta .relative").first().innerText()), "relative date in French");
    await page.locator('[data-filter="center"]').click();
    equal(await page.locator(".filter-status").innerText(), "Aucun article du centre.", "status of an empty side");
    await page.locator('[data-filter="left"]').click();
    equal(await page.locator(".filter-status").innerText(), "3 articles affichés sur 6, de gauche.", "status of a side");
  });
  await check("French: search results are drawn in French", async () => {
    await page.goto(bases.fr + "search/?q=putin");
    await page.locator(".search-results .card").first().waitFor();
    const status = (await page.locator("[data-search-status]").innerText()).replace(/\u00a0/g, " ");
    assert(/^\d+ résultats? pour « putin »\.$/.test(status), `status: ${status}`);
    const meta = await page.locator(".search-results .card-meta").first().innerText();
    assert(/ mai 2025 .* sources?$/.test(meta), `card meta: ${meta}`);
    const legend = await page.locator(".search-results .bias-legend").first().innerText();
    assert(/^Gauche \d+\u202f% · Centre \d+\u202f% · Droite \d+\u202f%/.test(legend), `legend: ${legend}`);
  });
  await check("right to left: dir=rtl, the page mirrors, the spectrum keeps Left on the left", async () => {
    await page.goto(bases.ar + STORY);
    equal(await page.locator("html").getAttribute("dir"), "rtl", "dir");
    const box = (sel) => page.locator(sel).first().boundingBox();
    const brand = await box(".brand");
    const firstNav = await box(".site-header nav li a");
    assert(brand.x > firstNav.x + firstNav.width, "the site's name is right of the first navigation link");
    const main = await box("main");
    const title = await box("h1");
    assert(main.x + main.width - (title.x + title.width) < 80, "the title starts at the right edge");
    const coverage = await box(".coverage");
    const overview = await box(".overview");
    assert(coverage.x + coverage.width <= overview.x, "the coverage column is left of the overview");
    const start = await page.locator(".article-list > li").first().evaluate((e) => getComputedStyle(e).borderRightWidth);
    equal(start, "4px", "an article's side colour is on its right (start) edge");
    const left = await box(".coverage .seg-left");
    const right = await box(".coverage .seg-right");
    assert(left.x < right.x, "the bar keeps Left on the left");
    const tiles = [];
    for (const side of ["left", "center", "right"]) tiles.push(await box(`.tiles .n-${side}`));
    assert(tiles[0].x < tiles[1].x && tiles[1].x < tiles[2].x, "the side tiles keep Left on the left");
    const tabs = page.getByRole("tab");
    assert((await tabs.nth(0).boundingBox()).x > (await tabs.nth(1).boundingBox()).x, "the first tab is at the right, where reading starts");
    await tabs.nth(0).focus();
    await page.keyboard.press("ArrowLeft");
    equal(await page.evaluate(() => document.activeElement.id), "perspective-center-tab", "ArrowLeft goes to the next tab");
    await page.keyboard.press("ArrowRight");
    equal(await page.evaluate(() => document.activeElement.id), "perspective-left-tab", "ArrowRight comes back");
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto(bases.ar + STORY);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 320, `${width}px wide at 320px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  await check("screenshots of the French and Arabic story pages, 390px and 1280px, light and dark", async () => {
    for (const [language, site] of Object.entries(bases)) {
      for (const scheme of ["light", "dark"]) {
        for (const width of [390, 1280]) {
          await shoot(page, { scheme, width, url: site + STORY, name: `story-${language}-${width}-${scheme}` });
        }
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  await context.close();
}

main()
  .catch((err) => {
    failed++;
    failures.push("setup");
    console.log(`FAIL setup\n     ${err && err.stack ? err.stack : err}`);
  })
  .finally(() => {
    if (failures.length) console.log(`failed: ${failures.join("; ")}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
