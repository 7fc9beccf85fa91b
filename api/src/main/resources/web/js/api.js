// Shared helpers of the D2C Lab pages: the /api/v1 client, the bearer token for actions,
// and DOM builders that set text (never HTML), so names from sweep files cannot inject markup.
const D2C = (() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'd2c-api-token';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  async function failure(r) {
    try {
      const body = await r.json();
      const fields = (body.error.fields || []).map(f => f.path + ': ' + f.reason);
      return new Error(r.status + ' ' + body.error.code + ': ' + body.error.message
        + (fields.length > 1 ? '\n' + fields.join('\n') : ''));
    } catch (e) {
      return new Error('HTTP ' + r.status);
    }
  }

  async function get(path) {
    const r = await fetch(API + path, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw await failure(r);
    return r.json();
  }

  function token() { return localStorage.getItem(TOKEN_KEY) || ''; }

  /** A mutating request with the bearer token (asked for once, kept in local storage); JSON body optional. */
  async function send(method, path, body) {
    let t = token();
    if (!t) {
      t = (window.prompt('API token (D2C_API_TOKEN, or the api-token file in the server\'s data dir):') || '').trim();
      if (!t) throw new Error('an action needs the API token');
      localStorage.setItem(TOKEN_KEY, t);
    }
    const headers = { Authorization: 'Bearer ' + t };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) localStorage.removeItem(TOKEN_KEY);
    if (!r.ok) throw await failure(r);
    return r.json();
  }

  function post(path) { return send('POST', path); }

  function patch(path, body) { return send('PATCH', path, body); }

  function tags(list) {
    return el('span', { class: 'tags' }, ...(list || []).map(t => el('span', { class: 'tag', text: t })));
  }

  function badge(status) {
    return el('span', { class: 'badge status-' + String(status).toLowerCase(), text: status });
  }

  function progress(fraction) {
    const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
    const bar = el('div');
    bar.style.width = pct + '%';
    return el('span', {}, el('span', { class: 'progress', title: pct + '%' }, bar), ' ' + pct + '%');
  }

  function num(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return '';
    const d = digits === undefined ? (Math.abs(v) >= 100 ? 1 : 3) : digits;
    return Number(v).toFixed(d);
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
  }

  function param(name) { return new URLSearchParams(window.location.search).get(name); }

  function unfinished(status) { return status === 'PENDING' || status === 'RUNNING'; }

  /**
   * Whether a page should poll again. A cancelled sweep or experiment turns terminal before its running nodes have
   * stopped (they stop at their next heartbeat), so polling goes on while a node still runs, for at most `grace` polls.
   */
  function stillMoving(status, nodes, state, grace = 90) {
    if (unfinished(status)) { state.after = 0; return true; }
    state.after = (state.after || 0) + 1;
    return state.after <= grace && nodes.some(n => n.status === 'RUNNING');
  }

  function tokenBox() {
    const input = el('input', { type: 'password', placeholder: 'API token (for actions)', 'aria-label': 'API token',
      value: token() });
    input.addEventListener('change', () => {
      const v = input.value.trim();
      if (v) localStorage.setItem(TOKEN_KEY, v); else localStorage.removeItem(TOKEN_KEY);
    });
    return input;
  }

  function header() {
    const h = el('header', {}, el('a', { class: 'brand', href: '/ui/' }, 'D2C Lab'),
      el('a', { href: '/ui/' }, 'Sweeps'), el('a', { href: '/ui/experiments.html' }, 'Find experiments'),
      el('a', { href: '/api/v1/openapi.json' }, 'API'),
      el('span', { class: 'spacer' }), tokenBox());
    document.body.prepend(h);
  }

  function showError(target, e) {
    target.replaceChildren(el('p', { class: 'error', text: String(e.message || e) }));
  }

  /** Runs fn now and every ms while it returns true. */
  function poll(fn, ms) {
    const tick = async () => {
      let again = false;
      try { again = await fn(); } catch (e) { console.error(e); again = true; }
      if (again) setTimeout(tick, ms);
    };
    tick();
  }

  /** An action button: POSTs, reports the outcome in `out`, then calls done. */
  function actionButton(label, path, out, done, danger) {
    return el('button', { class: danger ? 'danger' : null, onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        const r = await post(path);
        out.replaceChildren(el('p', { class: 'notice', text: label + ': accepted (' + r.experiments.length + ' arm(s)'
          + (r.nodes_cancelled.length ? ', ' + r.nodes_cancelled.length + ' node(s) stopped' : '') + ')' }));
        if (done) done();
      } catch (e) {
        showError(out, e);
      } finally {
        ev.target.disabled = false;
      }
    } }, label);
  }

  return { API, el, get, post, patch, tags, badge, progress, num, when, param, unfinished, stillMoving, header, showError, poll, actionButton };
})();
