// plan --shifts on a rostered week (fixtures/roster/week.yaml), run as a user runs it: the roster
// of people keeps the labour rules, its CSVs add up, what the rules cannot cover is named, the
// roster round-trips through check --roster (the same verdicts on the same replications) and
// simulate --roster, and a roster CSV with mistakes is refused with a located one-line error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'peakplan.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const FIXTURE = 'fixtures/roster/week.yaml';
const local = (iso: string) => iso.slice(11, 16); // 'HH:MM' of an ISO time at the scenario's offset
const hours = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 3.6e6;

describe('plan --shifts on a rostered week', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peakplan-roster-'));
  const rosterCsv = join(dir, 'roster.csv'), coverageCsv = join(dir, 'coverage.csv'), planCsv = join(dir, 'plan.csv');
  let j: any, p: ReturnType<typeof run>;
  let rows: Record<string, string>[];
  beforeAll(() => {
    p = run(['plan', FIXTURE, '--shifts', '--roster-out', rosterCsv, '--coverage-out', coverageCsv, '--out', planCsv, '--json', '--no-progress']);
    j = JSON.parse(p.stdout);
    rows = parse(readFileSync(rosterCsv, 'utf8'), { columns: true });
  }, 120_000);

  it('writes a roster per person that keeps the rules of the scenario', () => {
    expect(Object.keys(rows[0])).toEqual(['person', 'pool', 'date', 'start', 'end', 'breaks', 'paid_hours', 'cost']);
    const byPerson = new Map<string, Record<string, string>[]>();
    for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
    for (const [, list] of byPerson) {
      list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      for (let k = 1; k < list.length; k++) expect(hours(list[k - 1].end, list[k].start)).toBeGreaterThanOrEqual(11); // rest 11h
      expect(new Set(list.map((r) => r.date)).size).toBe(list.length); // one shift a day
      expect(list.length).toBeLessThanOrEqual(6); // a day off in the week
      expect(list.reduce((a, r) => a + Number(r.paid_hours), 0)).toBeLessThanOrEqual(40); // weekly hours
      const days = list.map((r) => Date.parse(`${r.date}T00:00:00Z`) / 864e5);
      let run = 1, most = 1;
      for (let k = 1; k < days.length; k++) { run = days[k] === days[k - 1] + 1 ? run + 1 : 1; most = Math.max(most, run); }
      expect(most).toBeLessThanOrEqual(5); // five days in a row
      for (const r of list) {
        const len = hours(r.start, r.end);
        expect([4, 6, 8]).toContain(len);
        const startClock = local(r.start);
        expect(startClock >= '06:00' && startClock < '20:00').toBe(true);
        // an unpaid 30-minute break 3–5 hours in, for shifts of 6 hours or more
        if (len >= 6) {
          const [b0, b1] = r.breaks.split('-');
          const off = ((Number(b0.slice(0, 2)) * 60 + Number(b0.slice(3))) - (Number(startClock.slice(0, 2)) * 60 + Number(startClock.slice(3))) + 1440) % 1440;
          expect(off).toBeGreaterThanOrEqual(180);
          expect(off).toBeLessThanOrEqual(300);
          expect(((Number(b1.slice(0, 2)) * 60 + Number(b1.slice(3))) - (Number(b0.slice(0, 2)) * 60 + Number(b0.slice(3))) + 1440) % 1440).toBe(30);
          expect(Number(r.paid_hours)).toBe(len - 0.5);
        } else {
          expect(r.breaks).toBe('');
          expect(Number(r.paid_hours)).toBe(len);
        }
        expect(Number(r.cost)).toBeCloseTo(Number(r.paid_hours) * 40, 9);
      }
    }
    const desk = j.roster.pools[0];
    expect(rows.reduce((a, r) => a + Number(r.paid_hours), 0)).toBeCloseTo(desk.paidHours, 9);
    expect(desk.violations).toEqual([]);
  });

  it('coverage per interval: working is scheduled less breaks, at most a quarter on break, over/under against the plan', () => {
    const cov: Record<string, string>[] = parse(readFileSync(coverageCsv, 'utf8'), { columns: true });
    const plan: Record<string, string>[] = parse(readFileSync(planCsv, 'utf8'), { columns: true });
    expect(Object.keys(cov[0])).toEqual(['interval_start', 'pool', 'required', 'gross_required', 'scheduled', 'on_break', 'working', 'productive', 'over_under']);
    expect(cov.length).toBe(plan.length);
    cov.forEach((c, k) => {
      const n = (x: string) => Number(c[x]);
      expect(c.interval_start).toBe(plan[k].interval_start);
      expect(n('required')).toBe(Number(plan[k].agents));
      expect(n('working')).toBe(n('scheduled') - n('on_break'));
      expect(n('productive')).toBe(n('working')); // no absence in this scenario
      expect(n('over_under')).toBe(n('productive') - n('required'));
      expect(n('on_break')).toBeLessThanOrEqual(Math.max(1, Math.floor(0.25 * n('scheduled'))));
    });
  });

  it('names what the rules cannot cover: the small hours, past the last shift (19:30 + 8 h)', () => {
    const u = j.roster.pools[0].uncovered as { start: string; agents: number }[];
    expect(u.length).toBeGreaterThan(0);
    for (const x of u) expect(local(x.start) >= '03:30' && local(x.start) < '06:00', x.start).toBe(true);
    expect(p.stderr).toMatch(new RegExp(`^peakplan: the roster rules leave ${u.length} interval\\(s\\) of desk's plan uncovered, first \\d\\d-\\d\\d 03:30; no allowed shift covers them`, 'm'));
  });

  it('reports the two-step roster against the one improved with the simulation, on the same fresh replications', () => {
    const r = j.roster;
    expect(r.twoStep.targets.map((t: any) => t.replications)).toEqual(r.targets.map((t: any) => t.replications));
    expect(r.paidHours).toBeGreaterThan(0);
    expect(r.twoStep.paidHours).toBeGreaterThan(0);
    expect(r.pools[0].status).toBe('Optimal');
    expect(r.pools[0].gap).toBeLessThan(1e-3);
    const pass = r.targets.every((t: any) => t.verdict !== 'misses');
    expect(p.status).toBe(pass && j.pass === true ? 0 : 1);
  });

  it('round trip: check --roster judges the roster CSV on the very same replications, with the same verdicts', () => {
    const c = run(['check', FIXTURE, '--roster', rosterCsv, '--json', '--no-progress']);
    const cj = JSON.parse(c.stdout);
    const pick = (ts: any[]) => ts.map((t) => [t.path, t.verdict, t.meets, t.misses, t.undecided, t.replications]);
    expect(pick(cj.targets)).toEqual(pick(j.roster.targets));
  });

  it('round trip: simulate --roster staffs each interval with the roster\'s working people', () => {
    const sres = run(['simulate', FIXTURE, '--roster', rosterCsv, '--interval', '30m', '--reps', '2', '--json']);
    expect(sres.status, sres.stderr).toBe(0);
    const sj = JSON.parse(sres.stdout);
    const staffed = sj.poolRows.filter((r: any) => r.pool === 'desk').map((r: any) => r.scheduled.mean);
    expect(staffed).toEqual(j.roster.pools[0].coverage.productive);
  });

  it('report --roster draws the roster as a day × hour heat-map whose cells add up to the hours on shift', () => {
    const html = join(dir, 'roster.html');
    const r = run(['report', FIXTURE, '--roster', rosterCsv, '--reps', '2', '--html', html, '--no-progress']);
    expect(r.status, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    const table = /<table class="heatmap" data-pool="desk">([\s\S]*?)<\/table>/.exec(page)![1];
    const trs = table.match(/<tr><td>[\s\S]*?<\/tr>/g)!;
    expect(trs.length).toBe(7);
    let sum = 0;
    for (const tr of trs) {
      const cells = tr.match(/<td class="heat"[^>]*>([^<]*)<\/td>/g)!;
      expect(cells.length).toBe(24);
      for (const c of cells) sum += Number(/>([^<]*)</.exec(c)![1] || 0);
    }
    // person-hours on shift inside the horizon, from the roster CSV
    const h0 = Date.parse('2026-11-09T00:00:00+08:00'), h1 = h0 + 7 * 864e5;
    const onShift = rows.reduce((a, x) => a + Math.max(0, Math.min(h1, Date.parse(x.end)) - Math.max(h0, Date.parse(x.start))) / 3.6e6, 0);
    expect(sum).toBeCloseTo(onShift, 6);
  });

  it.each([
    ['person,pool,start,end\nann,kitchen,2026-11-09T08:00+08:00,2026-11-09T12:00+08:00\n', /:2:\d+: pool: unknown pool 'kitchen'.*\(the scenario has: desk\)$/],
    ['person,pool,start,end\nann,desk,2026-11-09T08:00+08:00,2026-11-09T12:00+08:00\nann,desk,2026-11-09T11:00+08:00,2026-11-09T15:00+08:00\n', /:3:\d+: start: ann already works a shift that overlaps this one \(line 2\)$/],
    ['person,pool,start,end,breaks\nann,desk,2026-11-09T08:00+08:00,2026-11-09T12:00+08:00,13:00-13:30\n', /:2:\d+: breaks: the break '13:00-13:30' does not lie inside the shift$/],
    ['person,pool,start,end\nann,desk,2026-11-09T08:10+08:00,2026-11-09T12:00+08:00\n', /:2:\d+: start: '2026-11-09T08:10\+08:00' is not on the scenario's 30-minute interval grain$/],
    ['person,pool,start\nann,desk,2026-11-09T08:00+08:00\n', /end/],
  ])('a roster with a mistake is refused, located, exit 2, nothing written (%#)', (text, message) => {
    const bad = join(dir, `bad-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(bad, text);
    const out = join(dir, 'never.json');
    const c = run(['simulate', FIXTURE, '--roster', bad, '--csv', out]);
    expect(c.status).toBe(2);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr.trim()).toMatch(message);
    expect(c.stderr).toContain(bad);
    expect(existsSync(out)).toBe(false);
  });

  it('a headcount too small for the plan ends with exit 1, the binding rules named', () => {
    const q = run(['plan', FIXTURE, '--shifts', '--set', 'pools.desk.roster.people=5', '--no-progress', '--roster-rounds', '4']);
    expect(q.status).toBe(1);
    expect(q.stderr).toMatch(/^peakplan: the roster rules leave \d+ interval\(s\) of desk's plan uncovered, first .*; binding: people on 2026-11-\d\d \(headcount 5\)/m);
    expect(q.stderr).toMatch(/^peakplan: the roster misses targets\[0\]/m);
  });
});
