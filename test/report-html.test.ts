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
import { renderHtmlReport, scriptJson, type HtmlReportOptions } from '../src/report/html.js';
import { summarise } from '../src/stats/summary.js';
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

// A three-day desk in 15-minute intervals with a sharp spike at 11-11 00:00, orders and
// complaints, and a complaint target at each scope: the busiest window, the regrouped horizon
// charts, the window of --from/--to and the target lines at their own scope.
const SPIKE = `
name: spike desk
seed: 7
replications: 4
calendar: { start: 2026-11-10T00:00+08:00, horizon: 3d, interval: 15m }
intents: [presale, logistics, complaint]
channels:
  chat: { patience: { exponential: 3m } }
  tickets: { deferred: true }
orders:
  curve: { shape: flat, perDay: 2000 }
  categories: { general: { share: 1, returnRate: 0 } }
  causes:
    - { channel: chat, intent: logistics, perOrder: 0.05, lead: { exponential: 3h } }
complaints:
  ticket: { channel: tickets, intent: complaint }
  abandoned: 0.2
demand:
  - { channel: chat, intent: presale, curve: { shape: spike, perDay: 1500, peak: 2026-11-11T00:00+08:00, dayFactor: 3 } }
pools:
  - { name: desk, channel: chat, skills: [presale, logistics], costPerHour: 30, handleTime: { default: { exponential: 4m } }, staffing: 5 }
  - { name: office, channel: tickets, skills: [complaint], costPerHour: 30, handleTime: { default: { exponential: 10m } }, staffing: 1 }
targets:
  - { channel: chat, serviceLevel: { within: 1m, atLeast: 0.8 }, scope: interval }
  - { complaintsPer1000Orders: { atMost: 30 }, scope: day }
  - { complaintsPer1000Orders: { atMost: 20 }, scope: horizon }
`;

describe('the busiest window, the window and target lines at their own scope (pure)', () => {
  const s = scenarioFromYaml(SPIKE);
  const out = simulateScenario(s, { reportSec: 900 });
  const hourly = summarise(s, out.layout, out.reps, { regroup: 4 });
  const required = { label: 'test requirement', pools: s.pools.map((p) => ({ pool: p.name, agents: Int32Array.from(p.staffing, (x) => x + 1) })) };
  const page = (o: Partial<HtmlReportOptions> = {}) => renderHtmlReport(hourly, {
    version: '9.9.9', calendar: s.calendar, reportSec: 3600, planFile: null, required, fine: { result: out.result, sec: 900 }, ...o,
  });
  const html = page();
  const section = (h: string, id: string) => /<section id="([^"]+)">/.exec(h) && h.slice(h.indexOf(`<section id="${id}">`), h.indexOf('</section>', h.indexOf(`<section id="${id}">`)));
  const svgs = (h: string) => h.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

  it('regroups the same replications exactly: four 15-minute bins are the run at 1 h', () => {
    const direct = simulateScenario(s, { reportSec: 3600 }).result;
    expect(hourly.rows.length).toBe(direct.rows.length);
    hourly.rows.forEach((row, k) => {
      const d = direct.rows[k];
      expect(row.startSec).toBe(d.startSec);
      for (const key of ['arrivals', 'offered', 'answered', 'abandoned', 'serviceLevel', 'queue'] as const) {
        for (const side of ['mean', 'lo', 'hi'] as const) {
          const a = row[key][side], b = d[key][side];
          // an hour with nothing to measure is NaN on both sides
          if (Number.isNaN(b)) expect(a, `${key}.${side} at ${row.start} ${row.channel}`).toBeNaN();
          else expect(a, `${key}.${side} at ${row.start} ${row.channel}`).toBeCloseTo(b, 9);
        }
      }
      // wait quantiles are kept per report bin in the replication: not regrouped
      expect(Number.isNaN(row.p90Wait.mean)).toBe(true);
    });
    expect(hourly.targets).toEqual(direct.targets);
  });

  it('draws the busiest 24 h at 15 minutes, around the spike, with the interval target line', () => {
    const z = section(html, 'busiest')!;
    expect(z).toContain('<h2>Busiest window: 11-10 18:00 → 11-11 18:00, every 15m</h2>');
    expect(z).toContain('around 11-11 00:00');
    const d = chartData(html) as ReturnType<typeof chartData> & { zoomLabels: string[] };
    expect(d.zoomLabels.length).toBe(96);
    expect(d.zoomLabels[0]).toBe('11-10 18:00–18:15');
    // zoom: demand and service level of chat (the live channel), both pools, then the staffing table
    const zs = svgs(z);
    expect(zs.length).toBe(4);
    const sl = zs.find((x) => x.includes('service level (answered within 1m), every 15m'))!;
    expect(sl.match(/class="target"/g)?.length).toBe(1);
    expect(sl).toContain('target 80% (every 15m interval)');
    // the peak interval's offered contacts lie in the zoom's data at 11-11 00:00 (bin 24)
    const demand = d.charts.find((c) => (c as unknown as { labels: string }).labels === 'zoomLabels')!;
    const offered = demand.series.find((x) => x.name === 'offered to agents')!.v as number[];
    expect(offered.indexOf(Math.max(...offered))).toBeGreaterThanOrEqual(23);
    expect(offered.indexOf(Math.max(...offered))).toBeLessThanOrEqual(26);
  });

  it('leaves an interval target off the hourly chart (pooled bins would hide a missed interval)', () => {
    const c = section(html, 'channels')!;
    const sl = svgs(c).find((x) => x.includes('chat: service level'))!;
    expect(sl).not.toMatch(/class="target"/);
    expect(c).toContain('Its line is drawn where the bins are the 15m intervals it judges (the busiest window, below).');
  });

  it('draws the daily complaint target on the daily values and says the horizon one in words', () => {
    const days = section(html, 'days')!;
    const svg = svgs(days).find((x) => x.includes('Complaints per 1,000 orders, per day'))!;
    expect(svg.match(/class="target"/g)?.length).toBe(1);
    expect(svg).toContain('target ≤ 30 (every day)');
    expect(svg).not.toContain('target ≤ 20');
    expect(days).toMatch(/Target ≤ 20 per 1,000 orders over the horizon: \d+\.\d\d, (meets|misses|undecided)\. A horizon target/);
  });

  it('tables the staffing per pool and hour: planned, required, short cells marked, total and cost', () => {
    const z = section(html, 'busiest')!;
    const table = /<table class="staffing">[\s\S]*?<\/table>/.exec(z)![0];
    const rows = table.match(/<tr><td>[\s\S]*?<\/tr>/g)!;
    expect(rows.length).toBe(24);
    for (const row of rows) {
      // desk 5 and office 1 planned, one more required each (the test's requirement), 6 in all at 30
      // an hour; the office works a deferred channel (its backlog can wait): not marked short
      expect(row).toMatch(/<td class="num short">5 \/ 6<\/td><td class="num">1 \/ 2<\/td><td class="num">6<\/td><td class="num">180<\/td><\/tr>$/);
    }
    expect(rows[0]).toContain('<td>11-10 18:00–19:00</td>');
    // the whole horizon's table: 72 hours, folded away
    const all = section(html, 'pools')!;
    expect(all).toContain('<details class="staffing"><summary>Staffing per pool, every 1h (72 rows)</summary>');
  });

  it('--from/--to: the charts span the window, the days it touches, and the targets stay the horizon\'s', () => {
    const from = 6 * 3600, to = 30 * 3600; // 11-10 06:00 → 11-11 06:00
    const h = page({ window: { fromSec: from, toSec: to } });
    const d = chartData(h);
    expect(d.timeLabels.length).toBe(24);
    expect(d.timeLabels[0]).toBe('11-10 06:00–07:00');
    expect(d.dayLabels).toEqual(['2026-11-10', '2026-11-11']);
    expect(h).toContain('The targets are judged over the whole horizon; the charts show the window asked for.');
    // a 24 h window is no longer than the busiest window's 24 h: no panel; a 12 h one fits
    expect(h).not.toContain('<section id="busiest">');
    const h12 = page({ window: { fromSec: from, toSec: to }, zoomSec: 12 * 3600 });
    // a quarter before the 00:00 peak would be 21:00 → 09:00, past the window's end: it ends at 06:00
    expect(h12).toContain('<h2>Busiest window: 11-10 18:00 → 11-11 06:00, every 15m</h2>');
    expect(page({ zoomSec: 0 })).not.toContain('<section id="busiest">');
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
    const first = page.locator('svg[role="img"]').first();
    await first.scrollIntoViewIfNeeded();
    const box = (await first.boundingBox())!;
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
    // + contact backlog, warehouse, complaints; and the busiest 24 h of the 4 days: demand and service
    // level per live channel, and every pool
    expect(p.charts.length).toBe(3 * live + 2 * deferred + json.pools.length + 3 + 2 * live + json.pools.length);
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

  it('the built-in scenario for a window: the busiest 12 h at 15 minutes, tooltips at that grain', async () => {
    const file = join(dir, 'window.html');
    const r = run(['report', '--from', '2026-11-10T12:00', '--to', '2026-11-12T12:00', '--zoom', '12h', '--reps', '4', '--html', file, '--no-progress']);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h2>Busiest window: 11-10 21:00 → 11-11 09:00, every 15m</h2>');
    const d = chartData(html);
    expect(d.timeLabels.length).toBe(48);
    expect(d.timeLabels[0]).toBe('11-10 12:00–13:00');
    mkdirSync(outDir, { recursive: true });
    const png = join(outDir, 'report-window.png');
    const p = await open(file, png);
    expectSound(p, file);
    const titles = p.charts.map((c) => c.title);
    expect(titles).toContain('chat: service level (answered within 3m), every 15m');
    expect(titles).toContain('chat_core: agents, every 15m');
    // a tooltip over the busiest window's first chart names a 15-minute bin
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const zoomChart = page.locator('#busiest svg[role="img"]').first();
    await zoomChart.scrollIntoViewIfNeeded();
    const box = (await zoomChart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = await page.locator('#tip').innerText();
    await page.close();
    const m = /(\d\d):(\d\d)–(\d\d):(\d\d)/.exec(tip);
    expect(m, tip).not.toBeNull();
    const [, h0, m0, h1, m1] = m!.map(Number);
    expect(((h1 * 60 + m1) - (h0 * 60 + m0) + 1440) % 1440).toBe(15);
    expect(html.match(/<table class="staffing">/g)?.length).toBe(2);
  });

  it('bad windows exit 2 and write nothing: --from after the horizon, --zoom too short', () => {
    const file = join(dir, 'never-window.html');
    const a = run(['report', 'fixtures/small.yaml', '--html', file, '--from', '2030-01-01']);
    expect(a.code).toBe(2);
    expect(a.err.trim()).toBe("error: --from: is at or after the horizon's end (2026-11-12T00:00+08:00), got '2030-01-01'");
    const b = run(['report', 'fixtures/small.yaml', '--html', file, '--zoom', '5m']);
    expect(b.code).toBe(2);
    expect(b.err.trim()).toBe("error: --zoom: must be a duration from 1h to 7d, e.g. 12h, or 'none', got '5m'");
    expect(existsSync(file)).toBe(false);
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
