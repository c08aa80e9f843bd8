// The notify page: polls the state of the full recommendations with a growing interval (2 s, then ×1.5 up to 10 s;
// after 2 minutes up to 60 s: such a wait is one for the next tick, minutes away, and each poll costs store reads,
// docs/scaling.md) and reloads the page ONCE when they are ready or failed; the reloaded page shows them (and loads
// no poller).
(function () {
  'use strict';
  var root = document.getElementById('notify');
  if (!root || !root.dataset.poll || !window.fetch) return;
  var url = root.dataset.poll;
  var status = document.getElementById('notify-status');
  var delay = 2000;
  var MAX_DELAY = 10000;
  var LONG_WAIT = 120000;
  var MAX_LONG_DELAY = 60000;
  var waited = 0;
  var done = false;

  function describe(body) {
    if (body.state === 'running') return 'Computing your recommendations now. This takes a few seconds.';
    if (body.state === 'pending') {
      var ahead = typeof body.position === 'number' ? body.position : 0;
      if (ahead === 0) return 'You are next in the queue.';
      return 'Waiting in the queue: at most ' + ahead + (ahead === 1 ? ' person' : ' people') + ' ahead of you.';
    }
    return null;
  }

  function schedule() {
    if (done) return;
    setTimeout(check, delay);
    waited += delay;
    delay = Math.min(waited < LONG_WAIT ? MAX_DELAY : MAX_LONG_DELAY, Math.round(delay * 1.5));
  }

  function check() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401) { done = true; return null; } // logged out meanwhile: the link still works
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        if (done) return;
        if (body && (body.state === 'ready' || body.state === 'failed' || body.state === 'none')) {
          done = true;
          window.location.reload();
          return;
        }
        var text = body && describe(body);
        if (text && status && status.textContent.trim() !== text) status.textContent = text;
        schedule();
      })
      .catch(schedule); // offline for a moment: try again later
  }

  schedule();
})();
