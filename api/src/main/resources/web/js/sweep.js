// A sweep: status and actions, the ablation table, each arm's graph, training and FID
// curves, sample galleries. Refreshed every 2 s while the sweep is unfinished.
(() => {
  const { el } = D2C;
  D2C.header();
  const id = D2C.param('id');
  const $ = s => document.getElementById(s);
  const IMAGE_NODES = ['sample', 'decode-stage1', 'sample-rdpm'];

  function armLabel(e) {
    const name = e.name || 'arm ' + e.arm_index;
    return name.includes('seed=') ? name : name + ' \u00b7 seed ' + e.seed;
  }

  function renderMeta(s) {
    document.title = s.name + ' \u00b7 D2C Lab';
    $('title').textContent = s.name;
    const items = [['id', s.id], ['status', D2C.badge(s.status)], ['progress', D2C.progress(s.progress)],
      ['arms', String(s.arm_count)], ['created', D2C.when(s.created_at)], ['finished', D2C.when(s.finished_at)]];
    if (s.spec && s.spec.description) items.splice(1, 0, ['description', s.spec.description]);
    if (s.error) items.push(['error', el('span', { class: 'error', text: s.error })]);
    $('meta').replaceChildren(...items.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
    const buttons = [];
    if (D2C.unfinished(s.status)) {
      buttons.push(D2C.actionButton('Cancel sweep', '/sweeps/' + encodeURIComponent(id) + '/cancel', $('action-result'), refreshSoon, true));
    }
    if (s.experiments.some(e => e.status === 'FAILED' || e.status === 'CANCELLED')) {
      buttons.push(D2C.actionButton('Rerun failed arms', '/sweeps/' + encodeURIComponent(id) + '/rerun-failed', $('action-result'), refreshSoon));
    }
    $('actions').replaceChildren(...buttons);
  }

  function renderReport(report) {
    if (!report.rows.length) {
      $('ablation').replaceChildren(el('p', { class: 'muted', text: 'No arms.' }));
      return;
    }
    const head = el('tr', {}, el('th', { text: 'Arm' }), el('th', { text: 'Seeds' }), el('th', { class: 'num', text: 'Done' }),
      ...report.metrics.map(m => el('th', { class: 'num', text: m })),
      el('th', { text: 'Training', title: 'each generator: steps, epochs, final val/loss; \u2713 converged: val/loss improved < 2% over the last 20% of steps' }));
    const rows = report.rows.map(r => el('tr', {},
      el('td', { text: r.arm }), el('td', { text: r.seeds.join(', ') }),
      el('td', { class: 'num', 'data-value': r.done, text: r.done }),
      ...report.metrics.map(m => {
        const v = r.values[m];
        return v ? el('td', { class: 'num', 'data-value': v.mean, title: 'n = ' + v.n + ciTitle(v) },
          D2C.num(v.mean) + (v.n > 1 ? ' \u00b1 ' + D2C.num(v.std) : ''), ciText(v))
          : el('td', { class: 'num', 'data-value': '', text: '\u2013' });
      }), trainingCell(r)));
    const table = el('table', { id: 'ablation-table' }, el('thead', {}, head), el('tbody', {}, rows));
    D2CTable.sortable(table);
    $('ablation').replaceChildren(table);
  }

  // each generator's budget and convergence, so unequal training shows next to the scores
  function trainingCell(r) {
    const lines = Object.entries(r.training || {}).map(([kind, t]) => el('div', { class: 'muted',
      text: kind.replace('train-', '') + ': ' + t.steps + (t.step_cap ? ' of \u2264' + t.step_cap : '') + ' steps, ' + D2C.num(t.epochs) + ' ep, val ' + (D2C.num(t.final_val_loss) || '\u2013')
        + ' ' + (t.converged === null ? '?' : t.converged ? '\u2713' : '\u2717') }));
    return el('td', { 'data-value': lines.length }, ...lines);
  }

  // the 95% interval under the value: Student t over seeds, or (one seed, marked *) FID's bootstrap over samples
  function ciText(v) {
    if (v.ci_low === null || v.ci_low === undefined) return null;
    return el('div', { class: 'muted ci', text: '[' + D2C.num(v.ci_low) + ', ' + D2C.num(v.ci_high) + ']'
      + (v.ci === 'bootstrap' ? '*' : '') });
  }

  function ciTitle(v) {
    if (v.ci === 'student-t') return '; 95% CI over seeds (Student t, n - 1 df)';
    if (v.ci === 'bootstrap') return '; one seed: 95% bootstrap interval of FID over its samples (sampling error only)';
    return v.n === 1 ? '; one seed: no interval' : '';
  }

  function renderComparisons(report) {
    const pairs = report.comparisons || [];
    if (!pairs.length) {
      $('comparisons').replaceChildren(el('p', { class: 'muted', text: 'No pair of arms the paper compares.' }));
      return;
    }
    const head = el('tr', {}, el('th', { text: 'Metric' }), el('th', { text: 'a' }), el('th', { text: 'b' }),
      el('th', { class: 'num', text: 'FID(a) \u2212 FID(b)' }), el('th', { class: 'num', text: '95% CI' }),
      el('th', { text: 'Excludes 0' }));
    const rows = pairs.map(c => el('tr', {},
      el('td', { text: c.metric }), el('td', { text: c.a, title: c.family_a }), el('td', { text: c.b, title: c.family_b }),
      el('td', { class: 'num', 'data-value': c.difference, text: D2C.num(c.difference) }),
      el('td', { class: 'num', text: c.ci_low === null ? '\u2013'
        : '[' + D2C.num(c.ci_low) + ', ' + D2C.num(c.ci_high) + ']', title: c.replicates + ' bootstrap replicates' }),
      el('td', { text: c.excludes_zero === null ? 'no bootstrap' : c.excludes_zero ? 'yes' : 'no' })));
    const table = el('table', { id: 'comparisons-table' }, el('thead', {}, head), el('tbody', {}, rows));
    D2CTable.sortable(table);
    $('comparisons').replaceChildren(table);
  }

  function renderFidCurves(report) {
    if (!report.curves.length) {
      $('fid-curves').replaceChildren(el('p', { class: 'muted', text:
        'This sweep varies no sampling setting (stage2.sample.steps or guidance_scale), so there is no curve.' }));
      return;
    }
    const cards = report.curves.map((c, i) => el('div', { class: 'card fid-curve' }, el('h3', { text: c.metric + ' vs ' + c.x }),
      el('div', { class: 'chart' }, el('canvas', { id: 'fid-' + i, 'aria-label': c.metric + ' vs ' + c.x }))));
    $('fid-curves').replaceChildren(...cards);
    report.curves.forEach((c, i) => D2CCharts.lines($('fid-' + i), Object.entries(c.series).map(([label, pts]) =>
      ({ label, points: pts.map(p => ({ x: p.x, y: p.y.mean })) })), c.x, c.metric));
  }

  // the API's PNG plots; v makes the browser fetch them again when the report is refreshed
  let plotVersion = 0;
  async function renderPlots() {
    const list = await D2C.get('/sweeps/' + encodeURIComponent(id) + '/plots');
    plotVersion++;
    const figures = list.plots.map(p => el('figure', { class: 'card plot' },
      el('a', { href: p.url, target: '_blank', rel: 'noopener' },
        el('img', { id: 'plot-' + p.name, src: p.url + '?v=' + plotVersion, alt: p.title, loading: 'lazy' })),
      el('figcaption', { text: p.title })));
    $('plots').replaceChildren(...(figures.length ? figures : [el('p', { class: 'muted', text: 'No plots yet.' })]));
  }

  // experiments ticked for the compare page; kept here because the arms are redrawn on every poll
  const selected = new Set();
  function updateCompareButton() {
    const b = $('compare-selected');
    b.disabled = selected.size < 2;
    b.textContent = 'Compare selected (' + selected.size + ')';
  }

  function pick(e) {
    return el('input', { type: 'checkbox', class: 'pick', 'data-id': e.id, 'aria-label': 'compare ' + armLabel(e),
      checked: selected.has(e.id), onchange: ev => {
        if (ev.target.checked) selected.add(e.id); else selected.delete(e.id);
        updateCompareButton();
      } });
  }

  function renderArms(experiments) {
    $('arms').replaceChildren(...experiments.map(e => el('div', { class: 'card arm', 'data-experiment': e.id },
      el('h3', {}, pick(e), el('a', { href: '/ui/experiment.html?id=' + encodeURIComponent(e.id) }, armLabel(e))),
      el('p', {}, D2C.badge(e.status), ' ', D2C.progress(e.progress),
        el('span', { class: 'muted', text: ` nodes ${e.nodes_done}/${e.nodes_total} \u00b7 cache hits ${e.cache_hits}` }),
        ' ', D2C.tags(e.tags)),
      e.error ? el('p', { class: 'error', text: e.error }) : null,
      D2CGraph.render(e.nodes, key => '/ui/experiment.html?id=' + encodeURIComponent(e.id) + '#node-' + key))));
  }

  // the parallel coordinates: each experiment's params and final metric value from the find route (one SQL
  // query for the sweep, nothing planned per arm); redrawn with the report, and when another metric is chosen
  let parallelMetric = null;
  async function renderParallel(metrics) {
    const choices = metrics.filter(m => !D2CMetrics.auxiliary(m));
    const select = $('parallel-metric');
    if (select.options.length !== choices.length || choices.some((m, i) => select.options[i].value !== m)) {
      select.replaceChildren(...choices.map(m => el('option', { value: m, text: m })));
    }
    if (!choices.length) {
      $('parallel').hidden = true;
      $('parallel-message').replaceChildren(el('p', { class: 'muted', text: 'No metric yet: the chart comes with the first scores.' }));
      return;
    }
    if (!choices.includes(parallelMetric)) parallelMetric = choices.find(m => m.startsWith('fid-')) || choices[0];
    select.value = parallelMetric;
    const page = await D2C.get('/experiments?sweep=' + encodeURIComponent(id) + '&sort=' + encodeURIComponent(parallelMetric)
      + '&limit=500');
    const rows = page.items.map(e => ({ label: armLabel(e), seed: e.seed, params: e.params, value: e.metrics[parallelMetric] }));
    const box = $('parallel');
    box.hidden = false;
    const drawn = D2CParallel.render(box, rows, parallelMetric);
    const dir = D2CMetrics.direction(parallelMetric);
    $('parallel-direction').textContent = dir ? dir + ' ' + parallelMetric + ' is better' : 'no known direction for ' + parallelMetric;
    const notes = [];
    if (!drawn.lines) box.hidden = true;
    if (drawn.skipped) notes.push(drawn.skipped + ' experiment(s) without ' + parallelMetric + ' yet are not drawn.');
    if (drawn.lines && drawn.axes === 1) notes.push('The arms vary no parameter and have one seed: one axis only.');
    $('parallel-message').replaceChildren(...notes.map(t => el('p', { class: 'muted', text: t })));
  }

  function trainingNodes(experiments) {
    const byKey = new Map();
    for (const e of experiments) {
      for (const n of e.nodes.filter(n => n.kind.startsWith('train-'))) {
        if (!byKey.has(n.key)) byKey.set(n.key, { key: n.key, kind: n.kind, arms: [] });
        byKey.get(n.key).arms.push(e.name || 'arm ' + e.arm_index);
      }
    }
    return Array.from(byKey.values()).map(n => ({ key: n.key, kind: n.kind,
      label: n.arms.length > 2 ? `shared by ${n.arms.length} arms` : Array.from(new Set(n.arms)).join(', ') }));
  }

  function renderSamples(experiments) {
    const cards = [];
    for (const e of experiments) {
      for (const kind of IMAGE_NODES) {
        const n = e.nodes.find(x => x.kind === kind && x.status === 'SUCCEEDED' && x.artifact_keys.grid);
        if (n) {
          cards.push(el('figure', { class: 'card' }, el('img', { src: D2C.API + '/artifacts/' + n.artifact_keys.grid,
            alt: kind + ' of ' + armLabel(e), loading: 'lazy' }), el('figcaption', { text: armLabel(e) + ' \u00b7 ' + kind })));
        }
      }
    }
    $('samples').replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted', text: 'No samples yet.' })]));
  }

  let tick = 0;
  let annotated = false;
  const moving = {};
  let timer = null;
  let generation = 0;
  async function refresh() {
    // one request for every arm and its nodes: the sweep's answer carries what the arms' graphs,
    // samples and loss curves need (a request per arm every 2 s loaded the server with the sweep's size)
    const sweep = await D2C.get('/sweeps/' + encodeURIComponent(id));
    renderMeta(sweep);
    if (!annotated) {
      D2CNotes.render($('annotations'), '/sweeps/' + encodeURIComponent(id), sweep);
      annotated = true;
    }
    renderArms(sweep.experiments);
    const live = D2C.stillMoving(sweep.status, sweep.experiments.flatMap(e => e.nodes), moving);
    if (tick % 5 === 0 || !live) {
      const report = await D2C.get('/sweeps/' + encodeURIComponent(id) + '/report');
      renderReport(report);
      renderComparisons(report);
      renderFidCurves(report);
      renderSamples(sweep.experiments);
      // its own error box: a failed chart must not stop the page's other sections
      await renderParallel(report.metrics).catch(e => D2C.showError($('parallel-message'), e));
      await renderPlots();
      await D2CCharts.lossCurves($('curves'), trainingNodes(sweep.experiments), 'train/loss');
    }
    tick++;
    return live;
  }

  function refreshSoon() {
    clearTimeout(timer);
    tick = 0;
    timer = setTimeout(start, 500);
  }

  function start() {
    const mine = ++generation;
    D2C.poll(async () => {
      if (mine !== generation) return false;
      try {
        return await refresh();
      } catch (e) {
        D2C.showError($('action-result'), e);
        return false;
      }
    }, 2000);
  }

  if (!id) {
    D2C.showError($('meta'), new Error('no sweep id: open /ui/sweep.html?id=<sweep id>'));
  } else {
    $('csv').href = D2C.API + '/sweeps/' + encodeURIComponent(id) + '/report.csv';
    $('comparisons-csv').href = D2C.API + '/sweeps/' + encodeURIComponent(id) + '/report.csv?table=comparisons';
    $('plots-zip').href = D2C.API + '/sweeps/' + encodeURIComponent(id) + '/plots.zip';
    $('json').href = D2C.API + '/sweeps/' + encodeURIComponent(id) + '/report';
    $('compare-selected').addEventListener('click', () => {
      window.location.href = '/ui/compare.html?ids=' + Array.from(selected).map(encodeURIComponent).join(',');
    });
    $('parallel-metric').addEventListener('change', ev => {
      parallelMetric = ev.target.value;
      renderParallel(Array.from(ev.target.options).map(o => o.value)).catch(e => D2C.showError($('parallel-message'), e));
    });
    updateCompareButton();
    start();
  }
})();
