// The sweeps list: status and progress, refreshed while any sweep is unfinished.
(() => {
  const { el } = D2C;
  D2C.header();
  const table = document.getElementById('sweeps');
  const message = document.getElementById('sweeps-message');
  D2CTable.sortable(table);
  // the filters live in this page's URL (the form is a GET form), so a filtered list is a link
  const here = new URLSearchParams(window.location.search);
  const filter = new URLSearchParams({ limit: '200' });
  if (here.get('status')) filter.append('status', here.get('status'));
  (here.get('tag') || '').split(/\s+/).filter(t => t).forEach(t => filter.append('tag', t));
  document.getElementById('filter-status').value = here.get('status') || '';
  document.getElementById('filter-tag').value = here.get('tag') || '';

  async function refresh() {
    const page = await D2C.get('/sweeps?' + filter);
    const rows = [];
    for (const s of page.sweeps) {
      const detail = D2C.unfinished(s.status) ? await D2C.get('/sweeps/' + encodeURIComponent(s.id)) : null;
      const fraction = detail ? detail.progress : (s.status === 'SUCCEEDED' ? 1 : null);
      rows.push(el('tr', { 'data-id': s.id },
        el('td', {}, el('a', { href: '/ui/sweep.html?id=' + encodeURIComponent(s.id) }, s.name),
          el('div', { class: 'muted', text: s.id })),
        el('td', {}, D2C.badge(s.status)),
        el('td', { 'data-value': fraction === null ? '' : fraction }, fraction === null ? '' : D2C.progress(fraction)),
        el('td', { class: 'num', 'data-value': s.arm_count, text: s.arm_count }),
        el('td', { 'data-value': (s.tags || []).join(' ') }, D2C.tags(s.tags)),
        el('td', { 'data-value': Date.parse(s.created_at) || '', text: D2C.when(s.created_at) }),
        el('td', { 'data-value': s.finished_at ? Date.parse(s.finished_at) : '', text: D2C.when(s.finished_at) })));
    }
    table.tBodies[0].replaceChildren(...rows);
    const filtered = filter.has('status') || filter.has('tag');
    message.replaceChildren(page.total === 0 ? el('p', { class: 'muted', text: filtered ? 'No sweep matches.' : 'No sweeps yet.' }) :
      page.total > page.sweeps.length ? el('p', { class: 'muted', text: `newest ${page.sweeps.length} of ${page.total}` }) : '');
    return page.sweeps.some(s => D2C.unfinished(s.status));
  }

  D2C.poll(() => refresh().catch(e => { D2C.showError(message, e); return true; }), 3000);
})();
