// Sortable tables: click a header to sort by its column (numbers by data-value), again to reverse.
const D2CTable = (() => {
  function sortable(table) {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, col) => {
      th.classList.add('sortable');
      th.addEventListener('click', () => {
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(h => h.removeAttribute('aria-sort'));
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = r => {
          const cell = r.cells[col];
          const v = cell.dataset.value;
          return v !== undefined && v !== '' ? Number(v) : cell.textContent.trim().toLowerCase();
        };
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          // empty cells (no score yet) last either way
          if (x === '' || y === '') return x === '' ? (y === '' ? 0 : 1) : -1;
          const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return asc ? c : -c;
        });
        body.append(...rows);
      });
    });
  }
  return { sortable };
})();
