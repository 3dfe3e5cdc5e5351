// The floor of the ticking-page benchmark (scripts/bench-detection.ts): the records a subtree observer with
// Reauth Assist's options (entrypoints/helpdesk.content/observe.ts OBSERVE, kept equal by
// tests/unit/bench-baselines.test.ts) receives, and nothing done with them. Chromium hands the callback every record
// of the batch as a script object, so this is what any detector that observes the document pays per batch.
const OBSERVE = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeOldValue: true,
  characterDataOldValue: true,
  attributeFilter: ['aria-label', 'title', 'href', 'role', 'hidden'],
};
// The bench waits for this attribute to know the content script has run.
for (const el of document.querySelectorAll('[role="alert"]')) el.setAttribute('data-reauth-assist', 'banner');
new MutationObserver(() => {}).observe(document, OBSERVE);
