// Tags and a note of a sweep or an experiment: shown, and edited in place through PATCH (the API token as for
// the actions). Drawn once and after each save, not on every poll, so typing is never overwritten.
const D2CNotes = (() => {
  const { el } = D2C;
  const TAG = /^[A-Za-z0-9._:-]{1,64}$/;

  /** Fills `box` with the tags and note of `item` ({tags, note}); edits go to PATCH `path`. */
  function render(box, path, item) {
    const tagsInput = el('input', { id: 'tags-input', type: 'text', 'aria-label': 'tags',
      placeholder: 'tags, separated by spaces (letters, digits . _ : -)', value: (item.tags || []).join(' ') });
    const noteInput = el('textarea', { id: 'note-input', rows: 3, 'aria-label': 'note', maxlength: 10000,
      placeholder: 'a note' });
    noteInput.value = item.note || '';
    const result = el('div', { id: 'annotations-result' });
    const form = el('form', { class: 'annotations-form', hidden: true }, tagsInput, noteInput,
      el('div', {}, el('button', { type: 'submit', id: 'annotations-save' }, 'Save'), ' ',
        el('button', { type: 'button', onclick: () => { form.hidden = true; } }, 'Close')));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const tags = tagsInput.value.split(/[\s,]+/).filter(t => t);
      const bad = tags.filter(t => !TAG.test(t));
      if (bad.length) {
        D2C.showError(result, new Error('not a tag: ' + bad.join(' ') + ' (1 to 64 of A-Z a-z 0-9 . _ : -)'));
        return;
      }
      try {
        const saved = await D2C.patch(path, { tags, note: noteInput.value });
        render(box, path, saved);
        box.querySelector('#annotations-result').replaceChildren(el('p', { class: 'notice', text: 'saved' }));
      } catch (e) {
        D2C.showError(result, e);
      }
    });
    const shown = el('div', { id: 'annotations-shown' },
      (item.tags || []).length ? D2C.tags(item.tags) : el('span', { class: 'muted', text: 'no tags' }),
      item.note ? el('p', { id: 'note-text', class: 'note', text: item.note }) : null,
      el('button', { type: 'button', id: 'annotations-edit', onclick: () => { form.hidden = false; tagsInput.focus(); } },
        'Edit tags and note'));
    box.replaceChildren(shown, form, result);
  }

  return { render };
})();
