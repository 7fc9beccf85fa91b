// An experiment (one arm and seed): status and actions, its graph, lineage of every node
// (config, inputs, code version, artifacts, results), training curves, samples and config.
(() => {
  const { el } = D2C;
  D2C.header();
  const id = D2C.param('id');
  const $ = s => document.getElementById(s);

  function json(v) {
    return v === null || v === undefined ? '' : JSON.stringify(v, null, 1);
  }

  function renderMeta(e) {
    const name = e.name || 'arm ' + e.arm_index;
    const title = name.includes('seed=') ? name : name + ' \u00b7 seed ' + e.seed;
    document.title = title + ' \u00b7 D2C Lab';
    $('title').textContent = title;
    const items = [['id', e.id], ['sweep', el('a', { href: '/ui/sweep.html?id=' + encodeURIComponent(e.sweep_id) }, e.sweep_id)],
      ['status', D2C.badge(e.status)], ['progress', D2C.progress(e.progress)],
      ['nodes', `${e.nodes_done}/${e.nodes_total} done, ${e.cache_hits} from the cache`],
      ['params', el('code', { text: json(e.params) })], ['started', D2C.when(e.started_at)], ['finished', D2C.when(e.finished_at)]];
    if (e.error) items.push(['error', el('span', { class: 'error', text: e.error })]);
    $('meta').replaceChildren(...items.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
    const buttons = [];
    if (D2C.unfinished(e.status)) {
      buttons.push(D2C.actionButton('Cancel', '/experiments/' + encodeURIComponent(id) + '/cancel', $('action-result'), refreshSoon, true));
    }
    if (e.status === 'FAILED' || e.status === 'CANCELLED') {
      buttons.push(D2C.actionButton('Resume', '/experiments/' + encodeURIComponent(id) + '/resume', $('action-result'), refreshSoon));
    }
    $('actions').replaceChildren(...buttons);
  }

  function renderLineage(nodes) {
    $('lineage').tBodies[0].replaceChildren(...nodes.map(n => el('tr', { id: 'node-' + n.key },
      el('td', {}, el('strong', { text: n.kind }), el('div', {}, el('code', { text: n.key })),
        n.progress_message ? el('div', { class: 'muted', text: n.progress_message }) : null,
        el('details', {}, el('summary', { text: 'config' }), el('pre', { text: json(n.config) }))),
      el('td', {}, D2C.badge(n.status), n.cache_hit ? el('div', { class: 'muted', text: 'cache hit' }) : null,
        n.duration_ms !== null ? el('div', { class: 'muted', text: (n.duration_ms / 1000).toFixed(1) + ' s' }) : null,
        n.worker ? el('div', { class: 'muted', text: n.worker }) : null,
        n.error ? el('div', { class: 'error', text: n.error }) : null),
      el('td', { class: 'num', text: n.attempts }),
      el('td', { text: 'v' + n.code_version }),
      el('td', {}, ...Object.entries(n.input_keys || {}).map(([name, key]) =>
        el('div', {}, name + ': ', el('a', { href: '#node-' + key }, key)))),
      el('td', {}, ...Object.entries(n.artifact_keys || {}).map(([role, key]) =>
        el('div', {}, role + ': ', el('a', { href: D2C.API + '/artifacts/' + key }, key)))),
      el('td', {}, n.result ? el('pre', { text: json(n.result) }) : ''))));
  }

  function renderSamples(e, nodes) {
    const cards = nodes.filter(n => n.status === 'SUCCEEDED' && n.artifact_keys.grid).map(n =>
      el('figure', { class: 'card' }, el('img', { src: D2C.API + '/artifacts/' + n.artifact_keys.grid, alt: n.kind,
        loading: 'lazy' }), el('figcaption', { text: n.kind })));
    $('samples').replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted', text: 'No samples yet.' })]));
  }

  let tick = 0;
  let annotated = false;
  const moving = {};
  let timer = null;
  let generation = 0;
  async function refresh() {
    const e = await D2C.get('/experiments/' + encodeURIComponent(id));
    renderMeta(e);
    if (!annotated) {
      D2CNotes.render($('annotations'), '/experiments/' + encodeURIComponent(id), e);
      annotated = true;
    }
    $('graph').replaceChildren(D2CGraph.render(e.nodes, key => '#node-' + key));
    const open = Array.from(document.querySelectorAll('#lineage details[open]')).map(d => d.closest('tr').id);
    renderLineage(e.nodes);
    open.forEach(rowId => { const d = document.getElementById(rowId); if (d) d.querySelector('details').open = true; });
    const live = D2C.stillMoving(e.status, e.nodes, moving);
    if (tick % 5 === 0 || !live) {
      renderSamples(e, e.nodes);
      $('config').textContent = json(e.config);
      await D2CCharts.lossCurves($('curves'), e.nodes.filter(n => n.kind.startsWith('train-'))
        .map(n => ({ key: n.key, kind: n.kind, label: n.kind })), 'train/loss');
    }
    tick++;
    if (tick === 1 && window.location.hash) {
      const target = document.getElementById(decodeURIComponent(window.location.hash.substring(1)));
      if (target) target.scrollIntoView();
    }
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
      } catch (err) {
        D2C.showError($('action-result'), err);
        return false;
      }
    }, 2000);
  }

  if (!id) D2C.showError($('meta'), new Error('no experiment id: open /ui/experiment.html?id=<experiment id>'));
  else start();
})();
