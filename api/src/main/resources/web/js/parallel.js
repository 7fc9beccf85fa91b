// Parallel coordinates of a sweep with ECharts (served as a WebJar): one axis per varied parameter, the seed
// when there are several, and the chosen metric last; one line per experiment, coloured by the metric.
const D2CParallel = (() => {
  const GOOD = '#1f8a4c', MID = '#e0a000', BAD = '#c23b3b';

  /** The parameters whose values differ between the experiments, in first-seen order. */
  function variedKeys(experiments) {
    const keys = [...new Set(experiments.flatMap(e => Object.keys(e.params || {})))];
    return keys.filter(k => new Set(experiments.map(e => JSON.stringify((e.params || {})[k] ?? null))).size > 1);
  }

  function axis(dim, name, values) {
    if (values.every(v => typeof v === 'number')) return { dim, name, type: 'value', scale: true };
    // text, booleans and missing values: one category each, sorted so the axis reads the same on every redraw
    const cats = [...new Set(values.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return { dim, name, type: 'category', data: cats };
  }

  /**
   * Draws into `host` (a sized div): experiments = [{label, seed, params, value}], value = the metric's final
   * value (experiments without one are left out and counted in the returned note).
   * @return {axes, lines, skipped}
   */
  function render(host, experiments, metric) {
    const drawn = experiments.filter(e => typeof e.value === 'number' && Number.isFinite(e.value));
    if (!drawn.length) return { axes: 0, lines: 0, skipped: experiments.length };
    const dims = variedKeys(drawn).map(k => ({ name: k, get: e => (e.params || {})[k] ?? null }));
    if (new Set(drawn.map(e => e.seed)).size > 1) dims.push({ name: 'seed', get: e => e.seed });
    dims.push({ name: metric, get: e => e.value });
    const axes = dims.map((d, i) => axis(i, d.name, drawn.map(d.get)));
    const data = drawn.map(e => ({ name: e.label,
      value: dims.map((d, i) => axes[i].type === 'value' ? d.get(e) : String(d.get(e))) }));
    const values = drawn.map(e => e.value);
    const min = Math.min(...values), max = Math.max(...values);
    const colours = D2CMetrics.direction(metric) === 'higher' ? [BAD, MID, GOOD] : [GOOD, MID, BAD];
    const option = {
      animation: false,
      parallel: { left: 60, right: 110, top: 40, bottom: 30 },
      parallelAxis: axes.map(a => ({ ...a, nameTextStyle: { fontSize: 11 }, nameGap: 12 })),
      visualMap: { type: 'continuous', dimension: dims.length - 1, min, max: max > min ? max : min + 1, calculable: false,
        orient: 'vertical', right: 10, top: 'center', text: [D2C.num(max), D2C.num(min)], inRange: { color: colours } },
      // richText: the tooltip is drawn on the canvas, so no inline style meets the pages' CSP
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: p => p.name + '\n' + metric + ' ' + D2C.num(p.value[p.value.length - 1]) },
      series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.85 }, data }]
    };
    const chart = echarts.getInstanceByDom(host) || echarts.init(host, null, { renderer: 'canvas' });
    chart.setOption(option, true);
    host.dataset.axes = String(axes.length);
    host.dataset.lines = String(data.length);
    return { axes: axes.length, lines: data.length, skipped: experiments.length - drawn.length };
  }

  window.addEventListener('resize', () => document.querySelectorAll('[data-axes]').forEach(h => {
    const c = echarts.getInstanceByDom(h);
    if (c) c.resize();
  }));

  return { render, variedKeys };
})();
