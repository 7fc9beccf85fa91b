// An experiment's node graph as SVG: columns by depth (a node sits right of all its inputs),
// colour by status, dashed border for a cache hit, attempts and progress in the label.
const D2CGraph = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 136, H = 38, GX = 26, GY = 12;
  const COLORS = { SUCCEEDED: '#1f8a4c', RUNNING: '#2f6fdf', FAILED: '#c23b3b', CANCELLED: '#8a6d1f', PENDING: '#7a8494' };

  function svg(tag, attrs) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  /** @param nodes an experiment's nodes (GET /experiments/{id}, or an arm's in GET /sweeps/{id}); @param link node key -> href */
  function render(nodes, link) {
    const byKey = new Map(nodes.map(n => [n.key, n]));
    const depth = new Map();
    const depthOf = (n, seen) => {
      if (depth.has(n.key)) return depth.get(n.key);
      if (seen.has(n.key)) return 0;
      seen.add(n.key);
      let d = 0;
      for (const k of Object.values(n.input_keys || {})) {
        if (byKey.has(k)) d = Math.max(d, depthOf(byKey.get(k), seen) + 1);
      }
      depth.set(n.key, d);
      return d;
    };
    nodes.forEach(n => depthOf(n, new Set()));
    const columns = [];
    for (const n of nodes) {
      const d = depth.get(n.key);
      (columns[d] = columns[d] || []).push(n);
    }
    const pos = new Map();
    columns.forEach((col, c) => col.forEach((n, r) => pos.set(n.key, { x: 6 + c * (W + GX), y: 6 + r * (H + GY) })));
    const width = 12 + columns.length * (W + GX) - GX;
    const height = 12 + Math.max(1, ...columns.map(c => c.length)) * (H + GY) - GY;
    const root = svg('svg', { class: 'graph', viewBox: `0 0 ${width} ${height}`, width, role: 'img',
      'aria-label': 'node graph' });
    for (const n of nodes) {
      const to = pos.get(n.key);
      for (const k of Object.values(n.input_keys || {})) {
        const from = pos.get(k);
        if (from) root.append(svg('line', { x1: from.x + W, y1: from.y + H / 2, x2: to.x, y2: to.y + H / 2 }));
      }
    }
    for (const n of nodes) {
      const p = pos.get(n.key);
      const a = svg('a', { href: link(n.key), class: 'node', 'data-kind': n.kind, 'data-status': n.status });
      const title = svg('title', {});
      title.textContent = `${n.kind} ${n.key}\n${n.status}, attempts ${n.attempts}${n.cache_hit ? ', cache hit' : ''}`
        + (n.progress_message ? '\n' + n.progress_message : '');
      a.append(title);
      a.append(svg('rect', { x: p.x, y: p.y, width: W, height: H, fill: COLORS[n.status] || '#777',
        class: n.cache_hit ? 'cache' : '' }));
      const t1 = svg('text', { x: p.x + 6, y: p.y + 16 });
      t1.textContent = n.kind;
      const t2 = svg('text', { x: p.x + 6, y: p.y + 32 });
      const pct = n.status === 'RUNNING' && n.progress !== null ? ' ' + Math.round(n.progress * 100) + '%' : '';
      const word = n.status === 'SUCCEEDED' ? 'done' : n.status.toLowerCase();
      t2.textContent = word + pct + ' \u00b7 x' + n.attempts + (n.cache_hit ? ' \u00b7 cached' : '');
      a.append(t1, t2);
      root.append(a);
    }
    return root;
  }

  return { render };
})();
