// Open a paperkg HTML map in headless Chromium and check its structure view: the labels
// sigma displays, measured as drawn (font and position of sigma's label renderer), a
// click on a community legend entry, a click on a concept. Prints JSON.
// Usage: node structure.js '<json config>' with keys page, concept (node id to click),
// community (id to filter on), shots (folder for default.png and community.png, optional),
// width, height.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
];

// In the page: the labels sigma displays now, each with the box it is drawn in.
function displayedLabels() {
  const r = window.paperkgMap.renderer;
  const g = window.paperkgMap.graph;
  const s = r.getSettings();
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${s.labelWeight} ${s.labelSize}px ${s.labelFont}`;
  return Array.from(r.getNodeDisplayedLabels()).sort().map((id) => {
    const d = r.getNodeDisplayData(id);
    const p = r.framedGraphToViewport(d);
    const size = r.scaleSize(d.size);
    const label = g.getNodeAttribute(id, "label");
    const m = ctx.measureText(label);
    // sigma's drawLabel: fillText(label, x + size + 3, y + labelSize / 3)
    const x = p.x + size + 3, base = p.y + s.labelSize / 3;
    return { id, label, x0: x, x1: x + m.width, y0: base - m.actualBoundingBoxAscent,
             y1: base + m.actualBoundingBoxDescent };
  });
}

function visibleNodes() {
  const r = window.paperkgMap.renderer;
  return window.paperkgMap.graph.nodes().filter((n) => !r.getNodeDisplayData(n).hidden);
}

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperkg-chromium-"));
  const report = { errors: [], console: [] };
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: FLAGS,
    viewport: { width: cfg.width || 1400, height: cfg.height || 900 }, deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on("pageerror", (e) => report.errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") report.console.push(m.text()); });
    await page.goto("file://" + path.resolve(cfg.page), { waitUntil: "load" });
    await page.waitForFunction(() => window.paperkgMap && window.paperkgMap.ready, null, { timeout: 60000 });
    report.webgl = await page.evaluate(() => window.paperkgMap.webgl);
    await page.waitForTimeout(400);

    // 1. The default view: concepts only, labels as displayed.
    report.defaultView = {
      labels: await page.evaluate(displayedLabels),
      visible: await page.evaluate(visibleNodes),
      legend: await page.$$eval("#communities button", (bs) => bs.map((b) => b.dataset.community)),
    };
    if (cfg.shots) await page.screenshot({ path: path.join(cfg.shots, "default.png") });

    // 2. A click on a community legend entry filters the map to it.
    await page.click(`#communities button[data-community="${cfg.community}"]`);
    await page.waitForTimeout(400);
    report.filtered = {
      community: await page.evaluate(() => window.paperkgMap.community),
      pressed: await page.$$eval('#communities button[aria-pressed="true"]', (bs) => bs.map((b) => b.dataset.community)),
      visible: await page.evaluate(visibleNodes),
      labels: await page.evaluate(displayedLabels),
      title: await page.textContent("#community-title").catch(() => null),
    };
    if (cfg.shots) await page.screenshot({ path: path.join(cfg.shots, "community.png") });
    await page.click(`#communities button[data-community="${cfg.community}"]`);  // clear
    await page.waitForTimeout(200);
    report.cleared = { community: await page.evaluate(() => window.paperkgMap.community),
                       visible: (await page.evaluate(visibleNodes)).length };

    // 3. A click on a concept on the canvas shows its papers, on the map and in the panel.
    // Zoom in on the concept first, so that no neighbour drawn over it takes the click.
    await page.evaluate((id) => {
      const r = window.paperkgMap.renderer;
      const d = r.getNodeDisplayData(id);
      r.getCamera().setState({ x: d.x, y: d.y, ratio: 0.02, angle: 0 });
    }, cfg.concept);
    await page.waitForTimeout(300);
    const at = await page.evaluate((id) => {
      const r = window.paperkgMap.renderer;
      const a = window.paperkgMap.graph.getNodeAttributes(id);
      const p = r.graphToViewport({ x: a.x, y: a.y });
      const box = document.getElementById("graph").getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, cfg.concept);
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((id) => window.paperkgMap.selected === id, cfg.concept, { timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(300);
    report.clicked = {
      selected: await page.evaluate(() => window.paperkgMap.selected),
      papers: await page.$$eval("#papers button", (bs) => bs.map((b) => b.dataset.node)),
      visible: await page.evaluate(visibleNodes),
      labels: await page.evaluate(displayedLabels),
    };
    if (cfg.shots) await page.screenshot({ path: path.join(cfg.shots, "concept.png") });

    // 4. The papers switch shows every paper.
    await page.evaluate(() => { window.paperkgMap.select(null); window.paperkgMap.setPapers(true); });
    await page.waitForTimeout(300);
    report.papersOn = { visible: (await page.evaluate(visibleNodes)).length,
                        labels: await page.evaluate(displayedLabels) };

    // 5. Colour by type: the concept takes its type's colour, the legend lists the types.
    await page.click("#color-type");
    await page.waitForTimeout(200);
    report.byType = {
      color: await page.evaluate((id) => window.paperkgMap.renderer.getNodeDisplayData(id).color, cfg.concept),
      legend: await page.$$eval("#legend li", (ls) => ls.map((l) => l.textContent)),
    };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
