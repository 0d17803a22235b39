import type { IngressReport, LoadPoint } from './ingress-vs-baseline.js';

const W = 640;
const H = 400;
const PAD = 56;

/** Latency (p50, p99 dashed) against throughput for Tally and the baseline, as a small SVG. */
export function latencyChartSvg(report: IngressReport): string {
  const series = (pick: (s: { tally: LoadPoint; baseline: LoadPoint }) => LoadPoint) => [
    pick(report.singleClient),
    ...report.rows.flatMap((r) => [
      pick({ tally: r.tally.half, baseline: r.baseline.half }),
      pick({ tally: r.tally.saturation, baseline: r.baseline.saturation }),
    ]),
  ];
  const lines = [
    { name: 'Tally', color: '#c0392b', points: series((s) => s.tally) },
    { name: 'bare Fastify', color: '#2c3e50', points: series((s) => s.baseline) },
  ];
  const all = lines.flatMap((l) => l.points);
  const maxX = Math.max(...all.map((p) => p.reqPerSec)) * 1.05 || 1;
  const maxY = Math.max(...all.map((p) => p.p99Ms)) * 1.05 || 1;
  const x = (v: number) => (PAD + (v / maxX) * (W - 2 * PAD)).toFixed(1);
  const y = (v: number) => (H - PAD - (v / maxY) * (H - 2 * PAD)).toFixed(1);
  const path = (points: LoadPoint[], key: 'p50Ms' | 'p99Ms') =>
    [...points]
      .sort((a, b) => a.reqPerSec - b.reqPerSec)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.reqPerSec)},${y(p[key])}`)
      .join(' ');
  const body = lines
    .map(
      (l, i) =>
        `<path d="${path(l.points, 'p50Ms')}" stroke="${l.color}" fill="none" stroke-width="2"/>` +
        `<path d="${path(l.points, 'p99Ms')}" stroke="${l.color}" fill="none" stroke-dasharray="5,4"/>` +
        l.points.map((p) => `<circle cx="${x(p.reqPerSec)}" cy="${y(p.p50Ms)}" r="3" fill="${l.color}"/>`).join('') +
        `<text x="${W - PAD - 120}" y="${PAD + 18 * i}" fill="${l.color}">${l.name}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#888"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#888"/>
<text x="${W / 2}" y="${H - 16}" text-anchor="middle">requests/s (max ${Math.round(maxX)})</text>
<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">latency ms (p50 solid, p99 dashed; max ${maxY.toFixed(1)})</text>
${body}
</svg>
`;
}
