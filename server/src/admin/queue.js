// The back office's queue (/admin), live: new complaints appear without a reload.
// Progressive enhancement: the page is complete without this script. It opens the
// page's server-sent event stream (`data-live`, same origin, the session cookie goes
// with it) and puts each complaint's row, rendered and escaped by the server, at the top.
(() => {
  'use strict';
  const list = document.querySelector('.admin-queue-list[data-live]');
  if (!list || !('EventSource' in window)) return;
  const table = list.querySelector('table.admin-queue');
  const body = table && table.tBodies[0];
  if (!body) return;
  const empty = list.querySelector('.admin-empty');
  const status = list.querySelector('.admin-live');
  const source = new EventSource(list.dataset.live);
  // For whoever needs to know that the queue is live (tests, styles).
  source.addEventListener('open', () => { list.dataset.liveOpen = 'true'; });
  source.addEventListener('error', () => { delete list.dataset.liveOpen; });
  source.addEventListener('complaint', (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof data.code !== 'string' || typeof data.row !== 'string') return;
    for (const row of body.rows) {
      if (row.dataset.code === data.code) return; // already listed
    }
    const template = document.createElement('template');
    template.innerHTML = data.row.trim();
    const row = template.content.firstElementChild;
    if (!row || row.tagName !== 'TR') return;
    row.classList.add('new');
    body.prepend(row);
    table.hidden = false;
    if (empty) empty.hidden = true;
    if (status) status.textContent = (status.dataset.new || '').replace('{code}', data.code);
  });
  // Too far behind to catch up row by row: the page itself is the fresher copy.
  source.addEventListener('reload', () => window.location.reload());
})();
