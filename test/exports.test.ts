// Exports a manager opens: every CSV writer takes --excel (a BOM, CRLF, times Excel reads as dates)
// and peakplan reads its Excel form back; the staffing sheet (a column per pool), the per-pool
// interval CSV, and blanks — not zeros — for what a scenario does not model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const rows = (file: string) => parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

describe('plan exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-exports-'));
  const iso = join(dir, 'plan.csv'), excel = join(dir, 'plan-excel.csv'), sheet = join(dir, 'staffing.csv');
  const a = run(['plan', 'fixtures/small.yaml', '--out', iso, '--no-progress', '--json']);
  const b = run(['plan', 'fixtures/small.yaml', '--out', excel, '--staffing-out', sheet, '--excel', '--no-progress']);
  it('plans exit 0', () => {
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
  });
  it('--excel writes a BOM, CRLF and local times Excel reads as dates', () => {
    const text = readFileSync(excel, 'utf8');
    expect(text.startsWith('\uFEFFinterval_start,pool,agents\r\n')).toBe(true);
    expect(text.split('\r\n')[1]).toMatch(/^2026-11-11 00:00,chat_team,\d+$/);
  });
  it('the Excel form reads back: simulate gives byte-identical JSON with either file', () => {
    const x = run(['simulate', 'fixtures/small.yaml', '--plan', iso, '--json', '--reps', '3']);
    const y = run(['simulate', 'fixtures/small.yaml', '--plan', excel, '--json', '--reps', '3']);
    expect(x.status, x.stderr).toBe(0);
    expect(y.stdout.replace(/"plan": "[^"]*"/, '')).toBe(x.stdout.replace(/"plan": "[^"]*"/, ''));
  });
  it('the staffing sheet has a row per interval and a column per pool, with totals and cost', () => {
    const plan = rows(iso), wide = rows(sheet);
    expect(Object.keys(wide[0])).toEqual(['interval_start', 'chat_team', 'total_agents', 'total_cost']);
    expect(wide).toHaveLength(plan.length); // one pool
    wide.forEach((w, i) => {
      expect(w.chat_team).toBe(plan[i].agents);
      expect(w.total_agents).toBe(plan[i].agents);
    });
    // the cost of the sheet adds up to the plan's cost (JSON)
    const total = wide.reduce((s, w) => s + Number(w.total_cost), 0);
    expect(total).toBeCloseTo(JSON.parse(a.stdout).cost, 6);
  });
});

describe('simulate exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-exports-'));
  it('--pool-csv: a row per report interval and pool, agents and occupancy as the JSON has them', () => {
    const file = join(dir, 'pools.csv');
    const r = run(['simulate', 'fixtures/small.yaml', '--reps', '3', '--pool-csv', file, '--excel', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const p = rows(file);
    expect(p).toHaveLength(j.poolRows.length);
    expect(p[0].interval_start).toMatch(/^2026-11-11 00:00$/);
    p.forEach((x, i) => {
      expect(x.pool).toBe(j.poolRows[i].pool);
      expect(Number(x.present)).toBeCloseTo(j.poolRows[i].present.mean, 6);
    });
  });
  it('the day CSV leaves what the scenario does not model blank, not 0', () => {
    const plain = join(dir, 'plain-days.csv'), orders = join(dir, 'order-days.csv');
    expect(run(['simulate', 'fixtures/small.yaml', '--reps', '2', '--daily-csv', plain]).status).toBe(0);
    expect(run(['simulate', 'fixtures/orders-small.yaml', '--reps', '2', '--daily-csv', orders]).status).toBe(0);
    const d = rows(plain)[0];
    for (const k of ['orders', 'shipped', 'late_parcels', 'returns', 'complaints', 'complaints_per_1000_orders']) expect(d[k], k).toBe('');
    expect(Number(d.arrivals_chat)).toBeGreaterThan(0);
    const o = rows(orders);
    expect(o.some((x) => Number(x.orders) > 0)).toBe(true);
    expect(o.every((x) => x.orders !== '' && x.shipped !== '')).toBe(true);
  });
});

describe('--xlsx: the workbook', async () => {
  const { default: ExcelJS } = await import('exceljs');
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-xlsx-'));
  const book = join(dir, 'plan.xlsx'), again = join(dir, 'again.xlsx'), zh = join(dir, 'zh.xlsx'), csv = join(dir, 'plan.csv');
  const p = run(['plan', 'scenarios/teaching-chat.yaml', '--shifts', '--xlsx', book, '--out', csv, '--json', '--no-progress']);
  const q = run(['plan', 'scenarios/teaching-chat.yaml', '--shifts', '--xlsx', again, '--no-progress']);
  const z = run(['simulate', 'fixtures/orders-small.yaml', '--reps', '3', '--xlsx', zh, '--lang', 'zh']);
  const read = async (f: string) => { const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(f); return wb; };
  it('is written, and the same inputs give the same bytes', () => {
    for (const r of [p, q, z]) expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(book).equals(readFileSync(again))).toBe(true);
  });
  it('has the sheets, frozen headers and real date cells; staffing and targets as the plan has them', async () => {
    const wb = await read(book);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Targets', 'Staffing', 'Roster', 'Intervals', 'Pools', 'Days']);
    const st = wb.getWorksheet('Staffing')!;
    expect(st.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const first = st.getRow(2).getCell(1).value;
    expect(first).toBeInstanceOf(Date);
    // the scenario's wall-clock time (its first interval, +08:00) as the cell's date
    expect((first as Date).toISOString()).toBe(`${rows(csv)[0].interval_start.slice(0, 16)}:00.000Z`);
    const j = JSON.parse(p.stdout);
    const plan = rows(csv).filter((r) => r.pool === 'desk').map((r) => Number(r.agents));
    const col = (st.getRow(1).values as string[]).indexOf('desk');
    const sheet: number[] = [];
    st.eachRow((row, n) => { if (n > 1) sheet.push(Number(row.getCell(col).value)); });
    expect(sheet).toEqual(plan);
    expect(wb.getWorksheet('Targets')!.rowCount - 1).toBe(j.targets.length);
    const shifts = j.roster.pools.reduce((a: number, x: { shifts: unknown[] }) => a + x.shifts.length, 0);
    expect(wb.getWorksheet('Roster')!.rowCount - 1).toBe(shifts);
  });
  it('--lang zh gives Chinese sheet names and headers; a day without orders stays empty', async () => {
    const wb = await read(zh);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['摘要', '目标', '排班', '时段', '坐席组', '每日']);
    expect(wb.getWorksheet('时段')!.getRow(1).values).toContain('服务水平');
    const days = wb.getWorksheet('每日')!;
    expect(days.getRow(1).values).toContain('订单');
    expect(typeof days.getRow(2).getCell(2).value).toBe('number');
  });
  it('bad --lang or a name without .xlsx: exit 2, nothing written', () => {
    const bad = run(['simulate', 'fixtures/small.yaml', '--xlsx', join(dir, 'x.xlsx'), '--lang', 'fr']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("error: --lang: must be en or zh, got 'fr'");
    const name = run(['simulate', 'fixtures/small.yaml', '--xlsx', join(dir, 'x.csv')]);
    expect(name.status).toBe(2);
    expect(name.stderr).toMatch(/--xlsx: the workbook's name must end in \.xlsx/);
  });
});
