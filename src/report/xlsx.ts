// The Excel workbook a manager opens (`--xlsx FILE` on simulate and plan), written with exceljs:
// a summary with every target and its verdict, the staffing per interval and pool (a column per
// pool), the roster when there is one, the intervals, the pools and the days. Times are real
// Excel date cells (the scenario's local wall-clock time), headers are frozen, shares are
// formatted as percentages, and what the scenario does not model is left empty. `--lang zh` gives
// Chinese headers. Same inputs → the same bytes: the workbook's dates are the scenario's start and
// the zip entries carry a fixed timestamp.

import type { Scenario } from '../scenario/types.js';
import type { Est, SimulationResult, TargetResult } from '../stats/summary.js';
import type { Staffing } from '../staffing/staffing.js';
import type { RosterResult } from '../roster/improve.js';
import { breakLengths, type ShiftCalendar } from '../roster/shifts.js';
import { targetText } from './table.js';

export type Lang = 'en' | 'zh';

export interface WorkbookInput {
  readonly scenario: Scenario;
  /** The run the intervals, pools, days and targets come from (the plan's verification for plan). */
  readonly result: SimulationResult;
  /** The staffing sheet's numbers (the plan, or the scenario's own staffing). */
  readonly staffing: Staffing;
  readonly title: string;
  /** Extra summary lines (cost of the naive plan, …) as [label, value]. */
  readonly facts?: readonly (readonly [string, string | number])[];
  readonly roster?: { readonly scenario: Scenario; readonly sc: ShiftCalendar; readonly result: RosterResult };
  readonly lang: Lang;
}

const ZH: Record<string, string> = {
  Summary: '摘要', Targets: '目标', Staffing: '排班', Roster: '班次', Intervals: '时段', Pools: '坐席组', Days: '每日',
  item: '项目', value: '数值', scenario: '场景', seed: '随机种子', replications: '重复次数', confidence: '置信度',
  'staffing cost': '人力成本', 'agent-hours': '坐席工时', 'paid hours': '计薪工时', verdict: '结论', target: '目标', scope: '范围',
  bound: '标准', mean: '均值', 'CI low': '置信下限', 'CI high': '置信上限', windows: '窗口数', meet: '达标', miss: '未达标', undecided: '未定',
  'worst window': '最差窗口', 'interval start': '时段开始', 'total agents': '坐席合计', cost: '成本', pool: '坐席组', 'shift start': '班次开始',
  hours: '时长(小时)', agents: '人数', 'shift hours': '班次工时', channel: '渠道', arrivals: '进线', 'bot resolved': '机器人解决',
  offered: '转人工', answered: '接起', abandoned: '放弃', 'service level': '服务水平', 'SL low': '服务水平下限', 'SL high': '服务水平上限',
  'SL threshold (s)': '服务水平阈值(秒)', abandonment: '放弃率', 'average wait (s)': '平均等待(秒)', 'p90 wait (s)': '90%等待(秒)',
  occupancy: '占用率', 'avg queue': '平均排队', kind: '类型', scheduled: '排班人数', present: '在岗人数', 'slot use': '会话位利用率',
  date: '日期', orders: '订单', shipped: '发货', 'shipped late': '发货延迟', delivered: '签收', 'delivered late': '签收延迟',
  'late parcels': '延误包裹', 'warehouse at day end': '日末待发货', 'in transit at day end': '日末在途', 'where-is-my-order': '查件咨询',
  returns: '退货', refunds: '退款', 'refunds late': '退款延迟', complaints: '投诉', 'complaints per 1,000 orders': '千单投诉',
  person: '人员', start: '开始', end: '结束', breaks: '休息',
  MEETS: '达标', MISSES: '未达标', UNDECIDED: '未定', pass: '通过', yes: '是', no: '否',
};

const DATE_FMT = 'yyyy-mm-dd hh:mm';

/** The zip's DOS time and date fields, fixed (1980-01-01 00:00), so the same workbook is the same bytes. */
function fixZipTimes(buf: Buffer): Buffer {
  for (let i = 0; i + 4 <= buf.length; i++) {
    const sig = buf.readUInt32LE(i);
    if (sig === 0x04034b50 && i + 14 <= buf.length) { buf.writeUInt16LE(0, i + 10); buf.writeUInt16LE(0x21, i + 12); }
    else if (sig === 0x02014b50 && i + 16 <= buf.length) { buf.writeUInt16LE(0, i + 12); buf.writeUInt16LE(0x21, i + 14); }
  }
  return buf;
}

export async function workbookBuffer(w: WorkbookInput): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const t = (s: string) => (w.lang === 'zh' ? ZH[s] ?? s : s);
  const s = w.scenario, cal = s.calendar, r = w.result;
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(cal.startMs);
  wb.creator = 'peakplan';
  wb.created = fixed;
  wb.modified = fixed;
  // the scenario's wall-clock time as an Excel date (Excel dates have no time zone)
  const local = (ms: number) => new Date(ms + cal.offsetMinutes * 60000);
  const localIso = (iso: string) => {
    const [d, h] = iso.slice(0, 16).split('T');
    const [y, mo, da] = d.split('-').map(Number), [hh, mi] = h.split(':').map(Number);
    return new Date(Date.UTC(y, mo - 1, da, hh, mi));
  };
  const val = (e: Est, on = true) => (on && Number.isFinite(e.mean) ? e.mean : null);
  const sheet = (name: string, headers: string[], widths: number[] = []) => {
    const ws = wb.addWorksheet(t(name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = headers.map((h, i) => ({ header: t(h), width: widths[i] ?? Math.max(10, t(h).length + 2) }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  const formats = (ws: { getColumn(i: number): { numFmt?: string } }, f: Record<number, string>) => { for (const [i, fmt] of Object.entries(f)) ws.getColumn(Number(i)).numFmt = fmt; };

  // Summary and targets
  const sum = sheet('Summary', ['item', 'value'], [34, 60]);
  const pass = r.targets.every((x) => x.pass);
  const facts: (readonly [string, string | number])[] = [
    [t('scenario'), `${s.name} (${s.file})`], [t('seed'), s.seed], [t('replications'), r.replications],
    [t('confidence'), r.decision.confidence], [t('staffing cost'), Math.round(r.totals.cost)], [t('agent-hours'), Math.round(r.totals.agentHours * 100) / 100],
    [t('pass'), t(pass ? 'yes' : 'no')], ...(w.facts ?? []).map(([k, v]) => [t(k), v] as const),
  ];
  sum.addRow([w.title, '']).font = { bold: true };
  for (const [k, v] of facts) sum.addRow([k, v]);
  const tg = sheet('Targets', ['target', 'scope', 'bound', 'mean', 'CI low', 'CI high', 'verdict', 'windows', 'meet', 'miss', 'undecided', 'worst window'], [60, 10, 10, 10, 10, 10, 12, 10, 8, 8, 10, 18]);
  for (const x of r.targets as readonly TargetResult[]) {
    tg.addRow([targetText(x), x.scope, x.bound, val(x.value), Number.isFinite(x.value.lo) ? x.value.lo : null, Number.isFinite(x.value.hi) ? x.value.hi : null,
      t(x.verdict === 'meets' ? 'MEETS' : x.verdict === 'misses' ? 'MISSES' : x.verdict === 'undecided' ? 'UNDECIDED' : '–'), x.evaluated, x.meets, x.misses, x.undecided,
      x.worstStart !== null ? localIso(x.worstStart) : null]);
  }
  tg.getColumn(12).numFmt = DATE_FMT;

  // Staffing: a column per pool
  const st = sheet('Staffing', ['interval start', ...s.pools.map((p) => p.name), 'total agents', 'cost'], [18]);
  const h = cal.intervalSec / 3600;
  for (let i = 0; i < cal.intervals; i++) {
    let agents = 0, cost = 0;
    s.pools.forEach((p, pi) => { agents += w.staffing[pi][i]; cost += (w.staffing[pi][i] * h * p.costPerHour) / (1 - p.shrinkage); });
    st.addRow([local(cal.startMs + i * cal.intervalSec * 1000), ...s.pools.map((_, pi) => w.staffing[pi][i]), agents, Math.round(cost * 100) / 100]);
  }
  st.getColumn(1).numFmt = DATE_FMT;

  if (w.roster !== undefined) {
    // a row per person and shift, as --roster-out
    const ro = sheet('Roster', ['person', 'pool', 'date', 'start', 'end', 'breaks', 'paid hours', 'cost'], [16, 16, 12, 18, 18, 20]);
    const rs = w.roster.scenario, sc = w.roster.sc, riv = rs.calendar.intervalSec;
    const clock = (i: number) => { const sec = sc.clock(i); return `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`; };
    const rows: { start: number; pool: number; cells: (string | number | Date)[] }[] = [];
    for (const x of w.roster.result.pools) {
      if (x.people === null) continue;
      const p = rs.pools[x.pool];
      for (const sh of x.people.shifts) {
        const bl = breakLengths(sh.len, riv, p.roster);
        rows.push({ start: sh.start, pool: x.pool, cells: [sh.person, p.name, sc.date(sh.day), local(cal.startMs + sh.start * riv * 1000), local(cal.startMs + (sh.start + sh.len) * riv * 1000), sh.breaks.map((b, k) => `${clock(b)}-${clock(b + bl[k])}`).join('; '), sh.paidHours, sh.paidHours * p.costPerHour] });
      }
    }
    rows.sort((a, b) => a.start - b.start || a.pool - b.pool || (a.cells[0] < b.cells[0] ? -1 : a.cells[0] > b.cells[0] ? 1 : 0));
    for (const r0 of rows) ro.addRow(r0.cells);
    ro.getColumn(4).numFmt = DATE_FMT;
    ro.getColumn(5).numFmt = DATE_FMT;
  }

  const iv = sheet('Intervals', ['interval start', 'channel', 'arrivals', 'bot resolved', 'offered', 'answered', 'abandoned', 'service level', 'SL low', 'SL high',
    'SL threshold (s)', 'abandonment', 'average wait (s)', 'p90 wait (s)', 'occupancy', 'agents', 'avg queue'], [18]);
  for (const x of r.rows) {
    iv.addRow([localIso(x.start), x.channel, val(x.arrivals), val(x.botResolved), val(x.offered), val(x.answered), val(x.abandoned), val(x.serviceLevel),
      Number.isFinite(x.serviceLevel.lo) ? x.serviceLevel.lo : null, Number.isFinite(x.serviceLevel.hi) ? x.serviceLevel.hi : null, x.slWithinSec,
      val(x.abandonRate), val(x.averageWait), val(x.p90Wait), val(x.occupancy), val(x.agents), val(x.queue)]);
  }
  formats(iv, { 1: DATE_FMT, 3: '0.0', 4: '0.0', 5: '0.0', 6: '0.0', 7: '0.0', 8: '0.0%', 9: '0.0%', 10: '0.0%', 12: '0.0%', 13: '0.0', 14: '0.0', 15: '0.0%', 16: '0.0', 17: '0.00' });

  const meta = new Map(r.pools.map((p) => [p.pool, p]));
  const po = sheet('Pools', ['interval start', 'pool', 'kind', 'channel', 'scheduled', 'present', 'occupancy', 'slot use'], [18]);
  for (const x of r.poolRows) po.addRow([localIso(x.start), x.pool, meta.get(x.pool)?.kind ?? '', meta.get(x.pool)?.channel ?? '', val(x.scheduled), val(x.present), val(x.occupancy), val(x.slotUtilisation)]);
  formats(po, { 1: DATE_FMT, 5: '0.0', 6: '0.0', 7: '0.0%', 8: '0.0%' });

  const dv = r.drivers;
  const dy = sheet('Days', ['date', 'orders', 'shipped', 'shipped late', 'delivered', 'delivered late', 'late parcels', 'warehouse at day end', 'in transit at day end',
    'where-is-my-order', 'returns', 'refunds', 'refunds late', 'complaints', 'complaints per 1,000 orders', ...r.channels.map((c) => `${t('arrivals')} ${c.channel}`)], [12]);
  for (const d of r.days) {
    const [y, mo, da] = d.date.split('-').map(Number);
    dy.addRow([new Date(Date.UTC(y, mo - 1, da)), val(d.orders, dv.orders), val(d.shipped, dv.logistics), val(d.shippedLate, dv.logistics), val(d.delivered, dv.logistics),
      val(d.deliveredLate, dv.logistics), val(d.lateParcels, dv.logistics), val(d.warehouseEnd, dv.logistics), val(d.inTransitEnd, dv.logistics), val(d.wismo, dv.logistics),
      val(d.returns, dv.returns), val(d.refunds, dv.returns), val(d.refundsLate, dv.returns), val(d.complaints, dv.complaints),
      val(d.complaintsPer1000Orders, dv.orders && dv.complaints), ...d.channels.map((c) => val(c.arrivals))]);
  }
  dy.getColumn(1).numFmt = 'yyyy-mm-dd';

  const out = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimes(out);
}
