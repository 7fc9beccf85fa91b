// Charts with Chart.js (served as a WebJar): training curves per node and FID curves.
const D2CCharts = (() => {
  const PALETTE = ['#2f6fdf', '#c23b3b', '#1f8a4c', '#8a6d1f', '#7b3fb5', '#e07b00', '#00838f', '#5b6575'];
  const charts = new Map();

  /** Draws or updates a line chart in `canvas`: series = [{label, points: [{x, y}]}]. */
  function lines(canvas, series, xTitle, yTitle) {
    const datasets = series.map((s, i) => ({ label: s.label, data: s.points, parsing: false, borderWidth: 1.5,
      pointRadius: s.points.length > 40 ? 0 : 2, borderColor: PALETTE[i % PALETTE.length],
      backgroundColor: PALETTE[i % PALETTE.length] }));
    const old = charts.get(canvas);
    if (old) {
      old.data.datasets = datasets;
      old.update('none');
      return old;
    }
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: 'nearest', intersect: false },
        scales: { x: { type: 'linear', title: { display: true, text: xTitle } },
                  y: { type: 'linear', title: { display: true, text: yTitle } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
      }
    });
    charts.set(canvas, chart);
    canvas.dataset.points = String(series.reduce((n, s) => n + s.points.length, 0));
    return chart;
  }

  /** Loss curves of training nodes: nodes = [{key, kind, label}], one chart per kind into `host`. */
  async function lossCurves(host, nodes, metric) {
    const byKind = new Map();
    for (const n of nodes) {
      if (!byKind.has(n.kind)) byKind.set(n.kind, []);
      byKind.get(n.kind).push(n);
    }
    for (const [kind, list] of byKind) {
      let card = Array.from(host.children).find(c => c.dataset.kind === kind);
      if (!card) {
        card = D2C.el('div', { class: 'card loss-curve', 'data-kind': kind }, D2C.el('h3', { text: kind + ' \u00b7 ' + metric }),
          D2C.el('div', { class: 'chart' }, D2C.el('canvas', { 'aria-label': kind + ' ' + metric })));
        host.append(card);
      }
      const series = [];
      for (const n of list) {
        const data = await D2C.get('/runs/' + encodeURIComponent(n.key) + '/metrics?name=' + encodeURIComponent(metric));
        const points = (data.series[metric] || []).map(p => ({ x: p.step, y: p.value }));
        if (points.length) series.push({ label: n.label, points });
      }
      const canvas = card.querySelector('canvas');
      if (series.length && canvas) lines(canvas, series, 'step', metric);
    }
  }

  return { lines, lossCurves };
})();
