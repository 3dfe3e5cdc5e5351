// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PageReport } from '../../lib/messages';
import { freshdesk } from '../../entrypoints/helpdesk.content/detectors/freshdesk';
import { scanPage, scanRegion } from '../../entrypoints/helpdesk.content/scan';
import { Detection } from '../../entrypoints/helpdesk.content/detection';

// Not `new URL(.., import.meta.url)`: under happy-dom, URL is the simulated browser's.
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/freshdesk');
const fixture = (path: string) => readFileSync(resolve(FIXTURES, path), 'utf8');

function load(html: string): void {
  document.documentElement.innerHTML = html.replace(/<!doctype html>/i, '').replace(/<script[\s\S]*?<\/script>/gi, '');
}

function summary(rows: ReturnType<typeof scanPage>['rows']) {
  return rows.map((r) => ({
    id: r.row.id || r.row.nodeName,
    address: r.address,
    state: r.classification.state,
    scenario: r.classification.state === 'needs-reauth' ? r.classification.scenario : undefined,
    primary: r.primary,
    control: r.control?.getAttribute('class') ?? null,
  }));
}

/** The whole page scanned now, each row as summary() gives it. */
function pageRows() {
  return summary(scanPage(freshdesk, document).rows);
}

/** Each row as "id address state". */
function idAddressState(rows: ReturnType<typeof summary>): string[] {
  return rows.map((r) => `${r.id} ${r.address} ${r.state}`);
}

beforeEach(() => {
  document.documentElement.innerHTML = '<head></head><body></body>';
});

describe('page gating', () => {
  it.each(['/a/admin/email', '/a/tickets/1', '/helpdesk/tickets', '/admin/email_configs', '/'])(
    '%s is the agent app',
    (pathname) => {
      expect(freshdesk.isAgentScreen({ pathname, hostname: 'acme.freshdesk.com' })).toBe(true);
    },
  );
  it.each([
    '/support/home',
    '/support/solutions/articles/50000001-reauthorize',
    '/support/tickets/new',
    '/a/solutions/articles/42',
    '/kb/articles/1',
  ])('%s is portal or help content', (pathname) => {
    expect(freshdesk.isAgentScreen({ pathname, hostname: 'help.acme.com' })).toBe(false);
  });
});

describe('banner text', () => {
  it.each([
    'Please reauthorize your Email settings. Learn more about it ',
    'Reauthorize your email settings: one fails',
  ])('the banner itself: %s', (text) => {
    expect(freshdesk.isBannerText(text)).toBe(true);
  });
  it('a sentence that quotes it', () => {
    expect(
      freshdesk.isBannerText(
        "If you see a banner stating, 'Please reauthorize your Email settings. Learn more about it here'",
      ),
    ).toBe(false);
  });
});

describe('scanPage on the classic admin table', () => {
  it('finds the five rows, their scenarios, the primary, the controls and the banner', () => {
    load(fixture('a/admin/email/index.html'));
    const scan = scanPage(freshdesk, document);
    expect(summary(scan.rows)).toEqual([
      {
        id: 'row-billing',
        address: 'billing@acme.com',
        state: 'needs-reauth',
        scenario: 'microsoft-basic-auth',
        primary: false,
        control: 'reauth-link',
      },
      {
        id: 'row-sales',
        address: 'sales@acme.com',
        state: 'needs-reauth',
        scenario: 'password-expired',
        primary: false,
        control: 'icon-btn',
      },
      {
        id: 'row-help',
        address: 'help@acme.com',
        state: 'needs-reauth',
        scenario: 'microsoft-oauth-expired',
        primary: true,
        control: 'icon-btn',
      },
      {
        id: 'row-support',
        address: 'support@acme.com',
        state: 'connected',
        scenario: undefined,
        primary: false,
        control: null,
      },
      {
        id: 'row-team',
        address: 'team@acme.com',
        state: 'connected',
        scenario: undefined,
        primary: false,
        control: null,
      },
    ]);
    expect(scan.banner?.id).toBe('reauth-banner');
  });

  it("ignores the helpdesk's own forwarding addresses and the signed-in agent's address", () => {
    load(fixture('a/admin/email/index.html'));
    const addresses = scanPage(freshdesk, document).rows.map((r) => r.address);
    expect(addresses.some((a) => a.endsWith('freshdesk.com') || a.startsWith('agent.'))).toBe(false);
  });
});

describe('scanPage on varied markup', () => {
  it('cards without table or list semantics: the card is the row', () => {
    load(
      `<body><div class="cards">
      <div class="card" id="c1"><div class="head"><b>ops@acme.com</b></div><div class="meta">Gmail · Reauthorization ` +
        `required</div><div class="foot"><a href="#">Re-authorize</a></div></div>
      <div class="card" id="c2"><div class="head"><b>it@acme.com</b></div><div class="meta">Other · Active</div></div>
    </div></body>`,
    );
    const rows = pageRows();
    expect(rows.map((r) => [r.id, r.state, r.scenario])).toEqual([
      ['c1', 'needs-reauth', 'password-expired'],
      ['c2', 'connected', undefined],
    ]);
  });

  it('an ARIA grid: role=row is the row', () => {
    load(
      `<body><div role="grid">
      <div role="row" id="g1"><div role="gridcell"><span><span>desk@acme.com</span></span></div><div ` +
        `role="gridcell">Microsoft Office 365</div><div role="gridcell"><span aria-label="Outgoing: Unexpected ` +
        `error" class="icon"></span></div></div>
      <div role="row" id="g2"><div role="gridcell">desk2@acme.com</div><div role="gridcell"><span title="Connected" ` +
        `class="dot"></span></div></div>
    </div></body>`,
    );
    const rows = pageRows();
    expect(rows.map((r) => [r.id, r.state, r.scenario])).toEqual([
      ['g1', 'needs-reauth', 'microsoft-oauth-expired'],
      ['g2', 'connected', undefined],
    ]);
  });

  it('rows inside an open shadow root', () => {
    load('<body><fd-email-list id="list"></fd-email-list></body>');
    const root = document.getElementById('list')!.attachShadow({ mode: 'open' });
    root.innerHTML =
      `<ul>
      <li id="s1"><span>a@acme.com</span> <span>Gmail</span> <em>Reauthorization required</em> <button ` +
      `title="Edit"><i class="pencil"></i></button></li>
      <li id="s2"><span>b@acme.com</span> <span>Verified</span></li></ul>`;
    const scan = scanPage(freshdesk, document);
    expect(scan.shadowRoots).toEqual([root]);
    expect(summary(scan.rows).map((r) => [r.id, r.state, r.control])).toEqual([
      ['s1', 'needs-reauth', null],
      ['s2', 'connected', null],
    ]);
    expect(scan.rows[0]!.control?.getAttribute('title')).toBe('Edit');
  });

  it('a single mailbox without list structure: the smallest element with address and status', () => {
    load(
      `<body><main><section id="one"><h2>only@acme.com</h2><p>Status: <span>Disconnected</span></p></section><p>Some ` +
        `other text</p></main></body>`,
    );
    const rows = pageRows();
    expect(rows.map((r) => [r.id, r.scenario])).toEqual([['one', 'microsoft-oauth-expired']]);
  });

  it('a status the helpdesk does not explain is not marked; a "Make primary" button is not a primary badge', () => {
    load(`<table><tbody>
      <tr id="r1"><td>x@acme.com</td><td>Pending verification</td><td><button>Make primary</button></td></tr>
      <tr id="r2"><td>y@acme.com</td><td>Active</td><td><button>Make primary</button></td></tr>
    </tbody></table>`);
    const rows = pageRows();
    expect(rows).toEqual([
      { id: 'r2', address: 'y@acme.com', state: 'connected', scenario: undefined, primary: false, control: null },
    ]);
  });

  it("the banner's words are never a row's status; the page is never a row", () => {
    load(`<body><div class="banner">Please reauthorize your Email settings. Learn more about it here</div>
      <table><tr><td>#101</td><td>customer@example.org</td><td>Open</td></tr></table></body>`);
    const scan = scanPage(freshdesk, document);
    expect(scan.rows).toEqual([]);
    expect(scan.banner?.className).toBe('banner');
  });

  it('rows whose status cell is glued to the address cell (no space between them) keep their own status', () => {
    // textContent reads "Connectedb@acme.com": the words before the '@' are not all the mailbox's local part.
    const statuses = ['Expired', 'Connected', 'Expired', 'Connected', 'Disconnected', 'Active'];
    document.body.innerHTML = `<table><tbody>${statuses
      .map((s, i) => `<tr id="r${i}"><td>${s}</td><td>m${i}@acme.com</td><td><a href="#">Re-authorize</a></td></tr>`)
      .join('')}</tbody></table>`;
    const rows = pageRows();
    expect(rows.map((r) => [r.id, r.address, r.state])).toEqual([
      ['r0', 'm0@acme.com', 'needs-reauth'],
      ['r1', 'm1@acme.com', 'connected'],
      ['r2', 'm2@acme.com', 'needs-reauth'],
      ['r3', 'm3@acme.com', 'connected'],
      ['r4', 'm4@acme.com', 'needs-reauth'],
      ['r5', 'm5@acme.com', 'connected'],
    ]);
  });

  it('text quoting the banner or a row inside an article or blockquote is not marked', () => {
    load(
      `<body><article><p>If you see a banner stating, 'Please reauthorize your Email settings. Learn more about ` +
        `it here'</p>
      <blockquote>Please reauthorize your Email settings. Learn more about it here or finish the setup in Email ` +
        `settings</blockquote>
      <table><tr><td>billing@acme.com</td><td>Reauthorization ` +
        `required</td></tr><tr><td>x@acme.com</td><td>Active</td></tr></table></article></body>`,
    );
    const scan = scanPage(freshdesk, document);
    expect(scan.banner).toBeNull();
    expect(scan.rows).toEqual([]);
  });
});

describe('Detection (apply and report)', () => {
  function start() {
    const sent: PageReport[] = [];
    const detection = new Detection({ detector: freshdesk, doc: document, send: (r) => sent.push(r) });
    return { detection, sent };
  }

  it('sets attributes, sends one report per change, never the same report twice', async () => {
    load(fixture('a/admin/email/index.html'));
    const { detection, sent } = start();
    detection.update();
    detection.update();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.mailboxes.map((m) => [m.address, m.state, m.scenario ?? null, m.primary])).toEqual([
      ['billing@acme.com', 'needs-reauth', 'microsoft-basic-auth', false],
      ['sales@acme.com', 'needs-reauth', 'password-expired', false],
      ['help@acme.com', 'needs-reauth', 'microsoft-oauth-expired', true],
      ['support@acme.com', 'connected', null, false],
      ['team@acme.com', 'connected', null, false],
    ]);
    // The visible marks come in the next frame, before it is painted.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(document.querySelectorAll('reauth-assist-mark')).toHaveLength(3);

    // Fixed: the status changes in place; the mark goes, the attribute changes, scenario is removed.
    document.querySelector('#row-sales .status-error')!.textContent = 'Active';
    detection.update();
    const sales = document.getElementById('row-sales')!;
    expect(sales.getAttribute('data-reauth-state')).toBe('connected');
    expect(sales.hasAttribute('data-reauth-scenario')).toBe(false);
    expect(sales.querySelector('reauth-assist-mark')).toBeNull();
    expect(sales.querySelector('[data-reauth-control]')).toBeNull();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.mailboxes.find((m) => m.address === 'sales@acme.com')).toMatchObject({ state: 'connected' });
  });

  it('a mailbox listed twice (incoming and outgoing) is reported by the row that needs reauthorization', () => {
    document.body.innerHTML =
      '<h3>Incoming</h3><table><tbody>' +
      '<tr><td>support@acme.com</td><td>Microsoft 365</td><td>Primary</td><td>Connected</td></tr>' +
      '<tr><td>sales@acme.com</td><td>Microsoft 365</td><td>Connected</td></tr></tbody></table>' +
      '<h3>Outgoing</h3><table><tbody>' +
      '<tr><td>support@acme.com</td><td>Microsoft 365</td><td>Authentication unsuccessful</td></tr>' +
      '<tr><td>sales@acme.com</td><td>Microsoft 365</td><td>Connected</td></tr></tbody></table>';
    const { detection, sent } = start();
    detection.update();
    expect(sent[0]!.mailboxes.map((m) => [m.address, m.state, m.scenario ?? null, m.primary])).toEqual([
      ['support@acme.com', 'needs-reauth', 'microsoft-oauth-expired', true],
      ['sales@acme.com', 'connected', null, false],
    ]);
  });

  it('removes stale attributes when a row disappears, and everything on dispose', () => {
    load(fixture('a/admin/email/index.html'));
    const { detection } = start();
    detection.update();
    const billing = document.getElementById('row-billing')!;
    billing.querySelector('.status-error')!.remove();
    billing.querySelector('.reauth-link')!.remove();
    detection.update();
    expect(billing.hasAttribute('data-reauth-state')).toBe(false);
    expect(billing.querySelector('reauth-assist-mark')).toBeNull();

    detection.dispose();
    expect(document.querySelectorAll('[data-reauth-state], [data-reauth-control], [data-reauth-assist]')).toHaveLength(
      0,
    );
    expect(document.querySelectorAll('reauth-assist-mark, reauth-assist-summary')).toHaveLength(0);
  });

  it('outside the agent app: no marks and no report', () => {
    load(fixture('a/admin/email/index.html'));
    const sent: PageReport[] = [];
    const detector = { ...freshdesk, isAgentScreen: () => false };
    new Detection({ detector, doc: document, send: (r) => sent.push(r) }).update();
    expect(sent).toEqual([]);
    expect(document.querySelectorAll('[data-reauth-state], [data-reauth-assist]')).toHaveLength(0);
  });
});

describe('addresses outside the words', () => {
  it('a mailbox written only in a mailto: link or a tooltip is a row; a button naming it is not one', () => {
    document.body.innerHTML =
      '<table><tbody>' +
      '<tr id="a"><td><a href="mailto:Billing@Acme.com">Billing team</a></td><td>Reauthorization required</td>' +
      '<td><a class="fix" href="#">Re-authorize</a></td></tr>' +
      '<tr id="b"><td><span title="sales@acme.com">Sales team</span></td><td>Active</td>' +
      '<td><button aria-label="Edit sales@acme.com">✎</button></td></tr>' +
      '<tr id="c"><td>Care team</td><td>Reauthorization required</td>' +
      '<td><button aria-label="Edit care@acme.com">✎</button></td></tr>' +
      '</tbody></table>';
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual(['a billing@acme.com needs-reauth', 'b sales@acme.com connected']);
    expect(rows[0]!.control).toBe('fix');
  });

  it('in a long list, a row is the mailbox its words name; one whose words name none, its attributes name', () => {
    // More rows than a list needs (LIST_CHILDREN): read row by row, the region's attributes left unread.
    let html = '<table><tbody id="list">';
    for (let i = 0; i < 60; i++)
      html += `<tr id="r${i}"><td>m${i}@acme.com</td><td>Active</td><td><button aria-label="Edit">✎</button></td></tr>`;
    html +=
      '<tr id="link"><td><a href="mailto:Billing@Acme.com">Billing team</a></td><td>Reauthorization required</td>' +
      '<td><a class="fix" href="#">Re-authorize</a></td></tr>' +
      '<tr id="tip"><td><span title="sales@acme.com">Sales team</span></td><td>Active</td></tr>' +
      '<tr id="button"><td>Care team</td><td>Reauthorization required</td>' +
      '<td><button aria-label="Edit care@acme.com">✎</button></td></tr>' +
      // The words name a mailbox: a contact link beside it does not make the row a list of two.
      '<tr id="contact"><td>help@acme.com <a href="mailto:owner@acme.com">Owner</a></td>' +
      '<td>Reauthorization required</td><td><a class="fix" href="#">Re-authorize</a></td></tr>' +
      // The words name only the helpdesk's own forwarding address: the tooltip names the mailbox.
      '<tr id="forward"><td><span title="desk@acme.com">Desk</span> acme@acme.freshdesk.com</td><td>Active</td></tr>';
    document.body.innerHTML = `${html}</tbody></table>`;
    const special = (rows: ReturnType<typeof scanPage>['rows']) =>
      idAddressState(summary(rows).filter((r) => !/^r\d/.test(r.id)));
    const expected = [
      'link billing@acme.com needs-reauth',
      'tip sales@acme.com connected',
      'contact help@acme.com needs-reauth',
      'forward desk@acme.com connected',
    ];
    // The list as a region (a list rendered after load) and in a whole-page look read alike.
    expect(special(scanRegion(freshdesk, document.getElementById('list')!, 'unknown').rows)).toEqual(expected);
    expect(special(scanPage(freshdesk, document).rows)).toEqual(expected);
  });

  const cards =
    '<div id="list">' +
    '<div id="a" class="card"><div>support@acme.com</div><div>Reauthorization required</div>' +
    '<div>Owner: <a href="mailto:jane@acme.com">Jane</a></div><a class="fix" href="#">Reauthorize</a></div>' +
    '<div id="b" class="card"><div>sales@acme.com</div><div>Active</div>' +
    '<div>Owner: <a href="mailto:bob@acme.com">Bob</a></div></div></div>';

  it('a short list of cards naming an owner by mailto: link: each card is one mailbox, the one its words name', () => {
    document.body.innerHTML = cards;
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual(['a support@acme.com needs-reauth', 'b sales@acme.com connected']);
    // A card looked at again on its own (a change inside it) is still that one mailbox.
    const again = scanRegion(freshdesk, document.getElementById('a')!, 'multi');
    expect(summary(again.rows).map((r) => `${r.id} ${r.address}`)).toEqual(['a support@acme.com']);
  });

  it('a part naming its mailbox only by a link, with a status of its own, is a row beside one named in words', () => {
    document.body.innerHTML =
      '<div id="top"><p id="me">Signed in as admin@acme.com</p>' +
      '<div id="box"><a href="mailto:billing@acme.com">Billing</a> Reauthorization required</div></div>';
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual(['box billing@acme.com needs-reauth']);
  });

  it('in a row, an address in a status sentence is a contact, not a second mailbox', () => {
    document.body.innerHTML =
      '<ul><li id="a"><b>support@acme.com</b> <span>Token expired. Contact it-admin@acme.com</span> ' +
      '<button class="fix">Sign in again</button></li>' +
      '<li id="b"><b>sales@acme.com</b> <span>Working</span></li></ul>';
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual(['a support@acme.com needs-reauth', 'b sales@acme.com connected']);
  });

  it('a group of two mailboxes, each with its own status, stays two rows', () => {
    document.body.innerHTML =
      '<div id="g1"><div id="a">a@acme.com <span>Connected</span></div><div id="b">b@acme.com ' +
      '<span>Reauthorization required</span></div></div>' +
      '<div id="g2"><div id="c">c@acme.com <span>Connected</span></div><div id="d">d@acme.com ' +
      '<span>Connected</span></div></div>';
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual([
      'a a@acme.com connected',
      'b b@acme.com needs-reauth',
      'c c@acme.com connected',
      'd d@acme.com connected',
    ]);
  });
});

describe('addresses split by markup', () => {
  it("an address split at its '@' by inline markup reads as one; words glued to an address elsewhere do not", () => {
    document.body.innerHTML =
      '<table><tbody>' +
      '<tr id="a"><td><mark>support</mark>@acme.com</td><td>Reauthorization required</td></tr>' +
      '<tr id="b"><td><span>sales</span><span>@</span><span>acme.com</span></td><td>Active</td></tr>' +
      '<tr id="c"><td><span>care@acme.com</span><span>Active</span></td></tr>' +
      '<tr id="d"><td><span>Active</span><span>jobs@acme.com</span></td></tr>' +
      '</tbody></table>';
    const rows = pageRows();
    expect(idAddressState(rows)).toEqual([
      'a support@acme.com needs-reauth',
      'b sales@acme.com connected',
      'c care@acme.com connected',
      'd jobs@acme.com connected',
    ]);
  });
});

describe('status outside the words', () => {
  it.each([
    [
      "an image's alt text and a tooltip library's data-original-title / data-bs-original-title",
      '<table><tbody>' +
        '<tr id="a"><td>a@acme.com</td><td><img alt="Reauthorization required"></td>' +
        '<td><a href="#">Edit</a></td></tr>' +
        '<tr id="b"><td>b@acme.com</td><td><i data-bs-original-title="Connected"></i></td></tr>' +
        '<tr id="c"><td>c@acme.com</td><td><i data-original-title="Access revoked"></i></td></tr>' +
        '<tr id="d"><td>d@acme.com</td><td><i data-tooltip="Active"></i></td></tr>' +
        '</tbody></table>',
    ],
    [
      "the row's own title, and a tooltip kept hidden in the page that an icon is described by",
      '<table><tbody>' +
        '<tr id="a" title="Reauthorization required"><td>a@acme.com</td><td>Microsoft 365</td></tr>' +
        '<tr id="b" title="Connected"><td>b@acme.com</td><td>Gmail</td></tr>' +
        '<tr id="c"><td>c@acme.com</td><td>Gmail</td><td><i aria-describedby="x tip-c"></i></td></tr>' +
        '<tr id="d"><td>d@acme.com</td><td>Gmail</td><td><i aria-describedby="tip-d"></i></td></tr>' +
        '<tr id="e"><td>e@acme.com</td><td>Gmail</td><td><i aria-describedby="missing"></i></td></tr>' +
        '</tbody></table>' +
        '<div hidden><div id="tip-c" role="tooltip">Access revoked</div><div id="tip-d">Active</div></div>',
    ],
    [
      "an icon's aria-description, elements an icon is labelled by, and an input button's value",
      '<table><tbody>' +
        '<tr id="a"><td>a@acme.com</td><td><i aria-description="Reauthorization required"></i></td></tr>' +
        '<tr id="b"><td>b@acme.com</td><td><i aria-labelledby="st-ok"></i></td></tr>' +
        '<tr id="c"><td>c@acme.com</td><td>Gmail</td><td><input type="button" value="Re-authorize"></td></tr>' +
        '<tr id="d"><td>d@acme.com</td><td><i aria-labelledby="st-ok st-dot"></i></td></tr>' +
        '</tbody></table>' +
        '<span id="st-ok" hidden>Connected</span><span id="st-dot" hidden>(green)</span>',
    ],
  ])('%s', (_name, html) => {
    document.body.innerHTML = html;
    expect(pageRows().map((r) => `${r.id} ${r.state}`)).toEqual([
      'a needs-reauth',
      'b connected',
      'c needs-reauth',
      'd connected',
    ]);
  });

  it("rows that name no provider take it from their group's heading, or a group row above them", () => {
    // Rows with the same words under each heading (a domain no other test's rows have).
    const row = (id: string) =>
      `<tr id="${id}"><td>${id}@groups.example</td><td>Reauthorization required</td>` +
      '<td><a href="#">Re-authorize</a></td></tr>';
    document.body.innerHTML =
      // A notice that states a status is no heading (first: no heading before it).
      `<table><tbody><tr><td colspan="3">Microsoft 365: sync failed</td></tr>${row('h')}${row('i')}</tbody></table>` +
      `<section><h3>Microsoft 365</h3><div><table><tbody>${row('a')}${row('b')}</tbody></table></div></section>` +
      `<section><h3>Google Workspace</h3><table><tbody>${row('c')}` +
      '<tr id="c2"><td>c2@groups.example</td><td>Active</td></tr></tbody></table></section>' +
      `<table><tbody><tr><th colspan="3">Other (IMAP)</th></tr>${row('d')}` +
      `<tr><th colspan="3">Office 365</th></tr>${row('e')}</tbody></table>` +
      // Headings naming two providers, or none, or a row naming its own: the row's own words decide.
      `<h3>Microsoft 365 or Gmail</h3><table><tbody>${row('f')}</tbody></table>` +
      '<h3>Microsoft 365</h3><table><tbody><tr id="g"><td>g@groups.example</td><td>Gmail</td>' +
      '<td>Reauthorization required</td></tr></tbody></table>';
    expect(pageRows().map((r) => `${r.id} ${r.scenario}`)).toEqual([
      'h password-expired',
      'i password-expired',
      'a microsoft-basic-auth',
      'b microsoft-basic-auth',
      'c password-expired',
      'c2 undefined',
      'd password-expired',
      'e microsoft-basic-auth',
      'f password-expired',
      'g password-expired',
    ]);
  });

  it("a provider named only by an icon's alt text or tooltip tells rows with the same words apart", () => {
    // A domain no other test's rows have: the first row of these words is read here, not remembered from before.
    document.body.innerHTML =
      '<table><tbody>' +
      '<tr id="a"><td>a@icons.example</td><td><img alt="Microsoft 365"></td><td>Reauthorization required</td></tr>' +
      '<tr id="b"><td>b@icons.example</td><td><img alt="Gmail"></td><td>Reauthorization required</td></tr>' +
      '<tr id="c"><td>c@icons.example</td><td><i title="Outlook"></i></td><td>Reauthorization required</td></tr>' +
      '<tr id="d"><td>d@icons.example</td><td><i title="Google"></i></td><td>Reauthorization required</td></tr>' +
      '</tbody></table>';
    const rows = pageRows();
    expect(rows.map((r) => `${r.id} ${r.scenario}`)).toEqual([
      'a microsoft-basic-auth',
      'b password-expired',
      'c microsoft-basic-auth',
      'd password-expired',
    ]);
  });
});
