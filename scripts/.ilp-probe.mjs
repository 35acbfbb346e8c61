import highsLoader from 'highs';
import { readFileSync } from 'node:fs';
const j = JSON.parse(readFileSync('/tmp/b11.json', 'utf8'));
const need = j.plan.find((p) => p.pool === process.argv[2]).agents;
const n = need.length, iv = 900;
const highs = await highsLoader();
const lengths = [4, 6, 8].map((h) => h * 4);
const cols = [];
for (let s = -32; s < n; s += 4) for (const L of lengths) {
  const brk = L >= 24 ? (process.argv[3] === "1" ? [14] : [12, 13, 14, 15, 16]) : [null]; // 30m break starting 3h..4h after start
  for (const b of brk) {
    const cov = [];
    for (let k = 0; k < L; k++) { if (b !== null && (k === b || k === b + 1)) continue; const i = s + k; if (i >= 0 && i < n) cov.push(i); }
    if (cov.some((i) => need[i] > 0)) cols.push({ s, L, b, cov });
  }
}
const rows = Array.from({ length: n }, () => []);
cols.forEach((c, k) => c.cov.forEach((i) => rows[i].push(`x${k}`)));
const lines = ['Minimize', ' obj: ' + cols.map((c, k) => `${c.L / 4} x${k}`).join(' + '), 'Subject To'];
for (let i = 0; i < n; i++) if (need[i] > 0) lines.push(` c${i}: ${rows[i].join(' + ')} >= ${need[i]}`);
lines.push('General', ' ' + cols.map((_, k) => `x${k}`).join(' '), 'End');
const t = Date.now();
const r = highs.solve(lines.join('\n'), { time_limit: 60, mip_rel_gap: 1e-3 });
let paid = 0; cols.forEach((c, k) => { paid += Math.round(r.Columns[`x${k}`].Primal) * c.L / 4; });
console.log(cols.length, 'cols', r.Status, 'obj', r.ObjectiveValue, 'paid', paid, 'need h', need.reduce((a, b) => a + b, 0) / 4, (Date.now() - t) + 'ms');
