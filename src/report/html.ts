// The HTML report: one self-contained page from the same SimulationResult the other reporters
// render. Charts are inline SVG drawn here (no chart library, nothing fetched: the file works
// offline and in mail attachments), with inline CSS and a few lines of script for tooltips.
// Pure: result in, string out. Every scenario-provided text goes through esc() (or, inside the
// script's data, through scriptJson()) — pool and channel names are user input.

import { formatDuration, shortLabel } from '../scenario/time.js';
import type { ChannelRow, Est, PoolRow, PoolSummary, SimulationResult, TargetResult } from '../stats/summary.js';
import { ci, count, money, pct, secs } from './format.js';
import { targetFormat, targetText } from './table.js';

export interface HtmlCalendar {
  readonly startMs: number;
  readonly offsetMinutes: number;
  readonly horizonSec: number;
  readonly intervalSec: number;
}

/** Agents a pool needs per scenario interval; null for pools the analysis leaves as given (fixed). */
export interface RequiredStaffing {
  /** What "required" means, shown under the charts. */
  readonly label: string;
  readonly pools: readonly { readonly pool: string; readonly agents: ArrayLike<number> | null }[];
}

export interface HtmlReportOptions {
  readonly version: string;
  readonly calendar: HtmlCalendar;
  /** The result's report grain in seconds (its rows are this far apart). */
  readonly reportSec: number;
  /** The plan file that replaced the scenario's staffing, if any. */
  readonly planFile?: string | null;
  readonly required?: RequiredStaffing | null;
  /** The charts' window in seconds from the horizon's start (report --from/--to); default the whole horizon. */
  readonly window?: { readonly fromSec: number; readonly toSec: number } | null;
  /** The same replications summarised at the scenario's interval grain (or finer): the busiest-window panel's. */
  readonly fine?: { readonly result: SimulationResult; readonly sec: number } | null;
  /** Length of the busiest-window panel in seconds; 0 leaves it out (default 24 h; none when the window is no longer). */
  readonly zoomSec?: number;
  /** A roster of people (report --roster): per pool, people on shift and on break per scenario interval. */
  readonly roster?: { readonly file: string; readonly pools: readonly RosterPoolCounts[] } | null;
}

export interface RosterPoolCounts {
  readonly pool: string;
  readonly people: number;
  readonly scheduled: ArrayLike<number>;
  readonly onBreak: ArrayLike<number>;
}

// ---- text ----------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values (always quoted with "). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON that can sit inside <script>: no '<' (so no '</script>'), no line separators JS rejects. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Rough width in pixels of a label at 12px: CJK and other wide characters take about twice a Latin one. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 12 : 7;
  return w;
}

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
/** Four significant digits are plenty for a tooltip, and keep the embedded data small. */
const dataNum = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : null);

// ---- charts --------------------------------------------------------------------------------

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#d62728'];
const TARGET_COLOUR = '#d62728';

interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** A shaded band (95% confidence interval) around the line. */
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly colour: string;
  readonly dash?: string;
  /** Piecewise constant over each bin (staffing) instead of a line through the bins' middles. */
  readonly step?: boolean;
  /** A wide pale line, drawn under the others: visible where a later series covers it exactly. */
  readonly under?: boolean;
}

interface ChartSpec {
  readonly title: string;
  /** One sentence for screen readers: what is plotted against what. */
  readonly desc: string;
  /** 'time': the report bins over the horizon; 'day': local days. */
  readonly axis: 'time' | 'day';
  readonly yLabel: string;
  readonly y: 'count' | 'share';
  /** Whole-number ticks (agents). */
  readonly integer?: boolean;
  readonly series: readonly Series[];
  readonly hlines?: readonly { readonly value: number; readonly label: string }[];
  readonly notes?: readonly string[];
  readonly points?: boolean;
}

/** What a page's charts span: a time window (seconds from the horizon's start) at a grain, and its days. */
interface Frame {
  readonly cal: HtmlCalendar;
  readonly reportSec: number;
  /** The window's first second and its end, on the grain's bin edges (the end may be the horizon's). */
  readonly t0: number;
  readonly t1: number;
  readonly nBins: number;
  readonly days: readonly string[];
  /** Which of the embedded label lists the tooltips of this frame's time charts read. */
  readonly labels: 'timeLabels' | 'zoomLabels';
}

const W = 960, H = 280;
const PAD = { left: 66, right: 18, bottom: 46 };

/** A "nice" upper bound and tick step (1, 2, 2.5 or 5 × 10^k) for values up to max. */
function niceScale(max: number, integer: boolean): { top: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, step: integer ? 1 : 0.2 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  if (integer) step = step < 1 ? 1 : step === 2.5 ? 2 : step; // 0.25 agents, or 2.5, is no tick
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/** Tick labels with as many decimals as the step needs (0.025 → three), thousands separated. */
function tickFormat(step: number): (v: number) => string {
  let decimals = 0;
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-9) decimals++;
  return (v) => v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const utcOffset = (m: number) => `${m < 0 ? '−' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`;

/** Time ticks at local clock times: a step that gives at most ~10 ticks over the horizon. */
function timeTicks(cal: HtmlCalendar, t0: number, t1: number): { sec: number; label: string }[] {
  const steps = [900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];
  const step = steps.find((s) => (t1 - t0) / s <= 10) ?? 14 * 86400;
  const local0 = (cal.startMs / 1000 + t0 + cal.offsetMinutes * 60) % 86400;
  const ticks: { sec: number; label: string }[] = [];
  // multiples of the step in local time (days counted from the first local midnight)
  const firstMidnight = (86400 - local0) % 86400;
  const first = step < 86400 ? Math.ceil(local0 / step) * step - local0 : firstMidnight;
  for (let t = t0 + first; t <= t1 + 1e-6; t += step) {
    const l = shortLabel(cal.startMs + t * 1000, cal.offsetMinutes); // 'MM-DD HH:MM'
    ticks.push({ sec: t, label: step >= 86400 || l.endsWith('00:00') ? l.slice(0, 5) : l.slice(6) });
  }
  return ticks;
}

/** An accessible SVG chart (role=img, title, desc, axis labels, legend) and its tooltip data. */
function chart(spec: ChartSpec, f: Frame, data: unknown[]): string {
  const id = `c${data.length}`;
  const n = spec.axis === 'time' ? f.nBins : f.days.length;
  // legend rows laid out from the labels' widths
  const items = [
    ...spec.series.map((s) => ({ label: s.name, colour: s.colour, dash: s.dash ?? '', under: s.under === true })),
    ...(spec.hlines ?? []).map((h) => ({ label: h.label, colour: TARGET_COLOUR, dash: '6 4', under: false })),
  ];
  const legend: string[] = [];
  let lx = PAD.left, ly = 16;
  for (const it of items) {
    const w = 30 + textWidth(it.label) + 18;
    if (lx + w > W - PAD.right && lx > PAD.left) { lx = PAD.left; ly += 18; }
    legend.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${it.colour}"${it.under ? ' class="under"' : ' stroke-width="2.5"'}${it.dash ? ` stroke-dasharray="${it.dash}"` : ''}/>` +
      `<text x="${lx + 28}" y="${ly}">${esc(it.label)}</text>`);
    lx += w;
  }
  const top = ly + 14;
  const pw = W - PAD.left - PAD.right, ph = H - top - PAD.bottom;
  const xAt = spec.axis === 'time'
    ? (sec: number) => PAD.left + ((Math.min(sec, f.t1) - f.t0) / (f.t1 - f.t0)) * pw
    : (i: number) => PAD.left + ((i + 0.5) / n) * pw;
  const binStart = (i: number) => f.t0 + i * f.reportSec;
  const binEnd = (i: number) => Math.min(f.t0 + (i + 1) * f.reportSec, f.t1);
  const xMid = (i: number) => (spec.axis === 'time' ? xAt((binStart(i) + binEnd(i)) / 2) : xAt(i));

  let max = 0;
  for (const s of spec.series) for (const arr of [s.values, s.hi ?? []]) for (const v of arr) if (Number.isFinite(v) && v > max) max = v;
  for (const h of spec.hlines ?? []) if (h.value > max) max = h.value;
  const { top: yTop, step: yStep } = spec.y === 'share' ? { top: 1, step: 0.2 } : niceScale(max * 1.05, spec.integer === true);
  const yAt = (v: number) => top + ph - (Math.max(0, Math.min(v, yTop)) / yTop) * ph;
  const yFmt = spec.y === 'share' ? (v: number) => `${Math.round(v * 100)}%` : tickFormat(yStep);

  const out: string[] = [];
  // grid and y ticks
  for (let k = 0; k * yStep <= yTop + yStep * 1e-6; k++) {
    const v = k * yStep; // multiplied, not summed: no drift (0.1 + 0.2)
    const y = f1(yAt(v));
    out.push(`<line class="grid" x1="${PAD.left}" y1="${y}" x2="${W - PAD.right}" y2="${y}"/><text class="tick" x="${PAD.left - 6}" y="${y}" dy="4" text-anchor="end">${yFmt(v)}</text>`);
  }
  // x ticks
  if (spec.axis === 'time') {
    for (const t of timeTicks(f.cal, f.t0, f.t1)) {
      const x = f1(xAt(t.sec));
      out.push(`<line class="axis" x1="${x}" y1="${top + ph}" x2="${x}" y2="${top + ph + 5}"/><text class="tick" x="${x}" y="${top + ph + 18}" text-anchor="middle">${esc(t.label)}</text>`);
    }
  } else {
    const every = Math.max(1, Math.ceil(n / 14));
    for (let i = 0; i < n; i += every) {
      const x = f1(xAt(i));
      out.push(`<line class="axis" x1="${x}" y1="${top + ph}" x2="${x}" y2="${top + ph + 5}"/><text class="tick" x="${x}" y="${top + ph + 18}" text-anchor="middle">${esc(f.days[i].slice(5))}</text>`);
    }
  }
  out.push(`<line class="axis" x1="${PAD.left}" y1="${top + ph}" x2="${W - PAD.right}" y2="${top + ph}"/><line class="axis" x1="${PAD.left}" y1="${top}" x2="${PAD.left}" y2="${top + ph}"/>`);
  // axis labels
  const xLabel = spec.axis === 'time' ? `local time (UTC${utcOffset(f.cal.offsetMinutes)}), every ${formatDuration(f.reportSec)}` : 'local day';
  out.push(`<text class="label" x="${PAD.left + pw / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="label" transform="translate(14 ${top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);

  // the marks: bands first, then lines, then target lines on top
  const xsOf = (s: Series): { xs: number[]; idx: number[] } => {
    const xs: number[] = [], idx: number[] = [];
    for (let i = 0; i < n; i++) {
      if (s.step && spec.axis === 'time') { xs.push(xAt(binStart(i)), xAt(binEnd(i))); idx.push(i, i); }
      else { xs.push(xMid(i)); idx.push(i); }
    }
    return { xs, idx };
  };
  for (const s of spec.series) {
    if (!s.lo || !s.hi) continue;
    const { xs, idx } = xsOf(s);
    let d = '';
    for (let a = 0; a < xs.length;) {
      const ok = (k: number) => Number.isFinite(s.lo![idx[k]]) && Number.isFinite(s.hi![idx[k]]);
      if (!ok(a)) { a++; continue; }
      let b = a;
      while (b + 1 < xs.length && ok(b + 1)) b++;
      if (b > a) {
        d += `M${f1(xs[a])} ${f1(yAt(s.hi[idx[a]]))}`;
        for (let k = a + 1; k <= b; k++) d += `L${f1(xs[k])} ${f1(yAt(s.hi[idx[k]]))}`;
        for (let k = b; k >= a; k--) d += `L${f1(xs[k])} ${f1(yAt(s.lo[idx[k]]))}`;
        d += 'Z';
      }
      a = b + 1;
    }
    if (d) out.push(`<path class="band" d="${d}" fill="${s.colour}"/>`);
  }
  for (const s of [...spec.series.filter((x) => x.under), ...spec.series.filter((x) => !x.under)]) {
    const { xs, idx } = xsOf(s);
    let d = '';
    let pen = false;
    for (let k = 0; k < xs.length; k++) {
      const v = s.values[idx[k]];
      if (!Number.isFinite(v)) { pen = false; continue; }
      const isolated = !pen && !(k + 1 < xs.length && Number.isFinite(s.values[idx[k + 1]]));
      // an isolated value (its neighbours unknown) is drawn as a dot: a zero-length round-capped line
      d += `${pen ? 'L' : 'M'}${f1(xs[k])} ${f1(yAt(v))}${isolated ? 'h0.01' : ''}`;
      pen = true;
    }
    if (d) out.push(`<path class="mark line${s.under ? ' under' : ''}" d="${d}" stroke="${s.colour}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    if (spec.points) {
      for (let i = 0; i < n; i++) {
        const v = s.values[i];
        if (Number.isFinite(v)) out.push(`<circle class="mark" cx="${f1(xMid(i))}" cy="${f1(yAt(v))}" r="3" fill="${s.colour}"/>`);
      }
    }
  }
  for (const h of spec.hlines ?? []) {
    const y = f1(yAt(h.value));
    out.push(`<line class="target" x1="${PAD.left}" y1="${y}" x2="${W - PAD.right}" y2="${y}" stroke="${TARGET_COLOUR}" stroke-dasharray="6 4"/>`);
  }
  out.push(`<line class="guide" x1="0" y1="${top}" x2="0" y2="${top + ph}" visibility="hidden"/>`);

  data.push({
    axis: spec.axis, left: PAD.left, width: pw, n,
    frac: spec.axis === 'time' ? f.reportSec / (f.t1 - f.t0) : 1 / n,
    labels: spec.axis === 'time' ? f.labels : 'dayLabels',
    y: spec.y,
    series: spec.series.map((s) => ({ name: s.name, v: s.values.slice(0, n).map(dataNum) })),
  });
  const notes = (spec.notes ?? []).map((x) => `<p class="note">${esc(x)}</p>`).join('');
  return `<figure class="chart">
<figcaption>${esc(spec.title)}</figcaption>
<svg id="${id}" data-chart="${data.length - 1}" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid meet">
<title id="${id}-t">${esc(spec.title)}</title><desc id="${id}-d">${esc(spec.desc)}</desc>
<g class="legend">${legend.join('')}</g>
${out.join('\n')}
</svg>${notes}
</figure>`;
}

/** A note in place of a chart, when there is nothing that could be plotted. */
function noChart(title: string, why: string): string {
  return `<figure class="chart none"><figcaption>${esc(title)}</figcaption><p class="note">${esc(why)}</p></figure>`;
}

// ---- the page ------------------------------------------------------------------------------

function targetRow(t: TargetResult): string {
  const f = targetFormat(t);
  const at = t.worstStart === null ? '' : t.scope === 'day' ? t.worstStart.slice(5, 10) : t.worstStart.slice(5, 16).replace('T', ' ');
  const value = Number.isNaN(t.value.mean) ? 'nothing to measure' : t.scope === 'horizon' ? f(t.value.mean) : `worst ${f(t.value.mean)} on ${at}`;
  const unit = t.scope === 'day' ? 'days' : 'intervals';
  const detail = t.scope === 'horizon' || t.verdict === 'none' ? '' : `${t.meets} meet, ${t.misses} miss, ${t.undecided} undecided of ${t.evaluated} ${unit}`;
  const verdict = t.verdict === 'none' ? 'nothing to measure' : t.verdict.toUpperCase();
  const cls = t.verdict === 'meets' ? 'pass' : t.verdict === 'misses' ? 'fail' : 'undecided';
  return `<tr data-target="${esc(t.id)}"><td>${esc(targetText(t))}</td><td class="num">${esc(value)}</td><td class="num">${esc(ci(t.value, f))}</td>` +
    `<td class="${cls}"><strong>${verdict}</strong>${detail ? ` <span class="detail">(${esc(detail)})</span>` : ''}</td></tr>`;
}

/** Time-weighted mean of per-interval values over each report bin. */
function toReportBins(values: ArrayLike<number>, cal: HtmlCalendar, reportSec: number, nBins: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < nBins; b++) {
    const a = b * reportSec, e = Math.min((b + 1) * reportSec, cal.horizonSec);
    let sum = 0;
    const i0 = Math.floor(a / cal.intervalSec), i1 = Math.min(values.length, Math.ceil(e / cal.intervalSec));
    for (let i = i0; i < i1; i++) {
      const overlap = Math.min(e, (i + 1) * cal.intervalSec, cal.horizonSec) - Math.max(a, i * cal.intervalSec);
      if (overlap > 0) sum += values[i] * overlap;
    }
    out.push(e > a ? sum / (e - a) : NaN);
  }
  return out;
}

const means = (xs: readonly Est[]) => xs.map((x) => x.mean);

const CSS = `
:root{color-scheme:light;--fg:#1d2430;--muted:#5b6573;--line:#d9dee5;--pass:#1a7f37;--fail:#c62828}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);margin:0;background:#f6f7f9}
main{max-width:1080px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0 0 4px}.meta code{color:var(--fg)}
.warn{background:#fff4e5;border-left:4px solid #f0a030;padding:6px 10px;margin:8px 0}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{font-weight:600;background:#eef1f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.pass strong{color:var(--pass)}td.fail strong{color:var(--fail)}td.undecided strong{color:var(--undecided,#b26b00)}.detail{color:var(--muted)}
figure.chart{margin:12px 0 20px;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 8px 4px}
figure.chart svg{width:100%;height:auto;display:block}
figcaption{font-weight:600;padding:2px 4px}.note{color:var(--muted);margin:2px 4px 4px;font-size:13px}
svg text{font-size:12px;fill:var(--fg)}svg .tick{fill:var(--muted);font-size:11px}svg .label{fill:var(--muted)}
svg .grid{stroke:#edf0f3}svg .axis{stroke:#8a94a3}svg .line{fill:none;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}
svg .under{stroke-width:4.5;stroke-opacity:.4}svg .band{opacity:.18;stroke:none}svg .target{stroke-width:1.5}svg .guide{stroke:#5b6573;stroke-width:1}
#tip{position:fixed;pointer-events:none;background:#1d2430;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;line-height:1.4;display:none;z-index:10;white-space:nowrap}
footer{color:var(--muted);margin-top:32px;font-size:12px}
table.heatmap{font-size:11px;table-layout:fixed}table.heatmap td.heat{text-align:center;padding:2px 1px;font-variant-numeric:tabular-nums}table.heatmap th{padding:2px 1px;text-align:center}table.heatmap td:first-child{white-space:nowrap}table.staffing{font-size:13px}table.staffing td:first-child{white-space:nowrap}table.staffing td.short{background:#fdecea}details.staffing>summary{cursor:pointer;font-weight:600;margin:8px 0}
@media print{body{background:#fff}figure.chart{break-inside:avoid}}
`;

// Tooltips: the nearest bin's label and values. Built with textContent only (names are user text).
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var tip = document.getElementById('tip');
  function fmt(v, y) {
    if (v === null) return '–';
    if (y === 'share') return (v * 100).toFixed(1) + '%';
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10);
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg[data-chart]'), function (svg) {
    var d = data.charts[Number(svg.getAttribute('data-chart'))];
    var guide = svg.querySelector('.guide');
    var labels = data[d.labels];
    function hide() { tip.style.display = 'none'; guide.setAttribute('visibility', 'hidden'); }
    svg.addEventListener('mouseleave', hide);
    svg.addEventListener('mousemove', function (ev) {
      var m = svg.getScreenCTM();
      if (!m) return;
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      var p = pt.matrixTransform(m.inverse());
      var u = (p.x - d.left) / d.width;
      var i = Math.floor(u / d.frac);
      if (u < 0 || u > 1 || i < 0 || i >= d.n) { hide(); return; }
      var x = d.left + Math.min(1, (i + 0.5) * d.frac) * d.width;
      guide.setAttribute('x1', x); guide.setAttribute('x2', x); guide.setAttribute('visibility', 'visible');
      tip.textContent = '';
      var head = document.createElement('div');
      head.style.fontWeight = '600';
      head.textContent = labels[i];
      tip.appendChild(head);
      d.series.forEach(function (s) {
        var row = document.createElement('div');
        row.textContent = s.name + ': ' + fmt(s.v[i], d.y);
        tip.appendChild(row);
      });
      tip.style.display = 'block';
      var left = ev.clientX + 14;
      if (left + tip.offsetWidth > window.innerWidth - 8) left = ev.clientX - 14 - tip.offsetWidth;
      tip.style.left = left + 'px';
      tip.style.top = (ev.clientY + 14) + 'px';
    });
  });
})();
`;

/** Seconds from the horizon's start to a local day's midnight ('YYYY-MM-DD'). */
function dayStartSec(date: string, cal: HtmlCalendar): number {
  return (Date.parse(`${date}T00:00:00Z`) - cal.offsetMinutes * 60_000 - cal.startMs) / 1000;
}

/** A time frame over [t0, t1) at a grain: t0 down and t1 up to the grain's edges, within the horizon. */
function frameOf(cal: HtmlCalendar, sec: number, from: number, to: number, days: readonly string[], labels: Frame['labels']): Frame {
  const t0 = Math.max(0, Math.floor(from / sec + 1e-9) * sec);
  const t1 = Math.min(cal.horizonSec, Math.ceil(to / sec - 1e-9) * sec);
  return { cal, reportSec: sec, t0, t1, nBins: Math.ceil((t1 - t0) / sec - 1e-9), days, labels };
}

/** Bin labels of a frame, e.g. '11-11 00:00–01:00'. */
function binLabels(f: Frame): string[] {
  return Array.from({ length: f.nBins }, (_, i) => {
    const a = shortLabel(f.cal.startMs + (f.t0 + i * f.reportSec) * 1000, f.cal.offsetMinutes);
    const b = shortLabel(f.cal.startMs + Math.min(f.t0 + (i + 1) * f.reportSec, f.t1) * 1000, f.cal.offsetMinutes);
    return `${a}–${b.slice(0, 5) === a.slice(0, 5) ? b.slice(6) : b}`;
  });
}

const inFrame = (f: Frame) => (x: { startSec: number }) => x.startSec >= f.t0 - 1e-6 && x.startSec < f.t1 - 1e-6;

/** A window's span for people: '11-10 18:00 → 11-11 18:00'. */
function spanText(f: Frame): string {
  return `${shortLabel(f.cal.startMs + f.t0 * 1000, f.cal.offsetMinutes)} → ${shortLabel(f.cal.startMs + f.t1 * 1000, f.cal.offsetMinutes)}`;
}

interface PageParts {
  readonly r: SimulationResult;
  readonly o: HtmlReportOptions;
  readonly data: unknown[];
}

/** Arrivals, bot-resolved and offered contacts of one channel over a frame. */
function demandChart(p: PageParts, f: Frame, rows: readonly ChannelRow[], name: string): string {
  const bot = means(rows.map((x) => x.botResolved));
  const hasBot = bot.some((v) => v > 0);
  const grain = formatDuration(f.reportSec);
  return chart({
    title: `${name}: arrivals, resolved by the bot and offered to agents${f.labels === 'zoomLabels' ? `, every ${grain}` : ''}`,
    desc: `Contacts of channel ${name} per ${grain} from ${spanText(f)}: arrivals, those the bot resolved, and those offered to agents.`,
    axis: 'time', y: 'count', yLabel: `contacts per ${grain}`,
    series: [
      { name: 'arrivals', values: means(rows.map((x) => x.arrivals)), colour: PALETTE[0], under: true },
      ...(hasBot ? [{ name: 'resolved by the bot', values: bot, colour: PALETTE[2] }] : []),
      { name: 'offered to agents', values: means(rows.map((x) => x.offered)), colour: PALETTE[1] },
    ],
    notes: hasBot ? [] : ['No bot on this channel: every arrival is offered to agents (retrials count again).'],
  }, f, p.data);
}

/**
 * The service level of one live channel over a frame. A target's line is drawn only at its own
 * scope: an interval target's on a chart whose bins are the scenario's intervals (pooled into
 * coarser bins, a miss in one interval would hide behind its neighbours); day and horizon targets
 * are said in words, their values are not per bin.
 */
function slChart(p: PageParts, f: Frame, rows: readonly ChannelRow[], name: string, zoomNote: string): string {
  const { r } = p;
  const cal = p.o.calendar;
  const sl = rows.map((x) => x.serviceLevel);
  const within = rows[0]?.slWithinSec ?? r.channels.find((c) => c.channel === name)!.stats.slWithinSec;
  const mine = r.targets.filter((t) => t.metric === 'serviceLevel' && t.channel === name && t.withinSec === within);
  const atGrain = Math.abs(f.reportSec - cal.intervalSec) < 1e-6;
  const lines = mine.filter((t) => t.scope === 'interval' && atGrain);
  const notes: string[] = [];
  const i0 = Math.round(f.t0 / cal.intervalSec), i1 = Math.round(f.t1 / cal.intervalSec);
  for (const t of mine) {
    if (t.scope === 'interval') {
      const here = (ws: readonly { index: number }[]) => ws.filter((w) => w.index >= i0 && w.index < i1).length;
      const span = f.t0 === 0 && f.t1 >= cal.horizonSec - 1e-6 ? '' : ' in this window';
      notes.push(`Target ${pct(t.bound, 0)} within ${formatDuration(t.withinSec)} in every ${r.interval} interval: ${here(t.missed)} interval${here(t.missed) === 1 ? '' : 's'}${span} miss and ${here(t.undecidedWindows)} are undecided.` +
        (atGrain ? '' : ` Its line is drawn where the bins are the ${r.interval} intervals it judges${zoomNote}.`));
    } else {
      notes.push(`Target ${pct(t.bound, 0)} within ${formatDuration(t.withinSec)} ${t.scope === 'day' ? 'every day' : 'over the horizon'}: ${t.verdict === 'none' ? 'nothing to measure' : t.verdict} (${t.scope === 'horizon' ? pct(t.value.mean, 1) : `worst day ${pct(t.value.mean, 1)}`}); not a per-bin value, so no line.`);
    }
  }
  for (const t of r.targets.filter((x) => x.metric === 'serviceLevel' && x.channel === name && x.withinSec !== within)) {
    notes.push(`Another target measures within ${formatDuration(t.withinSec)} (${t.verdict}; see the targets table).`);
  }
  if (!sl.some((x) => Number.isFinite(x.mean))) notes.push('No contact was answered or abandoned: nothing to measure.');
  notes.push('Bins without answered or abandoned contacts are left blank; the band is the 95% confidence interval.');
  const grain = formatDuration(f.reportSec);
  return chart({
    title: `${name}: service level (answered within ${formatDuration(within)})${f.labels === 'zoomLabels' ? `, every ${grain}` : ''}`,
    desc: `Share of ${name} contacts answered within ${formatDuration(within)} per ${grain} from ${spanText(f)}, with its 95% confidence interval${lines.length > 0 ? ' and the target' : ''}.`,
    axis: 'time', y: 'share', yLabel: `answered within ${formatDuration(within)}`,
    series: [{ name: 'service level', values: means(sl), lo: sl.map((x) => x.lo), hi: sl.map((x) => x.hi), colour: PALETTE[0] }],
    hlines: [...new Map(lines.map((t) => [t.bound, t])).values()].map((t) => ({ value: t.bound, label: `target ${pct(t.bound, (t.bound * 100) % 1 === 0 ? 0 : 1)} (every ${r.interval} interval)` })),
    notes,
  }, f, p.data);
}

/** Planned (scheduled, mean over each bin) and required agents of one pool over a frame. */
function poolChart(p: PageParts, f: Frame, rows: readonly PoolRow[], pool: PoolSummary): string {
  const req = p.o.required ?? null;
  const need = req?.pools.find((x) => x.pool === pool.pool)?.agents ?? null;
  const series: Series[] = [{ name: 'planned (scheduled)', values: means(rows.map((x) => x.scheduled)), colour: PALETTE[0], step: true }];
  const notes: string[] = [];
  if (need !== null) series.push({ name: 'required (analytical)', values: requiredBins(need, f), colour: PALETTE[1], dash: '6 3', step: true });
  else if (req) notes.push('The planner keeps this pool as given (planning: fixed): no separate requirement.');
  if (need !== null && p.r.channels.find((c) => c.channel === pool.channel)?.deferred) {
    notes.push('A deferred channel: the requirement carries the work in the interval it arrives; a backlog lets work wait (within the deadline targets), so staffing can be concentrated in working hours.');
  }
  if (f.labels === 'timeLabels') notes.push(`${pool.kind} · ${pool.channel} · ${count(pool.agentHours)} agent-hours · cost ${money(pool.cost)} · occupancy ${pct(pool.occupancy.mean)}`);
  const grain = formatDuration(f.reportSec);
  return chart({
    title: `${pool.pool}: agents${f.labels === 'zoomLabels' ? `, every ${grain}` : ''}`,
    desc: `Agents of pool ${pool.pool} per ${grain} from ${spanText(f)}: planned${need !== null ? ' against required' : ''}.`,
    axis: 'time', y: 'count', integer: true, yLabel: 'agents', series, notes,
  }, f, p.data);
}

/** A requirement per scenario interval as the frame's bins (time-weighted means). */
function requiredBins(need: ArrayLike<number>, f: Frame): number[] {
  const all = toReportBins(need, f.cal, f.reportSec, Math.ceil(f.cal.horizonSec / f.reportSec - 1e-9));
  const b0 = Math.round(f.t0 / f.reportSec);
  return all.slice(b0, b0 + f.nBins);
}

/**
 * The staffing table: one row per bin of the frame, per pool the planned agents (the mean
 * scheduled over the bin) and what the analysis requires, then the total and its cost per bin.
 */
function staffingTable(p: PageParts, f: Frame, poolRows: readonly PoolRow[]): string {
  const { r } = p;
  const req = p.o.required ?? null;
  const pools = r.pools.map((pool) => {
    const rows = poolRows.filter((x) => x.pool === pool.pool).sort((a, b) => a.startSec - b.startSec);
    const need = req?.pools.find((x) => x.pool === pool.pool)?.agents ?? null;
    // cost of one scheduled agent for an hour: the pool's cost over its agent-hours (shrinkage grossed up)
    const rate = pool.agentHours > 0 ? pool.cost / pool.agentHours : 0;
    // a deferred channel's work waits in its backlog: fewer agents than its requirement in an hour is no shortfall
    const deferred = r.channels.find((c) => c.channel === pool.channel)?.deferred === true;
    return { pool, planned: means(rows.map((x) => x.scheduled)), required: need === null ? null : requiredBins(need, f), rate, deferred };
  });
  const labels = binLabels(f);
  const num = (x: number) => (Number.isFinite(x) ? (Math.abs(x - Math.round(x)) < 0.05 ? String(Math.round(x)) : x.toFixed(1)) : '');
  const head = `<tr><th>${esc(`every ${formatDuration(f.reportSec)}`)}</th>${pools.map((x) => `<th class="num">${esc(x.pool.pool)}${x.required ? ' <span class="detail">planned / required</span>' : ''}</th>`).join('')}<th class="num">agents</th><th class="num">cost</th></tr>`;
  const body: string[] = [];
  const hours = f.reportSec / 3600;
  for (let i = 0; i < f.nBins; i++) {
    let total = 0, cost = 0;
    const cells = pools.map((x) => {
      const v = x.planned[i];
      if (Number.isFinite(v)) { total += v; cost += v * x.rate * Math.min(hours, (f.t1 - f.t0 - i * f.reportSec) / 3600); }
      const need = x.required?.[i];
      const short = !x.deferred && need !== undefined && Number.isFinite(need) && v < need - 0.05;
      return `<td class="num${short ? ' short' : ''}">${num(v)}${x.required ? ` / ${num(need ?? NaN)}` : ''}</td>`;
    });
    body.push(`<tr><td>${esc(labels[i])}</td>${cells.join('')}<td class="num">${num(total)}</td><td class="num">${money(cost)}</td></tr>`);
  }
  return `<table class="staffing">\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/**
 * The roster as a day × hour heat-map per pool: each cell the mean of the people on shift over the
 * hour's intervals (on break in its tooltip), shaded against the pool's busiest hour; then the
 * coverage per hour of the page's window against the requirement.
 */
function rosterSection(p: PageParts, f: Frame, dates: readonly string[]): string {
  const cal = f.cal, iv = cal.intervalSec;
  const intervals = Math.ceil(cal.horizonSec / iv - 1e-9);
  const ro = p.o.roster!;
  const out: string[] = [`<section id="roster"><h2>Roster: people on shift, day × hour</h2>`];
  out.push(`<p class="note">From <code>${esc(ro.file)}</code>: the people on shift in each local hour (the mean over its intervals), darker where more are on; the tooltip adds those on break. The simulation staffs the people on shift and not on break.</p>`);
  for (const pool of ro.pools) {
    // hour cells: [day][hour] = { sum scheduled, sum on break, intervals }
    const cells = new Map<string, { s: number; b: number; n: number }>();
    let top = 0;
    for (let i = 0; i < intervals; i++) {
      const ms = cal.startMs + i * iv * 1000 + cal.offsetMinutes * 60000;
      const iso = new Date(ms).toISOString();
      const key = `${iso.slice(0, 10)}/${Number(iso.slice(11, 13))}`;
      const c = cells.get(key) ?? { s: 0, b: 0, n: 0 };
      c.s += pool.scheduled[i]; c.b += pool.onBreak[i]; c.n++;
      cells.set(key, c);
    }
    for (const c of cells.values()) top = Math.max(top, c.s / c.n);
    const head = `<tr><th>day</th>${Array.from({ length: 24 }, (_, h) => `<th class="num">${String(h).padStart(2, '0')}</th>`).join('')}</tr>`;
    const rows = dates.map((d) => {
      const tds = Array.from({ length: 24 }, (_, h) => {
        const c = cells.get(`${d}/${h}`);
        if (!c) return '<td class="heat"></td>';
        const v = c.s / c.n, b = c.b / c.n;
        const a = top > 0 ? v / top : 0;
        const shade = `rgba(31,119,180,${(0.08 + 0.82 * a).toFixed(3)})`;
        const txt = Math.abs(v - Math.round(v)) < 0.05 ? String(Math.round(v)) : v.toFixed(1);
        return `<td class="heat" style="background:${shade};color:${a > 0.55 ? '#fff' : 'inherit'}" title="${esc(`${d} ${String(h).padStart(2, '0')}:00 — ${txt} on shift, ${b.toFixed(1)} on break`)}">${v > 0 ? txt : ''}</td>`;
      }).join('');
      return `<tr><td>${esc(d.slice(5))}</td>${tds}</tr>`;
    });
    out.push(`<h3>${esc(pool.pool)} <span class="detail">(${pool.people} people)</span></h3>`);
    out.push(`<table class="heatmap" data-pool="${esc(pool.pool)}"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`);
  }
  // coverage per hour over the page's window, the rostered pools together, against the requirement
  const req = p.o.required ?? null;
  const per = Math.max(1, Math.round(3600 / iv));
  const a = Math.round(f.t0 / iv), b = Math.min(intervals, Math.round(f.t1 / iv));
  const rows: string[] = [];
  for (let h = a; h < b; h += per) {
    let need = 0, sch = 0, brk = 0;
    const m = Math.min(per, b - h);
    for (let i = h; i < h + m; i++) {
      for (const pool of ro.pools) {
        sch += pool.scheduled[i]; brk += pool.onBreak[i];
        const r = req?.pools.find((x) => x.pool === pool.pool)?.agents;
        if (r) need += r[i];
      }
    }
    const n1 = (z: number) => (Math.round((z / m) * 10) / 10).toString();
    const wk = (sch - brk) / m, rq = need / m;
    rows.push(`<tr><td>${esc(shortLabel(cal.startMs + h * iv * 1000, cal.offsetMinutes))}</td><td class="num">${req ? n1(need) : ''}</td><td class="num">${n1(sch)}</td><td class="num">${n1(brk)}</td><td class="num">${n1(sch - brk)}</td><td class="num${req && wk < rq - 0.05 ? ' short' : ''}">${req ? n1(sch - brk - need) : ''}</td></tr>`);
  }
  out.push(`<details class="staffing"><summary>Coverage per hour (${rows.length} rows): required, on shift, on break, working, over/under</summary>`);
  out.push(`<table class="staffing"><thead><tr><th>hour</th><th class="num">required</th><th class="num">on shift</th><th class="num">on break</th><th class="num">working</th><th class="num">over/under</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`);
  out.push(`</section>`);
  return out.join('\n');
}

/** The busiest frame of `len` seconds within `within`: around the bin with the most contacts offered to agents on live channels. */
function busiestFrame(fine: SimulationResult, sec: number, within: Frame, len: number): { frame: Frame; peak: ChannelRow[] } | null {
  if (within.t1 - within.t0 <= len + 1e-6) return null;
  const live = new Set(fine.channels.filter((c) => !c.deferred).map((c) => c.channel));
  const use = live.size > 0 ? live : new Set(fine.channels.map((c) => c.channel));
  const byBin = new Map<number, ChannelRow[]>();
  for (const row of fine.rows) {
    if (!use.has(row.channel) || row.startSec < within.t0 || row.startSec >= within.t1) continue;
    const list = byBin.get(row.startSec) ?? [];
    list.push(row);
    byBin.set(row.startSec, list);
  }
  let best = -1, bestSec = within.t0;
  for (const [at, rows] of [...byBin].sort((a, b) => a[0] - b[0])) {
    const v = rows.reduce((a, x) => a + x.offered.mean, 0);
    if (v > best) { best = v; bestSec = at; }
  }
  if (best <= 0) return null;
  // a quarter of the window before the peak: the ramp up to it, and the long tail after it
  const start = Math.min(Math.max(within.t0, Math.floor((bestSec - len / 4) / sec) * sec), within.t1 - len);
  return { frame: frameOf(within.cal, sec, start, start + len, within.days, 'zoomLabels'), peak: byBin.get(bestSec)! };
}

export function renderHtmlReport(r: SimulationResult, o: HtmlReportOptions): string {
  const cal = o.calendar;
  const win = o.window ?? { fromSec: 0, toSec: cal.horizonSec };
  // the days the window touches
  const dayIdx = r.days.map((d, k) => ({ d, k })).filter(({ d }) => { const a = dayStartSec(d.date, cal); return a < win.toSec - 1e-6 && a + 86400 > win.fromSec + 1e-6; }).map(({ k }) => k);
  const days = dayIdx.map((k) => r.days[k]);
  const f = frameOf(cal, o.reportSec, win.fromSec, win.toSec, days.map((d) => d.date), 'timeLabels');
  const whole = f.t0 === 0 && f.t1 >= cal.horizonSec - 1e-6;
  const data: unknown[] = [];
  const p: PageParts = { r, o, data };
  const body: string[] = [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const fine = o.fine ?? null;
  const zoom = fine !== null && (o.zoomSec ?? 86400) > 0 ? busiestFrame(fine.result, fine.sec, f, o.zoomSec ?? 86400) : null;

  // ---- header and targets ----
  body.push(`<header><h1>${esc(r.scenario.name)}</h1>`);
  body.push(`<p class="meta">Scenario <code>${esc(r.scenario.file)}</code>${o.planFile ? ` with the staffing plan <code>${esc(o.planFile)}</code>` : ''}</p>`);
  body.push(`<p class="meta">seed ${r.seed} · ${plural(r.replications, 'replication')} · ${esc(r.start)} → ${esc(r.end)} · interval ${esc(r.interval)} · charts every ${esc(r.reportInterval)}${whole ? '' : ` from ${esc(spanText(f))}`} · generated by peakplan ${esc(o.version)}</p>`);
  body.push(`<p class="meta">Values are means over the replications; intervals in brackets are 95% confidence intervals.</p></header>`);
  for (const w of r.warnings) body.push(`<p class="warn">warning: ${esc(w)}</p>`);

  body.push(`<section id="targets"><h2>Targets</h2>`);
  if (r.targets.length === 0) body.push(`<p class="note">The scenario has no targets.</p>`);
  else {
    body.push(`<table class="targets"><thead><tr><th>target</th><th>value</th><th>decision interval</th><th>verdict</th></tr></thead><tbody>`);
    for (const t of r.targets) body.push(targetRow(t));
    body.push(`</tbody></table>`);
    const missed = r.targets.filter((t) => t.verdict === 'misses').length, undecided = r.targets.filter((t) => t.verdict === 'undecided').length;
    const d = r.decision;
    body.push(`<p class="note">${missed === 0 && undecided === 0 ? `All ${plural(r.targets.length, 'target')} met.` : `${missed} of ${plural(r.targets.length, 'target')} missed, ${undecided} undecided.`} Interval and day targets show their worst window. Each of the ${d.windows} windows meets, misses or is undecided at ${Math.round(d.confidence * 1000) / 10}% confidence for all of them at once, on ${r.replications} replications.${whole ? '' : ' The targets are judged over the whole horizon; the charts show the window asked for.'}</p>`);
  }
  body.push(`</section>`);

  // ---- the busiest window at the interval grain ----
  const zoomNote = zoom !== null ? ' (the busiest window, below)' : ` (report with --interval ${r.interval})`;
  if (zoom !== null && fine !== null) {
    const zf = zoom.frame;
    const peakAt = shortLabel(cal.startMs + zoom.peak[0].startSec * 1000, cal.offsetMinutes);
    const peakOffered = zoom.peak.reduce((a, x) => a + x.offered.mean, 0);
    body.push(`<section id="busiest"><h2>Busiest window: ${esc(spanText(zf))}, every ${esc(formatDuration(zf.reportSec))}</h2>`);
    body.push(`<p class="note">${esc(formatDuration(zf.t1 - zf.t0))} around ${esc(peakAt)}, the ${esc(formatDuration(zf.reportSec))} bin with the most contacts offered to agents (${count(peakOffered)}), drawn at the grain the interval targets judge, from the same replications as the rest of the page. Choose its length with --zoom, or leave it out with --zoom none.</p>`);
    const inZ = inFrame(zf);
    fine.result.channels.forEach((c) => {
      if (c.deferred) return;
      const rows = fine.result.rows.filter((x) => x.channel === c.channel && inZ(x)).sort((a, b) => a.startSec - b.startSec);
      body.push(`<h3>${esc(c.channel)}</h3>`);
      body.push(demandChart(p, zf, rows, c.channel));
      body.push(slChart(p, zf, rows, c.channel, ''));
    });
    const zPoolRows = fine.result.poolRows.filter(inZ);
    body.push(`<h3>Agents per pool</h3>`);
    r.pools.forEach((pool) => body.push(poolChart(p, zf, zPoolRows.filter((x) => x.pool === pool.pool).sort((a, b) => a.startSec - b.startSec), pool)));
    const hf = frameOf(cal, o.reportSec, zf.t0, zf.t1, f.days, 'timeLabels');
    body.push(`<h3>Staffing per pool, every ${esc(formatDuration(hf.reportSec))}</h3>`);
    body.push(`<p class="note">Planned: agents scheduled (the mean over each ${esc(r.reportInterval)}); required: the analysis below${o.required ? '' : ' (not computed)'}; cells where fewer are planned than required are marked (not for deferred channels, whose work can wait in the backlog); cost: the planned agents' cost in the ${esc(r.reportInterval)}.</p>`);
    body.push(staffingTable(p, hf, r.poolRows.filter(inFrame(hf))));
    body.push(`</section>`);
  }

  // ---- per channel: demand, service level, queue ----
  const inF = inFrame(f);
  body.push(`<section id="channels"><h2>Contacts per channel${whole ? '' : `, ${esc(spanText(f))}`}</h2>`);
  r.channels.forEach((c) => {
    const rows = r.rows.filter((x) => x.channel === c.channel && inF(x)).sort((a, b) => a.startSec - b.startSec);
    const name = c.channel;
    body.push(`<h3>${esc(name)}${c.deferred ? ' <span class="detail">(deferred: worked from a backlog)</span>' : ''}</h3>`);
    body.push(demandChart(p, f, rows, name));
    if (c.deferred) {
      body.push(noChart(`${name}: service level`, `${name} is a deferred channel (e-mail, tickets): its contacts are worked from a backlog, so there is no service level per interval; see the deadline targets and the backlog per day.`));
    } else {
      body.push(slChart(p, f, rows, name, zoomNote));
    }
    const q = rows.map((x) => x.queue);
    body.push(chart({
      title: `${name}: ${c.deferred ? 'open contacts waiting (backlog)' : 'queue length'}`,
      desc: `Average number of ${name} contacts waiting for an agent per ${r.reportInterval}.`,
      axis: 'time', y: 'count', yLabel: 'contacts waiting (average)',
      series: [{ name: c.deferred ? 'waiting in the backlog' : 'waiting in the queue', values: means(q), colour: PALETTE[3] }],
      notes: means(q).every((v) => !(v > 0)) ? ['Nobody waited: the queue stayed empty.'] : [],
    }, f, data));
  });
  body.push(`</section>`);

  // ---- agents per pool ----
  body.push(`<section id="pools"><h2>Agents per pool: planned and required</h2>`);
  const req = o.required ?? null;
  body.push(`<p class="note">Planned: the agents scheduled in the simulation (${o.planFile ? 'the plan file where it names a pool, else the scenario' : "the scenario's staffing"}), averaged over each ${r.reportInterval}. ` +
    (req ? `Required: ${esc(req.label)}.` : 'Required agents were not computed.') + '</p>');
  const poolRows = r.poolRows.filter(inF);
  r.pools.forEach((pool) => body.push(poolChart(p, f, poolRows.filter((x) => x.pool === pool.pool).sort((a, b) => a.startSec - b.startSec), pool)));
  body.push(`<details class="staffing"${f.nBins <= 48 ? ' open' : ''}><summary>Staffing per pool, every ${esc(r.reportInterval)}${whole ? '' : `, ${esc(spanText(f))}`} (${f.nBins} rows)</summary>`);
  body.push(staffingTable(p, f, poolRows));
  body.push(`</details>`);
  body.push(`</section>`);

  // ---- the roster: a day × hour heat-map of the people on shift per pool ----
  if (o.roster) body.push(rosterSection(p, f, days.map((d) => d.date)));

  // ---- per day: backlogs and complaints ----
  body.push(`<section id="days"><h2>Per day</h2>`);
  if (days.length === 0) body.push(`<p class="note">No days to show.</p>`);
  else {
    // contacts and parcels differ by orders of magnitude: the warehouse gets a chart of its own
    const series: Series[] = [];
    let k = 0;
    const open = (ch: string) => days.map((d) => d.channels.find((x) => x.channel === ch)?.backlogEnd.mean ?? NaN);
    r.channels.forEach((c) => {
      const v = open(c.channel);
      if (c.deferred || v.some((x) => x >= 0.5)) series.push({ name: `${c.channel}: open contacts`, values: v, colour: PALETTE[k++ % PALETTE.length] });
    });
    const notes: string[] = [];
    if (series.length === 0) {
      r.channels.forEach((c) => series.push({ name: `${c.channel}: open contacts`, values: open(c.channel), colour: PALETTE[k++ % PALETTE.length] }));
      notes.push('No deferred channel in this scenario and no contact still open at midnight: every backlog is (close to) zero.');
    } else if (series.every((x) => x.values.every((v) => !(v >= 0.5)))) notes.push('Every backlog is (close to) zero at the end of each day.');
    notes.push('Open contacts: waiting or in service when the day ends (tickets in a deferred channel wait in its backlog).');
    body.push(chart({
      title: 'Contact backlog at the end of each day',
      desc: 'Per local day and channel: contacts still open at the end of the day.',
      axis: 'day', y: 'count', yLabel: 'open contacts at day end', series, notes, points: true,
    }, f, data));
    if (r.drivers.logistics) {
      const wh = days.map((d) => d.warehouseEnd);
      body.push(chart({
        title: 'Warehouse backlog at the end of each day',
        desc: 'Per local day: orders waiting for dispatch at the end of the day, with parcels still in transit.',
        axis: 'day', y: 'count', yLabel: 'at the end of the day', points: true,
        series: [
          { name: 'orders not yet dispatched', values: means(wh), lo: wh.map((x) => x.lo), hi: wh.map((x) => x.hi), colour: PALETTE[4] },
          { name: 'parcels in transit', values: means(days.map((d) => d.inTransitEnd)), colour: PALETTE[7] },
        ],
        notes: wh.every((x) => !(x.mean >= 0.5)) ? ['The warehouse never ends a day with orders waiting.'] : [],
      }, f, data));
    }

    const perOrders = days.map((d) => d.complaintsPer1000Orders);
    const ctargets = r.targets.filter((t) => t.metric === 'complaintsPer1000Orders');
    if (r.drivers.orders && perOrders.some((x) => Number.isFinite(x.mean))) {
      const cnotes = r.drivers.complaints ? [] : ['No complaints are modelled in this scenario (no complaints section): the rate is zero.'];
      if (r.drivers.complaints && perOrders.every((x) => !(x.mean > 0))) cnotes.push('No complaints on any day.');
      // a target's line only at its own scope: a horizon rate is not a bound on each day's
      for (const t of ctargets.filter((x) => x.scope !== 'day')) {
        cnotes.push(`Target ≤ ${t.bound} per 1,000 orders over the horizon: ${t.verdict === 'none' ? 'nothing to measure' : `${t.value.mean.toFixed(2)}, ${t.verdict}`}. A horizon target: single days may be above it (a spike's orders complain days later), so it is not drawn on the daily values.`);
      }
      cnotes.push('The band is the 95% confidence interval; days without orders are left blank.');
      const dayLines = ctargets.filter((t) => t.scope === 'day');
      body.push(chart({
        title: 'Complaints per 1,000 orders, per day',
        desc: `Per local day: complaints (from waits, abandonment, late parcels and late refunds) per 1,000 orders${dayLines.length > 0 ? ', with the daily target' : ''}.`,
        axis: 'day', y: 'count', yLabel: 'complaints per 1,000 orders',
        series: [{ name: 'complaints per 1,000 orders', values: means(perOrders), lo: perOrders.map((x) => x.lo), hi: perOrders.map((x) => x.hi), colour: PALETTE[3] }],
        hlines: [...new Map(dayLines.map((t) => [t.bound, t])).values()].map((t) => ({ value: t.bound, label: `target ≤ ${t.bound} (every day)` })),
        notes: cnotes, points: true,
      }, f, data));
    } else {
      body.push(chart({
        title: 'Complaints per day',
        desc: 'Per local day: complaints raised.',
        axis: 'day', y: 'count', yLabel: 'complaints',
        series: [{ name: 'complaints', values: means(days.map((d) => d.complaints)), colour: PALETTE[3] }],
        notes: [r.drivers.orders ? 'No orders on any day: no rate per 1,000 orders.' : 'No order flow in this scenario: complaints per 1,000 orders cannot be computed.',
          ...(r.drivers.complaints ? [] : ['No complaints are modelled in this scenario (no complaints section): the count is zero.'])],
        points: true,
      }, f, data));
    }
  }
  body.push(`</section>`);

  // ---- over the horizon ----
  body.push(`<section id="totals"><h2>Over the horizon</h2>`);
  if (!whole) body.push(`<p class="note">The whole horizon's totals, whatever the charts' window.</p>`);
  body.push(`<table><thead><tr><th>channel</th><th>arrivals</th><th>bot resolved</th><th>offered</th><th>answered</th><th>abandoned</th><th>service level</th><th>avg wait</th><th>p90 wait</th><th>occupancy</th></tr></thead><tbody>`);
  for (const c of r.channels) {
    const s = c.stats;
    body.push(`<tr><td>${esc(c.channel)}</td><td class="num">${count(s.arrivals.mean)}</td><td class="num">${count(s.botResolved.mean)}</td><td class="num">${count(s.offered.mean)}</td>` +
      `<td class="num">${count(s.answered.mean)}</td><td class="num">${count(s.abandoned.mean)}</td><td class="num">${pct(s.serviceLevel.mean)} &lt;${esc(formatDuration(s.slWithinSec))}</td>` +
      `<td class="num">${secs(s.averageWait.mean)}</td><td class="num">${secs(s.p90Wait.mean)}</td><td class="num">${pct(s.occupancy.mean)}</td></tr>`);
  }
  body.push(`</tbody></table>`);
  body.push(`<table><thead><tr><th>pool</th><th>kind</th><th>channel</th><th>agent-hours</th><th>paid hours</th><th>cost</th><th>occupancy</th></tr></thead><tbody>`);
  for (const p of r.pools) {
    body.push(`<tr><td>${esc(p.pool)}</td><td>${esc(p.kind)}</td><td>${esc(p.channel)}</td><td class="num">${count(p.agentHours)}</td><td class="num">${count(p.paidHours)}</td><td class="num">${money(p.cost)}</td><td class="num">${pct(p.occupancy.mean)}</td></tr>`);
  }
  body.push(`<tr><th>total</th><td></td><td></td><td class="num">${count(r.totals.agentHours)}</td><td></td><td class="num">${money(r.totals.cost)}</td><td></td></tr></tbody></table>`);
  body.push(`</section>`);

  const chartData = { timeLabels: binLabels(f), zoomLabels: zoom !== null ? binLabels(zoom.frame) : [], dayLabels: days.map((d) => d.date), charts: data };

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="peakplan ${esc(o.version)}">
<title>${esc(r.scenario.name)} — peakplan report</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
<footer>Generated by peakplan ${esc(o.version)} from ${esc(r.scenario.file)} (seed ${r.seed}). This file is self-contained: it loads nothing from the network.</footer>
</main>
<div id="tip" role="tooltip"></div>
<script type="application/json" id="chart-data">${scriptJson(chartData)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
