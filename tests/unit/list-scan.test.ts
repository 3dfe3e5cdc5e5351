// @vitest-environment happy-dom
/**
 * Long lists (50 children or more) are read in one pass over their children when every child is one mailbox's
 * row; anything else in the list (a quote, a heading with status words, a child holding several mailboxes, a
 * dd after its dt, a shadow root) sends the list to the general descent. Either way the rows must be the ones
 * the list says, as a scan of the list itself (rows inserted into a list) and within a page (first look).
 * The warm-up (a made-up list read in idle time) must leave nothing behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshdesk } from '../../entrypoints/helpdesk.content/detectors/freshdesk';
import { scanPage, scanRegion, type MailboxRow } from '../../entrypoints/helpdesk.content/scan';
import { warmUp } from '../../entrypoints/helpdesk.content/warm-up';

const KINDS = [
  {
    status: 'Reauthorization required',
    server: 'Microsoft Office 365 (Basic)',
    action: '<a href="#">Re-authorize</a>',
  },
  { status: 'Connected', server: 'Gmail', action: '<button aria-label="Edit"><i class="ficon-edit"></i></button>' },
  {
    status: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
    server: 'Microsoft Office 365 (OAuth)',
    action: '<button aria-label="Edit"><i class="ficon-edit"></i></button>',
  },
  { status: 'Active', server: 'Other', action: '<button aria-label="Edit"><i class="ficon-edit"></i></button>' },
  {
    status: 'Password expired',
    server: 'Other',
    action: '<button aria-label="Edit"><i class="ficon-edit"></i></button>',
  },
] as const;
const EXPECT = [
  'needs-reauth microsoft-basic-auth',
  'connected -',
  'needs-reauth microsoft-oauth-expired',
  'connected -',
  'needs-reauth password-expired',
];
const ROWS = 60;

function cellsOf(i: number): string {
  const k = KINDS[i % KINDS.length]!;
  return (
    `<span class="email">box${i}@acme.com</span> <span class="ago">fetched ${i}s ago</span>` +
    `<span>${k.server}</span><span class="status">${k.status}</span>${k.action}`
  );
}

const tr = (i: number) => `<tr id="r${i}">${cellsOf(i).replace(/<span/g, '<td><span')}</tr>`;
const li = (i: number) => `<li id="r${i}">${cellsOf(i)}</li>`;
const div = (i: number) => `<div id="r${i}"><div>${cellsOf(i)}</div></div>`;

function expected(ids: number[]): string[] {
  return ids.map((i) => `r${i} box${i}@acme.com ${EXPECT[i % EXPECT.length]}`).sort();
}

function found(rows: readonly MailboxRow[]): string[] {
  return rows
    .map((r) => {
      const c = r.classification;
      return `${r.row.id} ${r.address} ${c.state} ${c.state === 'needs-reauth' ? c.scenario : '-'}`;
    })
    .sort();
}

const all = Array.from({ length: ROWS }, (_, i) => i);

/** The list's rows as a region (rows inserted into it) and as part of the page (first look). */
function both(html: string, listSelector: string): { region: string[]; page: string[] } {
  document.body.innerHTML = `<div class="banner">Please reauthorize your Email settings.</div>${html}`;
  const list = document.querySelector(listSelector)!;
  return {
    region: found(scanRegion(freshdesk, list, 'unknown').rows),
    page: found(scanPage(freshdesk, document).rows),
  };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('a long list of one mailbox per child', () => {
  for (const [name, html, selector] of [
    ['table rows', `<table><tbody>${all.map(tr).join('')}</tbody></table>`, 'tbody'],
    ['list items', `<ul>${all.map(li).join('')}</ul>`, 'ul'],
    ['nested divs', `<div id="list">${all.map(div).join('')}</div>`, '#list'],
  ] as const) {
    it(`${name}: every row, its scenario, its own address`, () => {
      const { region, page } = both(html, selector);
      expect(region).toEqual(expected(all));
      expect(page).toEqual(expected(all));
    });
  }

  it('rows beyond the first ones get the control of their kind after the attributes (MailboxRow.later)', () => {
    document.body.innerHTML = `<ul>${all.map(li).join('')}</ul>`;
    const rows = scanRegion(freshdesk, document.querySelector('ul')!, 'unknown').rows;
    const late = rows.filter((r) => r.later);
    expect(late.length).toBeGreaterThan(ROWS / 2);
    expect(late.every((r) => r.control === null)).toBe(true);
  });
});

describe('a long list with something else among its rows still reads right', () => {
  it('a heading with status words, a spacer, a quote of a row: none is a row', () => {
    const html =
      `<div id="list"><h3>Mailboxes: Reauthorization required for some</h3>${all.slice(0, 30).map(div).join('')}` +
      `<div class="spacer"></div><blockquote>box99@acme.com said Reauthorization required</blockquote>` +
      `${all.slice(30).map(div).join('')}</div>`;
    const { region, page } = both(html, '#list');
    expect(region).toEqual(expected(all));
    expect(page).toEqual(expected(all));
  });

  it('a child holding two mailboxes: each of them is a row', () => {
    const html = `<ul>${all.slice(0, 58).map(li).join('')}<li id="group"><ul>${li(58)}${li(59)}</ul></li></ul>`;
    const { region, page } = both(html, 'ul');
    expect(region).toEqual(expected(all));
    expect(page).toEqual(expected(all));
  });

  for (const words of [true, false]) {
    it(`a definition list: each dt takes its status from the dd after it (${words ? 'words' : 'icons'})`, () => {
      const items = all
        .map((i) => {
          const k = KINDS[i % KINDS.length]!;
          // Icons: nothing in the dd's words says a status (an icon's tooltip, an icon-only link).
          const status = words ? `<span>${k.status}</span>` : `<span role="img" title="${k.status}"></span>`;
          const action = words ? k.action : k.action.replace('>Re-authorize<', ' aria-label="Re-authorize"><i></i><');
          return `<dt id="r${i}">box${i}@acme.com</dt><dd>${k.server} · ${status} ${action}</dd>`;
        })
        .join('');
      const { region, page } = both(`<dl>${items}</dl>`, 'dl');
      expect(region).toEqual(expected(all));
      expect(page).toEqual(expected(all));
    });
  }

  it('a row with an open shadow root holding its status', () => {
    document.body.innerHTML = `<ul>${all.map(li).join('')}</ul>`;
    const row = document.getElementById('r1')!;
    row.querySelector('.status')!.remove();
    const host = row.appendChild(document.createElement('div'));
    host.attachShadow({ mode: 'open' }).innerHTML = '<b>Password</b> <i>expired</i>';
    const rows = found(scanRegion(freshdesk, document.querySelector('ul')!, 'unknown').rows);
    expect(rows).toContain('r1 box1@acme.com needs-reauth password-expired');
    expect(rows).toHaveLength(ROWS);
  });
});

describe('a long list of web-component rows', () => {
  it('rows whose address and status are only in their open shadow roots, scanned as the list they are in', () => {
    document.body.innerHTML = '<div id="list"></div>';
    const list = document.getElementById('list')!;
    for (const i of all) {
      const host = list.appendChild(document.createElement('mailbox-row'));
      host.id = `r${i}`;
      host.attachShadow({ mode: 'open' }).innerHTML = cellsOf(i);
    }
    expect(found(scanRegion(freshdesk, list, 'unknown').rows)).toEqual(expected(all));
  });
});

describe('warm-up', () => {
  it('leaves the page as it was and changes no later scan', () => {
    document.body.innerHTML = `<div class="banner">Please reauthorize your Email settings.</div><ul>${all
      .map(li)
      .join('')}</ul>`;
    const before = document.documentElement.outerHTML;
    const cold = found(scanPage(freshdesk, document).rows);
    let slices = 0;
    const now = (step: IdleRequestCallback) => {
      slices++;
      step({ didTimeout: false, timeRemaining: () => 0 });
    };
    warmUp(freshdesk, document, now);
    // A slice at a time when no idle time is left: the page's idle periods are never overrun by more than one.
    expect(slices).toBeGreaterThan(1);
    expect(document.documentElement.outerHTML).toBe(before);
    expect(document.querySelector('[data-reauth-state], reauth-assist-mark, style')).toBeNull();
    expect(found(scanPage(freshdesk, document).rows)).toEqual(cold);
  });
});
