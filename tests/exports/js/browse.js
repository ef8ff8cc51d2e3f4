// Open a paperkg HTML map in headless Chromium (system /usr/bin/chromium, driven by
// playwright-core; no browser is ever downloaded), search, click, take a screenshot, and
// print what happened as JSON.  Usage: node browse.js '<json config>' with keys
//   page (HTML file), screenshot (PNG path), search (query), pick (node id expected
//   among the search results), click (node id to click on the canvas), final (node id
//   selected for the screenshot), width, height; all but page are optional.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  // WebGL without a GPU: Chromium's software renderer (needs an explicit opt-in now).
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
];

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperkg-chromium-"));
  const report = { dialogs: [], errors: [], console: [], requests: [], steps: {} };
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: FLAGS,
    viewport: { width: cfg.width || 1400, height: cfg.height || 900 }, deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on("dialog", (d) => { report.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on("pageerror", (e) => report.errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") report.console.push(m.text()); });
    page.on("request", (r) => { if (!r.url().startsWith("file:")) report.requests.push(r.url()); });
    const url = "file://" + path.resolve(cfg.page);
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.paperkgMap && window.paperkgMap.ready, null, { timeout: 20000 });
    report.webgl = await page.evaluate(() => window.paperkgMap.webgl);
    report.notice = await page.textContent("#notice");
    report.scripts = await page.evaluate(() => document.scripts.length);
    report.summary = await page.textContent("#summary");

    // 1. Search, then pick a result.
    if (cfg.search) {
      await page.fill("#search", cfg.search);
      await page.waitForSelector("#results button");
      report.steps.results = await page.$$eval("#results button", (bs) => bs.map((b) => b.dataset.node));
      await page.click(`#results button[data-node="${cfg.pick}"]`);
      await page.waitForSelector("#details-title");
      report.steps.picked = await page.evaluate(() => window.paperkgMap.selected);
      report.steps.pickedTitle = await page.textContent("#details-title");
      await page.waitForTimeout(500);
      report.steps.camera = await page.evaluate(() => window.paperkgMap.renderer && window.paperkgMap.renderer.getCamera().getState());
      report.steps.links = await page.$$eval("#details a", (as) => as.map((a) => [a.textContent, a.href]));
      report.steps.lists = await page.$$eval("#details section", (ss) => ss.map((s) => ({
        id: s.id, items: Array.from(s.querySelectorAll("button")).map((b) => b.dataset.node),
      })));
    }

    // 2. Click a node on the canvas (camera reset first, so positions are known).
    if (report.webgl && cfg.click) {
      await page.evaluate(() => { window.paperkgMap.select(null); window.paperkgMap.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); });
      await page.waitForTimeout(100);
      const at = await page.evaluate((id) => {
        const r = window.paperkgMap.renderer;
        const a = window.paperkgMap.graph.getNodeAttributes(id);
        const p = r.graphToViewport({ x: a.x, y: a.y });
        const box = document.getElementById("graph").getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      }, cfg.click);
      await page.mouse.move(at.x, at.y);
      await page.mouse.click(at.x, at.y);
      await page.waitForFunction((id) => window.paperkgMap.selected === id, cfg.click, { timeout: 5000 })
        .catch(() => {});
      report.steps.clicked = await page.evaluate(() => window.paperkgMap.selected);
      report.steps.clickedTitle = await page.textContent("#details-title").catch(() => null);
      report.steps.clickedLists = await page.$$eval("#details section", (ss) => ss.map((s) => ({
        id: s.id, items: Array.from(s.querySelectorAll("button")).map((b) => b.dataset.node),
      })));
    }
    // 3. Show the first pick again for the screenshot.
    if (cfg.final) {
      await page.evaluate((id) => window.paperkgMap.select(id, false), cfg.final);
      report.steps.finalTitle = await page.textContent("#details-title");
      report.steps.finalLinks = await page.$$eval("#details a", (as) => as.map((a) => a.href));
    }
    await page.waitForTimeout(300);
    if (cfg.screenshot) await page.screenshot({ path: cfg.screenshot });
    report.injected = await page.evaluate(() => window.__paperkgInjected);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
