// @vitest-environment happy-dom
/**
 * Which parts of the page a batch of mutation records can have changed for detection: real records from a
 * MutationObserver with the content script's own options, judged by touched().
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshdesk } from '../../entrypoints/helpdesk.content/detectors/freshdesk';
import { MARK_TAG } from '../../entrypoints/helpdesk.content/mark';
import { OBSERVE } from '../../entrypoints/helpdesk.content/observe';
import { touched } from '../../entrypoints/helpdesk.content/touched';

let observer: MutationObserver | null = null;

afterEach(() => {
  observer?.disconnect();
  observer = null;
  document.body.innerHTML = '';
});

function list(rows: number): HTMLElement {
  let html = '';
  for (let i = 0; i < rows; i++) {
    html +=
      `<tr id="r${i}"><td><span class="email">m${i}@acme.com</span> <span class="ago">fetched 0s ago</span></td>` +
      `<td><span class="status">Active</span></td></tr>`;
  }
  document.body.innerHTML = `<table><tbody id="rows">${html}</tbody></table>`;
  return document.getElementById('rows')!;
}

function row(id: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.id = id;
  tr.append(document.createElement('td'));
  return tr;
}

/** The records one change makes, as the content script's observer sees them. */
function recordsOf(change: () => void): MutationRecord[] {
  observer = new MutationObserver(() => undefined);
  observer.observe(document, OBSERVE);
  change();
  const records = observer.takeRecords();
  observer.disconnect();
  return records;
}

describe('touched', () => {
  it('a counter ticking in every row touches nothing', () => {
    list(20);
    const records = recordsOf(() => {
      for (const ago of document.querySelectorAll('.ago')) ago.textContent = 'fetched 1s ago';
    });
    expect(records.length).toBeGreaterThanOrEqual(20);
    const t = touched(freshdesk, records);
    expect(t.dirty.size).toBe(0);
    expect(t.added.size).toBe(0);
    expect(t.removed).toHaveLength(0);
    expect(t.shrunk.size).toBe(0);
    expect(t.oursRemoved).toBe(false);
  });

  it('a status replaced (old or new words matter) makes its element dirty', () => {
    list(3);
    const status = document.querySelector('#r1 .status')!;
    const t = touched(
      freshdesk,
      recordsOf(() => (status.textContent = 'Reauthorization required')),
    );
    expect([...t.dirty]).toEqual([status]);

    const back = touched(
      freshdesk,
      recordsOf(() => (status.textContent = 'fetched')),
    );
    expect([...back.dirty]).toEqual([status]);
  });

  it('a status edited in place (characterData) makes its element dirty; noise does not', () => {
    list(2);
    const status = document.querySelector('#r0 .status')!;
    const ago = document.querySelector('#r0 .ago')!;
    const t = touched(
      freshdesk,
      recordsOf(() => {
        (status.firstChild as Text).data = 'Disconnected';
        (ago.firstChild as Text).data = 'fetched 9s ago';
      }),
    );
    expect([...t.dirty]).toEqual([status]);
  });

  it('rows added are grouped by their parent; rows taken out are removed and shrink their parent', () => {
    const tbody = list(2);
    const added = touched(
      freshdesk,
      recordsOf(() => tbody.append(row('n1'), row('n2'))),
    );
    expect([...added.added.keys()]).toEqual([tbody]);
    expect(added.added.get(tbody)!.map((el) => el.id)).toEqual(['n1', 'n2']);

    const first = document.getElementById('r0')!;
    const removed = touched(
      freshdesk,
      recordsOf(() => first.remove()),
    );
    expect(removed.removed).toEqual([first]);
    expect([...removed.shrunk]).toEqual([tbody]);
    expect(removed.oursRemoved).toBe(false);
  });

  it('our own marks: added ones are left out, removed ones are reported', () => {
    list(1);
    const cell = document.querySelector('#r0 td')!;
    const mark = document.createElement(MARK_TAG);
    const t = touched(
      freshdesk,
      recordsOf(() => cell.append(mark)),
    );
    expect(t.added.size).toBe(0);
    const gone = touched(
      freshdesk,
      recordsOf(() => mark.remove()),
    );
    expect(gone.oursRemoved).toBe(true);
    expect(gone.removed).toHaveLength(0);
  });

  it('a tooltip that gains a status word makes its element dirty; a mailto link change too', () => {
    list(1);
    const cell = document.querySelector('#r0 td')!;
    const t = touched(
      freshdesk,
      recordsOf(() => cell.setAttribute('title', 'Reauthorization required')),
    );
    expect([...t.dirty]).toEqual([cell]);
    const link = document.createElement('a');
    cell.append(link);
    const m = touched(
      freshdesk,
      recordsOf(() => link.setAttribute('href', 'mailto:help@acme.com')),
    );
    expect([...m.dirty]).toEqual([link]);
  });
});
