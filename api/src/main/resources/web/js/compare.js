// Experiments side by side (/ui/compare.html?ids=a,b,...): each fetched on its own through GET
// /api/v1/experiments/{id} (no sweep is planned or read), then the config keys that differ, the metric table
// with the best of each column marked, overlaid loss curves (the sweep page's charts) and the sample sheets.
(() => {
  const { el } = D2C;
  D2C.header();
  const $ = s => document.getElementById(s);
  const IMAGE_NODES = ['sample', 'decode-stage1', 'sample-rdpm'];
  const MAX = 12;
  const MISSING = '\u2013';

  function label(e, i) {
    const name = e.name || 'arm ' + e.arm_index;
    return '#' + (i + 1) + ' ' + (name.includes('seed=') ? name : name + ' \u00b7 seed ' + e.seed);
  }

  /** A config as dotted key -> JSON text of each leaf (arrays are leaves: a list of widths is one setting). */
  function flatten(value, prefix, out) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (!keys.length && prefix) out.set(prefix, '{}');
      keys.forEach(k => flatten(value[k], prefix ? prefix + '.' + k : k, out));
    } else if (prefix) {
      out.set(prefix, JSON.stringify(value));
    }
    return out;
  }

  function renderExperiments(list) {
    $('compare-experiments').tBodies[0].replaceChildren(...list.map((e, i) => el('tr', { 'data-id': e.id },
      el('td', { text: '#' + (i + 1) }),
      el('td', {}, el('a', { href: '/ui/experiment.html?id=' + encodeURIComponent(e.id) }, label(e, i).replace(/^#\d+ /, '')),
        el('div', { class: 'muted', text: e.id })),
      el('td', {}, el('a', { href: '/ui/sweep.html?id=' + encodeURIComponent(e.sweep_id) }, e.sweep_id)),
      el('td', {}, D2C.badge(e.status)),
      el('td', {}, D2C.tags(e.tags), e.note ? el('div', { class: 'muted note', text: e.note }) : null))));
  }

  function renderDiff(list) {
    const flat = list.map(e => flatten(e.config || {}, '', new Map()));
    const keys = [...new Set(flat.flatMap(f => Array.from(f.keys())))].sort();
    const differing = keys.filter(k => new Set(flat.map(f => f.has(k) ? f.get(k) : undefined)).size > 1);
    if (!differing.length) {
      $('config-diff').replaceChildren(el('p', { class: 'muted', id: 'config-same', text: 'The configs are identical ('
        + keys.length + ' keys).' }));
      return;
    }
    const head = el('tr', {}, el('th', { text: 'Key' }), ...list.map((e, i) => el('th', { text: label(e, i) })));
    const rows = differing.map(k => el('tr', { 'data-key': k }, el('th', { scope: 'row', text: k }),
      ...flat.map(f => f.has(k) ? el('td', { text: f.get(k) }) : el('td', { class: 'missing', text: MISSING }))));
    $('config-diff').replaceChildren(el('p', { class: 'muted', text: differing.length + ' of ' + keys.length + ' keys differ.' }),
      el('table', { id: 'config-diff-table' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  /** Metric name -> value of an experiment: its succeeded evaluate nodes' results (the last one wins, as in the report). */
  function metricsOf(e) {
    const out = {};
    for (const n of e.nodes.filter(n => n.kind === 'evaluate' && n.status === 'SUCCEEDED')) {
      Object.assign(out, (n.result && n.result.metrics) || {});
    }
    return out;
  }

  function renderMetrics(list) {
    const values = list.map(metricsOf);
    const names = [...new Set(values.flatMap(v => Object.keys(v)))].filter(m => !D2CMetrics.auxiliary(m));
    if (!names.length) {
      $('metrics').replaceChildren(el('p', { class: 'muted', text: 'No experiment has scores yet.' }));
      return;
    }
    const best = new Map(names.map(m => [m, D2CMetrics.best(m, values.map(v => v[m]))]));
    const head = el('tr', {}, el('th', { text: 'Experiment' }), ...names.map(m => {
      const dir = D2CMetrics.direction(m);
      return el('th', { class: 'num', 'data-metric': m, 'data-direction': dir || '',
        title: dir ? dir + ' is better' : 'no known direction' }, m, el('div', { class: 'muted', text: dir ? dir + ' is better' : '' }));
    }));
    const rows = list.map((e, i) => el('tr', { 'data-id': e.id }, el('td', { text: label(e, i) }), ...names.map(m => {
      const v = values[i][m];
      if (typeof v !== 'number') return el('td', { class: 'num', 'data-metric': m, 'data-value': '', text: MISSING });
      const extractor = m.startsWith('fid-') ? m.substring(4) : null;
      const low = extractor ? values[i]['fid_ci_low-' + extractor] : undefined;
      const high = extractor ? values[i]['fid_ci_high-' + extractor] : undefined;
      const isBest = best.get(m) === v && list.length > 1;
      return el('td', { class: 'num' + (isBest ? ' best' : ''), 'data-metric': m, 'data-value': v,
        title: isBest ? 'best (' + D2CMetrics.direction(m) + ' is better)' : null }, D2C.num(v),
        typeof low === 'number' ? el('div', { class: 'muted ci', text: '[' + D2C.num(low) + ', ' + D2C.num(high) + ']' }) : null);
    })));
    $('metrics').replaceChildren(el('table', { id: 'compare-metrics' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  async function renderCurves(list) {
    const byKey = new Map();
    list.forEach((e, i) => e.nodes.filter(n => n.kind.startsWith('train-')).forEach(n => {
      if (!byKey.has(n.key)) byKey.set(n.key, { key: n.key, kind: n.kind, labels: [] });
      byKey.get(n.key).labels.push('#' + (i + 1));
    }));
    const nodes = Array.from(byKey.values()).map(n => ({ key: n.key, kind: n.kind, label: n.labels.join(' = ') }));
    if (!nodes.length) {
      $('curves').replaceChildren(el('p', { class: 'muted', text: 'No training node.' }));
      return;
    }
    await D2CCharts.lossCurves($('curves'), nodes, 'train/loss');
  }

  function renderSamples(list) {
    const cards = [];
    list.forEach((e, i) => IMAGE_NODES.forEach(kind => {
      const n = e.nodes.find(x => x.kind === kind && x.status === 'SUCCEEDED' && x.artifact_keys.grid);
      // not lazy: a handful of sheets the user asked for, all wanted at once
      if (n) cards.push(el('figure', { class: 'card', 'data-id': e.id }, el('img', { src: D2C.API + '/artifacts/'
        + n.artifact_keys.grid, alt: kind + ' of ' + label(e, i) }), el('figcaption', { text: label(e, i) + ' \u00b7 ' + kind })));
    }));
    $('samples').replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted', text: 'No samples yet.' })]));
  }

  async function load() {
    const ids = [...new Set((D2C.param('ids') || '').split(',').map(s => s.trim()).filter(s => s))];
    if (!ids.length) throw new Error('no experiments: open /ui/compare.html?ids=<id>,<id>');
    if (ids.length > MAX) throw new Error('at most ' + MAX + ' experiments at once, got ' + ids.length);
    const answers = await Promise.allSettled(ids.map(id => D2C.get('/experiments/' + encodeURIComponent(id))));
    const failed = answers.map((a, i) => a.status === 'rejected' ? ids[i] + ': ' + (a.reason.message || a.reason) : null)
      .filter(x => x);
    if (failed.length) {
      $('compare-message').replaceChildren(el('p', { class: 'error', text: 'Not shown:\n' + failed.join('\n') }));
    }
    const list = answers.filter(a => a.status === 'fulfilled').map(a => a.value);
    document.title = 'Compare ' + list.length + ' \u00b7 D2C Lab';
    $('title').textContent = 'Compare ' + list.length + ' experiment' + (list.length === 1 ? '' : 's');
    renderExperiments(list);
    renderDiff(list);
    renderMetrics(list);
    renderSamples(list);
    await renderCurves(list);
  }

  load().catch(e => D2C.showError($('compare-message'), e));
})();
