// Find experiments across sweeps: the form's fields (kept in this page's URL, so a search is a link) become
// GET /api/v1/experiments filters; the table shows each match with the metrics it was filtered or sorted by.
(() => {
  const { el } = D2C;
  D2C.header();
  const $ = s => document.getElementById(s);
  const here = new URLSearchParams(window.location.search);
  const words = v => (v || '').split(/\s+/).filter(w => w);

  /** The API's query: tag and metric repeated per word, params as params.<key>=<value>. */
  function apiQuery(offset) {
    const q = new URLSearchParams();
    words(here.get('tag')).forEach(t => q.append('tag', t));
    if (here.get('status')) q.append('status', here.get('status'));
    if (here.get('sweep')) q.append('sweep', here.get('sweep').trim());
    for (const p of words(here.get('params'))) {
      const at = p.indexOf('=');
      q.append('params.' + (at < 0 ? p : p.substring(0, at)), at < 0 ? '' : p.substring(at + 1));
    }
    words(here.get('metric')).forEach(m => q.append('metric', m));
    if (here.get('sort')) q.append('sort', here.get('sort').trim());
    q.append('limit', '50');
    if (offset) q.append('offset', String(offset));
    return q;
  }

  function fillForm() {
    for (const name of ['tag', 'status', 'sweep', 'params', 'metric', 'sort']) {
      $('find-' + name).value = here.get(name) || '';
    }
  }

  async function show(offset) {
    const page = await D2C.get('/experiments?' + apiQuery(offset));
    const metrics = [...new Set(page.items.flatMap(i => Object.keys(i.metrics || {})))];
    const head = $('experiments').tHead.rows[0];
    head.replaceChildren(el('th', { text: 'Compare' }), ...['Experiment', 'Sweep', 'Status', 'Tags', 'Params'].map(h => el('th', { text: h })),
      ...metrics.map(m => el('th', { class: 'num', text: m })));
    $('experiments').tBodies[0].replaceChildren(...page.items.map(e => el('tr', { 'data-id': e.id },
      el('td', {}, el('input', { type: 'checkbox', class: 'pick', 'data-id': e.id, 'aria-label': 'compare ' + (e.name || e.id),
        checked: selected.has(e.id), onchange: ev => {
          if (ev.target.checked) selected.add(e.id); else selected.delete(e.id);
          updateCompareButton();
        } })),
      el('td', {}, el('a', { href: '/ui/experiment.html?id=' + encodeURIComponent(e.id) }, e.name || e.id),
        el('div', { class: 'muted', text: e.id })),
      el('td', {}, el('a', { href: '/ui/sweep.html?id=' + encodeURIComponent(e.sweep_id) }, e.sweep_id)),
      el('td', {}, D2C.badge(e.status)),
      el('td', {}, D2C.tags(e.tags), e.note ? el('div', { class: 'muted note', text: e.note }) : null),
      el('td', {}, el('code', { text: Object.entries(e.params || {}).map(([k, v]) => k + '=' + v).join(' ') })),
      ...metrics.map(m => el('td', { class: 'num', 'data-metric': m, text: D2C.num(e.metrics[m]) })))));
    $('find-message').replaceChildren(el('p', { class: 'muted', text: page.total === 0 ? 'No experiment matches.'
      : `${page.offset + 1} to ${page.offset + page.items.length} of ${page.total}` }));
    const buttons = [];
    if (page.offset > 0) {
      buttons.push(el('button', { type: 'button', onclick: () => show(Math.max(0, page.offset - page.limit)).catch(fail) }, 'Previous'));
    }
    if (page.next_offset !== null) {
      buttons.push(el('button', { type: 'button', onclick: () => show(page.next_offset).catch(fail) }, 'Next'));
    }
    $('pages').replaceChildren(...buttons);
  }

  function fail(e) { D2C.showError($('find-message'), e); }

  // ticked experiments stay ticked across pages of results, so a comparison can span them
  const selected = new Set();
  function updateCompareButton() {
    $('compare-selected').disabled = selected.size < 2;
    $('compare-selected').textContent = 'Compare selected (' + selected.size + ')';
  }
  $('compare-selected').addEventListener('click', () => {
    window.location.href = '/ui/compare.html?ids=' + Array.from(selected).map(encodeURIComponent).join(',');
  });
  updateCompareButton();

  fillForm();
  show(0).catch(fail);
})();
