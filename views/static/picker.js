// The movie picker, enhanced. The selection is a draft the server keeps in the session, so every change is posted
// (fetch, JSON answer) and the page then shows the draft it got back: posters toggle in place, "More" appends a group's
// next page, chips remove in place, the counter and Save follow, and the search box is a type-ahead combobox over
// /api/v1/movies (debounced; ↑ ↓ to move, Enter to add, Escape to close). Without this script the same page works
// through its forms and links.
(function () {
  'use strict';
  var input = document.getElementById('picker-q');
  var searchForm = document.getElementById('picker-search');
  var picksForm = document.getElementById('picks-form');
  var field = document.getElementById('movieIds-field');
  var list = document.getElementById('selection-list');
  var count = document.getElementById('pick-count');
  var empty = document.getElementById('selection-empty');
  var save = document.getElementById('picks-save');
  var reason = document.getElementById('save-reason');
  var announce = document.getElementById('picker-announce');
  if (!input || !searchForm || !picksForm || !field || !list || !window.fetch || !window.URLSearchParams) return;
  var csrf = picksForm.querySelector('input[name="_csrf"]').value;
  var MIN = 5;
  var MAX = 50;
  // Names of movies seen on the page (for chips made here): id → "Title (year)".
  var names = {};

  function say(text) { if (announce) announce.textContent = text; }
  function label(movie) { return movie.title + (movie.year !== null ? ' (' + movie.year + ')' : ''); }
  function pickedIds() {
    return Array.prototype.map.call(field.querySelectorAll('input[name="movieIds"]'), function (el) { return Number(el.value); });
  }
  function nameOf(id) {
    if (names[id]) return names[id];
    var button = document.querySelector('.pick-tile[data-movie-id="' + id + '"] .pick-poster');
    if (button) return button.getAttribute('aria-label').replace(/^Pick /, '');
    var chip = list.querySelector('li[data-movie-id="' + id + '"] .chip-title');
    if (chip) return chip.textContent;
    var row = document.querySelector('.result-list li[data-movie-id="' + id + '"] .result-title');
    return row ? row.textContent : 'Movie ' + id;
  }

  /** Posts Add or Remove for a movie; the page then shows the draft the server answers with. */
  function post(action, id, done) {
    var body = new URLSearchParams();
    body.set('_csrf', csrf);
    body.set('movieId', String(id));
    return fetch(action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (draft) {
        show(draft.movieIds);
        if (draft.notice) say(draft.notice);
        else if (done) done(draft.movieIds);
      })
      .catch(function () { say('That did not go through. Reload the page and try again.'); });
  }

  function chipFor(id) {
    var li = document.createElement('li');
    li.className = 'chip';
    li.dataset.movieId = String(id);
    var title = document.createElement('a');
    title.className = 'chip-title';
    title.href = '/movies/' + id;
    title.textContent = nameOf(id);
    li.appendChild(title);
    li.appendChild(movieForm('/picks/remove', 'inline-form picker-remove', id, 'Remove', 'Remove ' + nameOf(id), 'chip-remove'));
    return li;
  }

  /** An Add or Remove form as the server renders it. */
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

  /** A search result row shows "✓ Picked" or its Add button. */
  function markResult(row, id, picked) {
    var addForm = row.querySelector('form.picker-add');
    var mark = row.querySelector('.picked-mark');
    row.classList.toggle('is-picked', picked);
    if (picked) {
      if (addForm) addForm.remove();
      if (!mark) {
        mark = document.createElement('span');
        mark.className = 'picked-mark';
        mark.textContent = '✓ Picked';
        row.appendChild(mark);
      }
    } else {
      if (mark) mark.remove();
      if (!addForm) row.appendChild(movieForm('/picks/add', 'inline-form picker-add', id, 'Add', 'Add ' + nameOf(id), ''));
    }
  }

  function markTile(tile, picked) {
    tile.classList.toggle('is-picked', picked);
    var form = tile.querySelector('form.pick-toggle');
    if (form) form.action = picked ? '/picks/remove' : '/picks/add';
    var button = tile.querySelector('.pick-poster');
    if (button) button.setAttribute('aria-pressed', picked ? 'true' : 'false');
  }

  /** Makes the page show this draft: hidden inputs, chips, posters, search rows, counter and Save. */
  function show(ids) {
    var picked = {};
    ids.forEach(function (id) { picked[id] = true; });
    Array.prototype.forEach.call(field.querySelectorAll('input[name="movieIds"]'), function (el) { el.remove(); });
    var anchor = document.getElementById('pick-progress');
    ids.forEach(function (id) {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = 'movieIds';
      hidden.value = String(id);
      field.insertBefore(hidden, anchor);
    });
    Array.prototype.forEach.call(list.querySelectorAll('li.chip'), function (chip) {
      if (!picked[Number(chip.dataset.movieId)]) chip.remove();
    });
    ids.forEach(function (id) {
      if (!list.querySelector('li[data-movie-id="' + id + '"]')) list.appendChild(chipFor(id));
    });
    Array.prototype.forEach.call(document.querySelectorAll('.pick-tile'), function (tile) {
      markTile(tile, !!picked[Number(tile.dataset.movieId)]);
    });
    Array.prototype.forEach.call(document.querySelectorAll('.result-list li[data-movie-id]'), function (row) {
      var id = Number(row.dataset.movieId);
      markResult(row, id, !!picked[id]);
    });
    var missing = Math.max(0, MIN - ids.length);
    if (count) count.textContent = String(ids.length);
    if (empty) empty.hidden = ids.length > 0;
    if (save) save.disabled = missing > 0;
    if (reason) reason.textContent = missing > 0 ? 'Pick ' + missing + ' more to save (at least ' + MIN + ').' : 'Ready: save to see your recommendations.';
  }

  function progress(ids) {
    var missing = Math.max(0, MIN - ids.length);
    return ids.length + ' of at least ' + MIN + ' picked' + (missing > 0 ? '.' : ': ready to save.');
  }

  function add(id, name) {
    if (name) names[id] = name;
    if (pickedIds().indexOf(id) >= 0) { say(nameOf(id) + ' is picked already.'); return Promise.resolve(); }
    if (pickedIds().length >= MAX) { say('You have ' + MAX + ' picks already: remove one first.'); return Promise.resolve(); }
    return post('/picks/add', id, function (ids) { say('Picked ' + nameOf(id) + '. ' + progress(ids)); });
  }

  function remove(id) {
    return post('/picks/remove', id, function (ids) { say('Removed ' + nameOf(id) + '. ' + progress(ids)); });
  }

  // Posters, search rows and chips: their forms act in place.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var idField = form.querySelector('input[name="movieId"]');
    if (!idField) return;
    var id = Number(idField.value);
    if (form.classList.contains('pick-toggle')) {
      event.preventDefault();
      if (pickedIds().indexOf(id) >= 0) remove(id);
      else add(id);
    } else if (form.classList.contains('picker-remove')) {
      event.preventDefault();
      remove(id).then(function () { input.focus(); });
    } else if (form.classList.contains('picker-add')) {
      event.preventDefault();
      add(id);
    }
  });

  // "More …": the group's next page appended in place; focus moves to its first poster.
  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('.pick-more a[data-group]') : null;
    if (!link) return;
    event.preventDefault();
    var slug = link.dataset.group;
    var page = Number(link.dataset.page);
    var grid = document.querySelector('.pick-grid[data-group="' + slug + '"]');
    fetch('/picks/groups/' + encodeURIComponent(slug) + '?page=' + page, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        var next = res.headers.get('X-Next-Page');
        return res.text().then(function (html) { return { html: html, next: next }; });
      })
      .then(function (answer) {
        var holder = document.createElement('ul');
        holder.innerHTML = answer.html;
        var first = null;
        Array.prototype.slice.call(holder.children).forEach(function (tile) {
          grid.appendChild(tile);
          if (!first) first = tile.querySelector('.pick-poster');
        });
        show(pickedIds());
        if (answer.next) {
          link.dataset.page = answer.next;
          link.href = '/picks?group=' + slug + '&page=' + answer.next + '#group-' + slug;
        } else {
          link.parentNode.remove();
        }
        if (first) first.focus();
        say('More movies shown.');
      })
      .catch(function () { window.location.href = link.href; });
  });

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
      names[movie.id] = label(movie);
      var li = document.createElement('li');
      li.id = 'picker-option-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.className = 'picker-option';
      li.textContent = label(movie);
      if (picked.indexOf(movie.id) >= 0) {
        var mark = document.createElement('span');
        mark.className = 'picked-mark';
        mark.textContent = ' ✓ Picked';
        li.appendChild(mark);
        li.setAttribute('aria-disabled', 'true');
        li.className += ' is-picked';
      }
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
      // mousedown, not click: the input keeps its focus.
      li.addEventListener('mousedown', function (event) { event.preventDefault(); choose(movie); });
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

  function choose(movie) {
    close();
    input.value = '';
    input.focus();
    add(movie.id, label(movie));
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
      event.preventDefault();
      if (open && active >= 0) choose(options[active]);
      else { clearTimeout(timer); search(); }
    } else if (event.key === 'Escape') {
      if (!listbox.hidden) { event.preventDefault(); close(); }
    }
  });

  input.addEventListener('blur', function () { setTimeout(close, 150); });

  // With the type-ahead, searching never reloads the page.
  searchForm.addEventListener('submit', function (event) { event.preventDefault(); search(); });
})();
