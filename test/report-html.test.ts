// The HTML report: escaping and content of the pure renderer, then the real command's pages in
// headless Chromium (Debian's `chromium`, driven by playwright-core; never a downloaded browser):
// no console or page errors, no request but the file itself, rendered marks in every chart, every
// target in the table. A screenshot goes to test-output/report.png.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { simulateScenario } from '../src/parallel/runner.js';
import { renderHtmlReport, scriptJson } from '../src/report/html.js';
import type { Scenario } from '../src/scenario/types.js';
import { scenarioFromYaml } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const CHROMIUM = '/usr/bin/chromium';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function render(s: Scenario, reportSec = 3600, required = true): string {
  const r = simulateScenario(s, { reportSec }).result;
  return renderHtmlReport(r, {
    version: '9.9.9', calendar: s.calendar, reportSec, planFile: null,
    required: required ? { label: 'test requirement', pools: s.pools.map((p) => ({ pool: p.name, agents: Int32Array.from(p.staffing, (x) => x + 1) })) } : null,
  });
}

/** The chart data the page's script reads, parsed back as the browser would. */
function chartData(html: string): { timeLabels: string[]; dayLabels: string[]; charts: { series: { name: string; v: (number | null)[] }[] }[] } {
  const m = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

const HOSTILE = `
name: "<script>alert('name')</script> 双十一 & co"
seed: 4
replications: 2
calendar: { start: 2026-11-11T00:00+08:00, horizon: 1d, interval: 30m }
intents: [售前, complaint]
channels:
  在线客服: { patience: { exponential: 4m } }
  "</script><img src=x onerror=alert(2)>": { deferred: true }
demand:
  - { channel: 在线客服, intent: 售前, curve: { shape: daily, perDay: 1500 } }
  - { channel: "</script><img src=x onerror=alert(2)>", intent: complaint, curve: { shape: flat, total: 60 } }
pools:
  - { name: "<script>alert(1)</script>", channel: 在线客服, skills: [售前], handleTime: { default: { exponential: 4m } }, staffing: 6 }
  - { name: '=HYPERLINK("http://evil.example","click")', channel: "</script><img src=x onerror=alert(2)>", skills: [complaint], handleTime: { default: { exponential: 20m } }, staffing: 1 }
targets:
  - { channel: 在线客服, serviceLevel: { within: 1m, atLeast: 0.8 }, scope: interval }
  - { channel: "</script><img src=x onerror=alert(2)>", intent: complaint, firstReply: { within: 4h, atLeast: 0.9 } }
`;

describe('the HTML renderer (pure)', () => {
  const s = scenarioFromYaml(HOSTILE);
  const html = render(s);

  it('escapes every scenario-provided text: pool, channel and scenario names cannot inject markup', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(2)>');
    // the page's own two scripts (the chart data and the tooltips), nothing else
    expect(html.match(/<script\b/g)?.length).toBe(2);
    expect(html.match(/<\/script>/g)?.length).toBe(2);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; 双十一 &amp; co');
  });

  it('shows a formula-like pool name as plain text (no link, quotes escaped)', () => {
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
    expect(html).not.toMatch(/<a\b/);
  });

  it('keeps Chinese names as they are, in a page declared UTF-8', () => {
    expect(html.indexOf('<meta charset="utf-8">')).toBeGreaterThan(0);
    expect(html.indexOf('<meta charset="utf-8">')).toBeLessThan(html.indexOf('<title>'));
    expect(html).toContain('在线客服: arrivals, resolved by the bot and offered to agents');
    expect(html).toContain('双十一');
  });

  it('embeds chart data that parses back to the raw names (script-safe JSON)', () => {
    const d = chartData(html);
    const names = d.charts.flatMap((c) => c.series.map((x) => x.name));
    expect(names).toContain('</script><img src=x onerror=alert(2)>: open contacts');
    expect(scriptJson({ a: '</script>\u2028&' })).toBe('{"a":"\\u003c/script\\u003e\\u2028\\u0026"}');
    expect(JSON.parse(scriptJson({ a: '</script>\u2028&' })).a).toBe('</script>\u2028&');
  });

  it('says so for a deferred channel (no service level) and for a scenario without orders', () => {
    expect(html).toContain('is a deferred channel (e-mail, tickets)');
    expect(html).toContain('No order flow in this scenario: complaints per 1,000 orders cannot be computed.');
    expect(html).toContain('No complaints are modelled in this scenario');
  });

  it('is accessible: every chart an svg role=img with a title, a description, axis labels and a legend', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // chat: demand, service level, queue; tickets: demand, queue; 2 pools; backlog, complaints
    expect(svgs.length).toBe(9);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      expect(svg).toMatch(/<title id="c\d+-t">[^<]+<\/title><desc id="c\d+-d">[^<]+<\/desc>/);
      expect(svg).toMatch(/<g class="legend"><line [^>]*\/><text [^>]*>[^<]+<\/text>/);
      expect(svg.match(/<text class="label"/g)?.length).toBe(2);
    }
  });

  it('lists every target with value, decision interval and verdict', () => {
    const rows = html.match(/<tr data-target="[^"]*">[\s\S]*?<\/tr>/g) ?? [];
    expect(rows.length).toBe(s.targets.length);
    for (const row of rows) expect(row).toMatch(/<strong>(MEETS|MISSES|UNDECIDED|nothing to measure)<\/strong>/);
  });

  it('is deterministic: the same result gives the same page', () => {
    expect(render(s)).toBe(html);
  });

  it('plots planned against required agents at the report grain', () => {
    const d = chartData(html);
    const pool = d.charts.find((c) => c.series.some((x) => x.name === 'required (analytical)'))!;
    const planned = pool.series.find((x) => x.name === 'planned (scheduled)')!.v;
    const required = pool.series.find((x) => x.name === 'required (analytical)')!.v;
    expect(planned.length).toBe(24);
    // the test's requirement is the staffing plus one, in every hour
    for (let i = 0; i < 24; i++) expect(required[i]).toBeCloseTo((planned[i] as number) + 1, 9);
    expect(d.timeLabels[0]).toBe('11-11 00:00–01:00');
  });

  it('without a requirement, charts planned agents only and says so', () => {
    const h = render(s, 3600, false);
    expect(h).toContain('Required agents were not computed.');
    expect(h).not.toContain('required (analytical)');
  });

  it('stays small on a long horizon: 28 days of 15-minute intervals, charted every 15 minutes', () => {
    const long = scenarioFromYaml(`
name: long
seed: 1
replications: 1
calendar: { start: 2026-10-24T00:00+08:00, horizon: 28d, interval: 15m }
intents: [general]
channels:
  chat: { patience: { exponential: 4m } }
  phone: { patience: { exponential: 2m } }
demand:
  - { channel: chat, intent: general, curve: { shape: daily, perDay: 300 } }
  - { channel: phone, intent: general, curve: { shape: daily, perDay: 100 } }
pools:
  - { name: a, channel: chat, skills: [general], handleTime: { default: { exponential: 4m } }, staffing: 3 }
  - { name: b, channel: phone, skills: [general], handleTime: { default: { exponential: 4m } }, staffing: 2 }
targets:
  - { channel: chat, serviceLevel: { within: 1m, atLeast: 0.8 }, scope: interval }
`);
    const h = render(long, 900);
    expect(chartData(h).timeLabels.length).toBe(28 * 96);
    // 8 charts of up to 2 × 2,688 points: well under the 3 MB the brief allows for the built-in scenario
    expect(Buffer.byteLength(h)).toBeLessThan(1.5e6);
  });
});

describe('peakplan report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-report-'));
  const outDir = join(ROOT, 'test-output');
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the HTML report is tested in Debian's chromium. Install it with 'apt-get install -y chromium' (.ci/run does this on CI); the test never downloads a browser.`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => { await browser?.close(); });

  /** The little of the page's DOM the checks use (the tests compile without the DOM library). */
  interface El {
    readonly textContent: string | null;
    getAttribute(name: string): string | null;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): ArrayLike<El>;
    getBBox?(): { width: number; height: number };
  }

  interface PageCheck {
    errors: string[];
    requests: string[];
    charts: { title: string; marks: number; drawn: number }[];
    targets: string[];
    notes: string[];
    tooltip: string;
  }

  async function open(file: string, screenshot?: string): Promise<PageCheck> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const found = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: El }).document;
      const all = (root: El, sel: string) => Array.from(root.querySelectorAll(sel));
      const charts = all(document, 'svg[role="img"]').map((svg) => {
        const marks = all(svg, '.mark');
        // drawn: the browser laid the mark out with a size (an empty path has a 0 × 0 box)
        const drawn = marks.filter((m) => { const b = m.getBBox!(); return b.width > 0 || b.height > 0; }).length;
        return { title: svg.querySelector('title')?.textContent ?? '', marks: marks.length, drawn };
      });
      const targets = all(document, 'tr[data-target]').map((tr) => tr.getAttribute('data-target') ?? '');
      const notes = all(document, '.note').map((n) => n.textContent ?? '');
      return { charts, targets, notes };
    });
    // the tooltip answers the mouse over the first chart
    const box = (await page.locator('svg[role="img"]').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = (await page.locator('#tip').isVisible()) ? await page.locator('#tip').innerText() : '';
    await page.mouse.move(0, 0);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    return { errors, requests, tooltip, ...found };
  }

  function expectSound(p: PageCheck, file: string) {
    expect(p.errors).toEqual([]);
    expect(p.requests).toEqual([pathToFileURL(file).href]);
    expect(p.charts.length).toBeGreaterThan(0);
    for (const c of p.charts) {
      expect(c.title).not.toBe('');
      expect(c.drawn, `chart '${c.title}' has no rendered marks`).toBeGreaterThan(0);
    }
    expect(p.tooltip).toMatch(/\d/);
  }

  it('an order-driven scenario with a deferred channel: loads cleanly, every chart drawn, every target listed', async () => {
    const file = join(dir, 'orders.html');
    const r = run(['report', 'fixtures/orders-small.yaml', '--html', file, '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${file}`);
    const json = JSON.parse(run(['simulate', 'fixtures/orders-small.yaml', '--json']).out) as { targets: { id: string }[]; channels: { deferred: boolean }[]; pools: unknown[]; drivers: { logistics: boolean } };
    mkdirSync(outDir, { recursive: true });
    const png = join(outDir, 'report.png');
    const p = await open(file, png);
    expectSound(p, file);
    expect(p.targets).toEqual(json.targets.map((t) => t.id));
    const live = json.channels.filter((c) => !c.deferred).length, deferred = json.channels.length - live;
    expect(json.drivers.logistics).toBe(true);
    expect(p.charts.length).toBe(3 * live + 2 * deferred + json.pools.length + 3); // + contact backlog, warehouse, complaints
    expect(p.charts.map((c) => c.title)).toContain('Warehouse backlog at the end of each day');
    expect(p.charts.map((c) => c.title)).toContain('Complaints per 1,000 orders, per day');
    expect(p.notes.some((n) => n.includes('tickets is a deferred channel'))).toBe(true);
    expect(existsSync(png)).toBe(true);
    console.log(`screenshot of the HTML report: ${png}`);
  });

  it('a chat desk with a bot and a plan: planned against required agents', async () => {
    // a plan of 8 agents on the desk in every half hour of the day
    const plan = join(dir, 'plan.csv');
    const rows = ['interval_start,pool,agents'];
    for (let i = 0; i < 48; i++) rows.push(`2026-11-03T${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}+08:00,desk,8`);
    writeFileSync(plan, rows.join('\n') + '\n');
    const file = join(dir, 'chat.html');
    const r = run(['report', 'scenarios/teaching-chat.yaml', '--plan', plan, '--reps', '3', '--interval', '30m', '--html', file, '--workers', '2']);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(`with the staffing plan <code>${plan}</code>`);
    expect(html).toContain('3 replications');
    const p = await open(file);
    expectSound(p, file);
    expect(p.charts.map((c) => c.title)).toEqual([
      'chat: arrivals, resolved by the bot and offered to agents', 'chat: service level (answered within 3m)', 'chat: queue length',
      'desk: agents', 'backup: agents', 'Contact backlog at the end of each day', 'Complaints per day',
    ]);
    const d = chartData(html);
    const desk = d.charts[3].series;
    expect(desk.map((x) => x.name)).toEqual(['planned (scheduled)', 'required (analytical)']);
    expect(desk[0].v.every((v) => v === 8)).toBe(true);
    expect(desk[1].v.some((v) => (v as number) > 0)).toBe(true);
    expect(p.targets.length).toBe(2);
  });

  it('bad input: no --html, or a bad option, exits 2 and writes nothing', () => {
    const a = run(['report', 'fixtures/small.yaml']);
    expect(a.code).toBe(2);
    expect(a.err).toContain("required option '--html <file>'");
    const file = join(dir, 'never.html');
    const b = run(['report', 'fixtures/small.yaml', '--html', file, '--interval', '7s']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^error: .*--interval/);
    expect(existsSync(file)).toBe(false);
  });
});
