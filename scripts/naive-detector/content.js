// The baseline of `npm run bench` (scripts/bench-detection.ts): written the way one would in an hour, and kept
// that way on purpose. It runs in the isolated world like Reauth Assist and sets the same row attribute.
const ROWS = 'tr, [role="row"], li';
const ADDRESS = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;
const TROUBLE = /re-?authori[sz]|expired|sign in again|unexpected error|disconnected/i;

function markRow(row) {
  const text = row.textContent;
  if (!ADDRESS.test(text)) return;
  row.setAttribute('data-reauth-state', TROUBLE.test(text) ? 'needs-reauth' : 'connected');
}

function scan(node) {
  if (node.matches(ROWS)) markRow(node);
  for (const row of node.querySelectorAll(ROWS)) markRow(row);
}

for (const el of document.querySelectorAll('[role="alert"]')) {
  if (/please re-?authori[sz]e your e-?mail settings/i.test(el.textContent)) el.setAttribute('data-reauth-assist', 'banner');
}
scan(document.documentElement);
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) if (node.nodeType === 1) scan(node);
}).observe(document, { childList: true, subtree: true });
