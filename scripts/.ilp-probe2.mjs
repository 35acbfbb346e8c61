import highsLoader from 'highs';
import { readFileSync } from 'node:fs';
const j = JSON.parse(readFileSync('/tmp/b11.json', 'utf8'));
const need = j.plan.find((p) => p.pool === process.argv[2]).agents;
const n = need.length, day = 96;
const highs = await highsLoader();
const lengths = [4, 6, 8].map((h) => h * 4);
const carry = new Int32Array(n + 64);
let paid = 0; const t = Date.now(); let maxT = 0;
for (let d0 = 0; d0 < n; d0 += day) {
  const t1 = Date.now();
  const cols = [];
  const lo = d0 === 0 ? -32 : d0, hi = Math.min(n, d0 + day + 48);
  for (let s = lo; s < hi; s += 4) for (const L of lengths) {
    const brk = L >= 24 ? [12, 13, 14, 15, 16] : [null];
    for (const b of brk) {
      const cov = [];
      for (let k = 0; k < L; k++) { if (b !== null && (k === b || k === b + 1)) continue; const i = s + k; if (i >= 0 && i < n) cov.push(i); }
      if (cov.length) cols.push({ s, L, b, cov });
    }
  }
  const rows = new Map();
  cols.forEach((c, k) => c.cov.forEach((i) => { if (!rows.has(i)) rows.set(i, []); rows.get(i).push(`x${k}`); }));
  const lines = ['Minimize', ' obj: ' + cols.map((c, k) => `${c.L / 4} x${k}`).join(' + '), 'Subject To'];
  for (const [i, r] of rows) { const rest = need[i] - carry[i]; if (rest > 0 && i < hi + 32) lines.push(` c${i}: ${r.join(' + ')} >= ${rest}`); }
  lines.push('General', ' ' + cols.map((_, k) => `x${k}`).join(' '), 'End');
  const r = highs.solve(lines.join('\n'), { time_limit: 10, mip_rel_gap: 1e-3 });
  cols.forEach((c, k) => { const x = Math.round(r.Columns[`x${k}`].Primal); if (x > 0 && c.s < d0 + day) { paid += x * c.L / 4; c.cov.forEach((i) => carry[i] += x); } });
  maxT = Math.max(maxT, Date.now() - t1);
}
let short = 0; for (let i = 0; i < n; i++) if (carry[i] < need[i]) short++;
console.log('paid', paid, 'short', short, (Date.now() - t) + 'ms', 'max window', maxT);
