// The movie picker, enhanced: a type-ahead combobox over /api/v1/movies (debounced; ↑ ↓ to move, Enter to add,
// Escape to close), chips whose Remove edits the selection in place, saved by the page's own "Save picks" form.
// Without this script the same page works through its forms (search, Add, Remove, Save).
(function () {
  'use strict';
  var input = document.getElementById('picker-q');
  var searchForm = document.getElementById('picker-search');
  var picksForm = document.getElementById('picks-form');
  var field = document.getElementById('movieIds-field');
  var list = document.getElementById('selection-list');
  var count = document.getElementById('pick-count');
  var empty = document.getElementById('selection-empty');
  var announce = document.getElementById('picker-announce');
  if (!input || !searchForm || !picksForm || !field || !list || !window.fetch) return;
  var csrf = picksForm.querySelector('input[name="_csrf"]').value;

  // The combobox (ARIA 1.2 pattern: the input owns a listbox through aria-controls and aria-activedescendant).
  var listbox = document.createElement('ul');
  listbox.id = 'picker-listbox';
  listbox.className = 'picker-listbox';
  listbox.setAttribute('role', 'listbox');
  listbox.setAttribute('aria-label', 'Matching movies');
  listbox.hidden = true;
  input.parentNode.insertBefore(listbox, input.nextSibling);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  var options = [];
  var active = -1;
  var timer = null;
  var latest = 0;

  function say(text) { if (announce) announce.textContent = text; }
  function label(movie) { return movie.title + (movie.year !== null ? ' (' + movie.year + ')' : ''); }
  function pickedIds() {
    return Array.prototype.map.call(field.querySelectorAll('input[name="movieIds"]'), function (el) { return Number(el.value); });
  }
  function refreshCount() {
    var n = pickedIds().length;
    if (count) count.textContent = String(n);
    if (empty) empty.hidden = n > 0;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(index) {
    var items = listbox.children;
    if (active >= 0 && items[active]) items[active].setAttribute('aria-selected', 'false');
    active = index;
    if (active >= 0 && items[active]) {
      items[active].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render(movies) {
    options = movies;
    listbox.textContent = '';
    var picked = pickedIds();
    movies.forEach(function (movie, i) {
      var li = document.createElement('li');
      li.id = 'picker-option-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.className = 'picker-option';
      li.textContent = label(movie);
      if (movie.subtitle) {
        var subtitle = document.createElement('span');
        subtitle.className = 'subtitle';
        subtitle.textContent = ' ' + movie.subtitle;
        li.appendChild(subtitle);
      }
      if (movie.genres.length > 0) {
        var genres = document.createElement('span');
        genres.className = 'genres';
        genres.textContent = ' ' + movie.genres.join(' · ');
        li.appendChild(genres);
      }
      if (picked.indexOf(movie.id) >= 0) {
        li.setAttribute('aria-disabled', 'true');
        li.className += ' is-picked';
      }
      // mousedown, not click: the input keeps its focus.
      li.addEventListener('mousedown', function (event) { event.preventDefault(); add(movie); });
      listbox.appendChild(li);
    });
    if (movies.length === 0) {
      var none = document.createElement('li');
      none.className = 'picker-none';
      none.setAttribute('role', 'option');
      none.setAttribute('aria-disabled', 'true');
      none.textContent = 'No title matches.';
      listbox.appendChild(none);
    }
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
    input.removeAttribute('aria-activedescendant');
    say(movies.length === 0 ? 'No matches.' : movies.length + ' matches. Use the arrow keys to choose, Enter to add.');
  }

  function search() {
    var q = input.value.trim();
    var ticket = ++latest;
    if (q === '') { close(); return; }
    fetch('/api/v1/movies?limit=10&q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : { items: [] }; })
      .then(function (body) { if (ticket === latest) render(body.items || []); })
      .catch(function () { /* keep what is shown */ });
  }

  function chipFor(movie) {
    var li = document.createElement('li');
    li.className = 'chip';
    li.dataset.movieId = String(movie.id);
    var title = document.createElement('span');
    title.className = 'chip-title';
    title.textContent = label(movie);
    li.appendChild(title);
    li.appendChild(movieForm('/picks/remove', 'inline-form picker-remove', movie.id, 'Remove', 'Remove ' + label(movie), 'chip-remove'));
    return li;
  }

  /** An Add or Remove form as the server renders it (it works without this script too). */
  function movieForm(action, className, id, text, name, buttonClass) {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    form.className = className;
    [['_csrf', csrf], ['movieId', String(id)], ['q', '']].forEach(function (pair) {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = pair[0];
      hidden.value = pair[1];
      form.appendChild(hidden);
    });
    var button = document.createElement('button');
    button.type = 'submit';
    if (buttonClass) button.className = buttonClass;
    button.textContent = text;
    button.setAttribute('aria-label', name);
    form.appendChild(button);
    return form;
  }

  // A search result row (no-JavaScript list) shows "Picked" or its Add button, as the server renders it.
  function markResult(id, picked) {
    var row = document.querySelector('.result-list li[data-movie-id="' + id + '"]');
    if (!row) return;
    var addForm = row.querySelector('form.picker-add');
    var mark = row.querySelector('.picked-mark');
    if (picked) {
      // Not a disabled "Picked" button: its name would still say "Add …" (and a disabled button is hard to find).
      if (addForm) addForm.remove();
      if (!mark) {
        mark = document.createElement('span');
        mark.className = 'muted picked-mark';
        mark.textContent = 'Picked';
        row.appendChild(mark);
      }
    } else {
      if (mark) mark.remove();
      if (!addForm) {
        var title = row.querySelector('.result-title');
        row.appendChild(movieForm('/picks/add', 'inline-form picker-add', id, 'Add', 'Add ' + (title ? title.textContent : ''), ''));
      }
    }
  }

  function add(movie) {
    if (pickedIds().indexOf(movie.id) >= 0) { say(label(movie) + ' is picked already.'); return; }
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = 'movieIds';
    hidden.value = String(movie.id);
    field.insertBefore(hidden, document.getElementById('movieIds-hint')); // after the others: the order picked
    list.appendChild(chipFor(movie));
    markResult(movie.id, true);
    refreshCount();
    close();
    input.value = '';
    input.focus();
    say('Added ' + label(movie) + '. ' + pickedIds().length + ' picked.');
  }

  function remove(id) {
    var hidden = field.querySelector('input[name="movieIds"][value="' + id + '"]');
    if (hidden) hidden.remove();
    var chip = list.querySelector('li[data-movie-id="' + id + '"]');
    var name = chip ? chip.querySelector('.chip-title').textContent : 'Movie';
    if (chip) chip.remove();
    markResult(id, false);
    refreshCount();
    say('Removed ' + name + '. ' + pickedIds().length + ' picked.');
    input.focus();
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });

  input.addEventListener('keydown', function (event) {
    var open = !listbox.hidden && options.length > 0;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (listbox.hidden) { search(); return; }
      if (open) setActive(active + 1 >= options.length ? 0 : active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (open) setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault(); // never leave the page: the selection lives here
      if (open && active >= 0) add(options[active]);
      else { clearTimeout(timer); search(); }
    } else if (event.key === 'Escape') {
      if (!listbox.hidden) { event.preventDefault(); close(); }
    }
  });

  input.addEventListener('blur', function () { setTimeout(close, 150); });

  // With the type-ahead, searching never reloads the page (that would drop the changes made here).
  searchForm.addEventListener('submit', function (event) { event.preventDefault(); search(); });

  // Add and Remove buttons rendered by the server (and chips made here) act in place.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var idField = form.querySelector('input[name="movieId"]');
    if (!idField) return;
    var id = Number(idField.value);
    if (form.classList.contains('picker-remove')) {
      event.preventDefault();
      remove(id);
    } else if (form.classList.contains('picker-add')) {
      event.preventDefault();
      var title = form.parentNode.querySelector('.result-title');
      add({ id: id, title: title ? title.textContent : String(id), year: null, genres: [] });
    }
  });
})();
