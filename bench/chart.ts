/**
 * The contention chart: commits/s against concurrent writers, one line per strategy, one facet
 * per dialect × key distribution. A Vega-Lite spec compiled to Vega and rendered headless to SVG
 * with `view.toSVG()` (no browser).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ContentionPoint } from './contention.js';

/** SVG text of the contention chart for `points`; `subtitle` names the machine and run. */
export async function contentionSvg(points: ContentionPoint[], subtitle: string): Promise<string> {
  const values = points.map((p) => ({
    database: p.dialect === 'pg' ? `PostgreSQL (${p.driver})` : `MariaDB (${p.driver})`,
    keys: p.distribution === 'zipf' ? 'zipf-skewed keys' : 'uniform keys',
    strategy: {
      optimistic: 'optimistic: versionedUpdate + retryOnConflict',
      pessimistic: 'pessimistic: SELECT … FOR UPDATE + UPDATE',
      versionedModify: 'versionedModify: optimistic, hot keys locked',
      atomic: 'atomic SET n = n + 1 (floor)',
    }[p.strategy],
    writers: p.writers,
    commits: Math.round(p.commitsPerSec),
  }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Read-modify-write increments: commits/s vs concurrent writers', subtitle, anchor: 'start' },
    data: { values },
    facet: {
      row: { field: 'database', type: 'nominal', sort: 'descending', title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } },
      column: { field: 'keys', type: 'nominal', title: null, header: { labelFontSize: 13 } },
    },
    spec: {
      width: 320,
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'writers', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { values: [1, 2, 4, 8, 16, 32, 64], format: 'd' }, title: 'concurrent writers (one connection each)' },
        y: { field: 'commits', type: 'quantitative', title: 'commits/s' },
        color: { field: 'strategy', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 } },
        tooltip: [{ field: 'strategy' }, { field: 'writers' }, { field: 'commits' }],
      },
    },
    config: { background: 'white', font: 'Helvetica, Arial, sans-serif' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
