/**
 * One logical mailbox list rendered in many shapes, for tests that detection holds on markup nobody here wrote.
 * Class names, wrapper depth and the order of harmless attributes come from a seed (fixed in CI; set
 * REAUTH_SEED=<number> to explore others). Every shape must give the same marks: MAILBOXES says which.
 * Each logical row element carries data-variant-row (the tests measure its cells; the extension never reads it).
 */

export interface Mailbox {
  address: string;
  server: string;
  auth: string;
  status: string;
  /** The fix the page offers: a link, a button, an icon-only edit button, or the action named as words. */
  action: 'reauthorize' | 'sign-in' | 'edit' | 'words' | null;
  primary: boolean;
  /** The same status in another helpdesk's words (the 'other-wordings' shape). */
  otherStatus: string;
  expect: { state: 'needs-reauth' | 'connected'; scenario?: string };
}

/** The four scenarios, a primary, connected ones, an outgoing-only failure, and an action named as words. */
export const MAILBOXES: readonly Mailbox[] = [
  {
    address: 'billing@acme.com',
    server: 'Microsoft Office 365',
    auth: 'Basic authentication',
    status: 'Reauthorization required',
    action: 'reauthorize',
    primary: false,
    otherStatus: 'Action required',
    expect: { state: 'needs-reauth', scenario: 'microsoft-basic-auth' },
  },
  {
    address: 'sales@acme.com',
    server: 'Gmail',
    auth: '',
    status: 'Reauthorization required',
    action: 'edit',
    primary: false,
    otherStatus: 'Access revoked',
    expect: { state: 'needs-reauth', scenario: 'password-expired' },
  },
  {
    address: 'help@acme.com',
    server: 'Microsoft Office 365',
    auth: 'OAuth',
    status: 'Your Microsoft Office 365 credentials have expired. Please sign in again',
    action: 'sign-in',
    primary: true,
    otherStatus: 'Token expired',
    expect: { state: 'needs-reauth', scenario: 'microsoft-oauth-expired' },
  },
  {
    address: 'support@acme.com',
    server: 'Other (IMAP)',
    auth: '',
    status: 'Active',
    action: 'edit',
    primary: false,
    otherStatus: 'Syncing',
    expect: { state: 'connected' },
  },
  {
    address: 'outbound@acme.com',
    server: 'Microsoft Office 365',
    auth: 'OAuth',
    status: 'Outgoing: Unexpected error',
    action: 'edit',
    primary: false,
    otherStatus: 'Outgoing: Authentication unsuccessful',
    expect: { state: 'needs-reauth', scenario: 'microsoft-oauth-expired' },
  },
  {
    address: 'team@acme.com',
    server: 'Gmail',
    auth: '',
    status: 'Connected',
    action: null,
    primary: false,
    otherStatus: 'Online',
    expect: { state: 'connected' },
  },
  {
    address: 'legacy@acme.com',
    server: 'Microsoft Office 365',
    auth: 'Basic authentication',
    status: '',
    action: 'words',
    primary: false,
    otherStatus: '',
    expect: { state: 'needs-reauth', scenario: 'microsoft-basic-auth' },
  },
  {
    address: 'care@acme.com',
    server: 'Other (IMAP)',
    auth: '',
    status: 'Password expired',
    action: 'edit',
    primary: false,
    otherStatus: 'AUTHENTICATE failed',
    expect: { state: 'needs-reauth', scenario: 'password-expired' },
  },
  {
    address: 'jobs@acme.com',
    server: 'Microsoft Office 365',
    auth: 'OAuth',
    status: 'Verified',
    action: null,
    primary: false,
    otherStatus: 'OK',
    expect: { state: 'connected' },
  },
];

export const SHAPES = [
  'table',
  'aria-grid',
  'cards-in-li',
  'definition-list',
  'nested-divs',
  'shadow-custom-element',
  'shadow-plain-element',
  'icon-tooltip-status',
  'split-inline-status',
  'action-as-text',
  'recycled-rows',
  'in-place-rerender',
  'chunked-appends',
  'address-in-link-or-tooltip',
  'contact-links',
  'contact-in-status',
  'status-in-image-or-tooltip-data',
  'other-wordings',
  'status-in-row-title-or-described-tooltip',
  'grouped-by-server',
] as const;
export type Shape = (typeof SHAPES)[number];

/**
 * The logical list repeated (box@acme.com, box2@acme.com, ...): a long list of the same mailbox kinds, read the
 * way a list of more than 50 children is (one pass over its children when it is that simple).
 */
export function longList(copies: number): Mailbox[] {
  const list: Mailbox[] = [];
  for (let k = 1; k <= copies; k++)
    for (const m of MAILBOXES) list.push({ ...m, address: m.address.replace('@', k === 1 ? '@' : `${k}@`) });
  return list;
}

/** Shapes a long list is tested in: every one but the recycled rows (a fixed pool of row elements). */
export const LONG_SHAPES = SHAPES.filter((shape) => shape !== 'recycled-rows');

/** Rows a recycled (virtualised) list shows at once. */
export const POOL = 4;

export function seedFromEnv(): number {
  const raw = process.env.REAUTH_SEED;
  return raw && /^\d+$/.test(raw) ? Number(raw) : 1010;
}

/** mulberry32: small, seedable, good enough to pick class names and depths. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'zu', 'mo', 'ri', 'te', 'lo', 'vi', 'na', 'po', 'xe', 'qu', 'sa'];

class Style {
  private next: () => number;
  constructor(seed: number) {
    this.next = random(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** A class name like a build tool's: css-kazu-3f. */
  cls(): string {
    const n = this.int(2, 3);
    let name = '';
    for (let i = 0; i < n; i++) name += SYLLABLES[this.int(0, SYLLABLES.length - 1)];
    return `${['css', 'sc', 'x', 'ui'][this.int(0, 3)]}-${name}-${this.int(16, 255).toString(16)}`;
  }
  /** Wrappers (div or span, random classes) around inner markup, 0..max deep. */
  wrap(inner: string, max: number, tag: 'div' | 'span' = 'div'): string {
    let html = inner;
    for (let d = this.int(0, max); d > 0; d--) html = `<${tag} class="${this.cls()}">${html}</${tag}>`;
    return html;
  }
}

interface CellOptions {
  /**
   * 'data': an image's alt text, a tooltip library's data-original-title / data-bs-original-title, or an
   * aria-description;
   * 'row-or-described': the row's own title, or a tooltip kept hidden in the page that an icon is described or
   * labelled by (aria-describedby / aria-labelledby, see describedTooltips).
   */
  statusAs: 'text' | 'icon' | 'split' | 'data' | 'row-or-described';
  actionAsText: boolean;
  /**
   * 'link-or-tooltip': the address only in a mailto: link or a tooltip, the words showing a name ("Billing");
   * 'highlighted': split by inline markup at its '@', as a list filter highlights its match.
   */
  addressAs?: 'words' | 'link-or-tooltip' | 'highlighted';
  /**
   * Another address in the row that is no mailbox: an owner's mailto: link ('link'), or a contact named in a
   * broken row's status sentence ('in-status'). Contacts are at CONTACT_DOMAIN.
   */
  contact?: 'link' | 'in-status';
  /** The status in another helpdesk's words (Mailbox.otherStatus). */
  otherWords?: boolean;
  /** The mail server named only by its logo's alt text. */
  serverAsLogo?: boolean;
  /** The mail server (and its authentication) named only by the heading of the group the row is listed in. */
  serverAsGroup?: boolean;
}

/** Contacts' addresses end with this domain (the tests leave them out of a row's mailboxes). */
export const CONTACT_DOMAIN = 'staff.example.net';

function nameOf(address: string): string {
  const local = address.split('@')[0]!;
  return `${local[0]!.toUpperCase()}${local.slice(1)} team`;
}

function splitStatus(status: string): string {
  const words = status.split(' ');
  if (words.length < 2) return `<b>${status}</b>`;
  const half = Math.ceil(words.length / 2);
  return `<span>${words.slice(0, half).join(' ')}</span> <em>${words.slice(half).join(' ')}</em>`;
}

/** A number below n from an address, the same on every run: which of a shape's variants a mailbox gets. */
function spread(address: string, n: number): number {
  let sum = 0;
  for (let i = 0; i < address.length; i++) sum += address.charCodeAt(i);
  return sum % n;
}

/** A status dot's inline style (an icon with no words of its own). */
const DOT_STYLE = 'display:inline-block;width:10px;height:10px;border-radius:5px;background:#c33';

function cells(s: Style, m: Mailbox, o: CellOptions): string[] {
  const local = m.address.split('@')[0];
  const shown =
    o.addressAs === 'highlighted'
      ? `<span class="${s.cls()}"><mark class="${s.cls()}">${local}</mark>@${m.address.split('@')[1]}</span>`
      : o.addressAs !== 'link-or-tooltip'
        ? `<span class="${s.cls()}">${m.address}</span>`
        : m.address.length % 2 === 0
          ? `<a class="${s.cls()}" href="mailto:${m.address}">${nameOf(m.address)}</a>`
          : `<span class="${s.cls()}" title="${m.address}">${nameOf(m.address)}</span>`;
  const address =
    shown +
    (m.primary ? ` <span class="${s.cls()}">Primary</span>` : '') +
    `<small class="${s.cls()}" style="display:block">Forward to ${local}@acme.freshdesk.com</small>`;
  const owner = `${local}.owner@${CONTACT_DOMAIN}`;
  const logo = `<img class="${s.cls()}" alt="${m.server}" src="data:," width="16" height="16">`;
  const server = o.serverAsGroup
    ? ''
    : `${o.serverAsLogo ? logo : m.server}${m.auth ? ` <span class="${s.cls()}">(${m.auth})</span>` : ''}` +
      (o.contact === 'link'
        ? ` <small class="${s.cls()}">Owner: <a href="mailto:${owner}">${nameOf(owner)}</a></small>`
        : '');
  let status = '';
  const said = o.otherWords ? m.otherStatus : m.status;
  const words =
    o.contact === 'in-status' && m.expect.state === 'needs-reauth' && said
      ? `${said}. Ask ${local}.admin@${CONTACT_DOMAIN} to sign in again.`
      : said;
  if (said) {
    if (o.statusAs === 'data') {
      const kind = m.address.length % 3;
      const attribute =
        spread(m.address, 4) === 3 ? 'aria-description' : kind === 1 ? 'data-bs-original-title' : 'data-original-title';
      status =
        kind === 0
          ? `<img class="${s.cls()}" alt="${said}" src="data:," width="12" height="12">`
          : `<i class="${s.cls()}" ${attribute}="${said}" style="${DOT_STYLE}"></i>`;
    } else if (o.statusAs === 'row-or-described') {
      const reference = spread(m.address, 2) ? 'aria-labelledby' : 'aria-describedby';
      status = inRowTitle(m)
        ? ''
        : `<span class="${s.cls()}" ${reference}="tip-${local}" ` + `style="${DOT_STYLE}"></span>`;
    } else if (o.statusAs === 'icon')
      status =
        `<span class="${s.cls()}" role="img" aria-label="${said}" title="${said}" ` + `style="${DOT_STYLE}"></span>`;
    else if (o.statusAs === 'split') status = `<span class="${s.cls()}">${splitStatus(said)}</span>`;
    else status = `<span class="${s.cls()}">${words}</span>`;
  }
  let action = '';
  if (m.action === 'words')
    action =
      o.statusAs === 'icon'
        ? `<span role="img" title="Re-authorize" class="${s.cls()}">!</span>`
        : `<span class="${s.cls()}">Re-authorize</span>`;
  else if (m.action === 'reauthorize')
    action = o.actionAsText
      ? `<span class="${s.cls()}">Re-authorize</span>`
      : `<a href="#r" class="${s.cls()}">Re-authorize</a>`;
  else if (m.action === 'sign-in')
    action = o.actionAsText
      ? `<span class="${s.cls()}">Sign in with Microsoft</span>`
      : `<button type="button" class="${s.cls()}">Sign in with Microsoft</button>`;
  else if (m.action === 'edit')
    action =
      `<button type="button" class="${s.cls()}" aria-label="Edit ${m.address}"><i ` +
      `class="icon-pencil"></i></button>`;
  // The action named as words sits in the status area, as the unseen page had it.
  if (m.action === 'words') return [address, server, `${status}${action}`, ''];
  return [address, server, status, action];
}

const BANNER =
  'Please reauthorize your Email settings. Learn more about it <a href="#">here</a> or finish the setup in <a ' +
  'href="#">Email settings</a>';

function banner(s: Style): string {
  return `<div class="${s.cls()}" role="alert" style="background:#ffd8a8;padding:8px">${s.wrap(
    `<span>${BANNER}</span>`,
    2,
  )}</div>`;
}

/** With statusAs 'row-or-described': half the mailboxes state their status as their row's title. */
function inRowTitle(m: Mailbox): boolean {
  return m.address.length % 2 === 0;
}

/** The hidden tooltips the status icons of statusAs 'row-or-described' are described by. */
function describedTooltips(s: Style, list: readonly Mailbox[]): string {
  const tips = list
    .filter((m) => m.status && !inRowTitle(m))
    .map((m) => `<div role="tooltip" id="tip-${m.address.split('@')[0]}" class="${s.cls()}">${m.status}</div>`);
  return `<div hidden>${tips.join('')}</div>`;
}

/** A table's rows. */
function tableRows(s: Style, list: readonly Mailbox[], o: CellOptions): string {
  const title = (m: Mailbox) =>
    o.statusAs === 'row-or-described' && inRowTitle(m) && m.status ? ` title="${m.status}"` : '';
  return list
    .map(
      (m) =>
        `<tr class="${s.cls()}"${title(m)} data-variant-row>${cells(s, m, o)
          .map((c) => `<td class="${s.cls()}">${s.wrap(c, 2)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
}

function table(s: Style, list: readonly Mailbox[], o: CellOptions): string {
  return (
    `<table class="${s.cls()}" style="border-collapse:collapse;width:100%"><thead><tr><th>Support ` +
    `email</th><th>Mail ` +
    `server</th><th>Status</th><th></th></tr></thead><tbody>${tableRows(s, list, o)}</tbody></table>`
  );
}

function gridRow(s: Style, m: Mailbox, o: CellOptions): string {
  const cols = 'grid-template-columns:2fr 2fr 3fr 1fr';
  return `<div role="row" class="${s.cls()}" data-variant-row style="display:grid;${cols};gap:8px">${cells(s, m, o)
    .map((c) => `<div role="gridcell" class="${s.cls()}">${s.wrap(c, 2)}</div>`)
    .join('')}</div>`;
}

function grid(s: Style, list: readonly Mailbox[], o: CellOptions): string {
  return (
    `<div role="grid" class="${s.cls()}"><div role="row" style="display:grid;grid-template-columns:2fr 2fr 3fr ` +
    `1fr"><div role="columnheader">Email</div><div role="columnheader">Server</div><div ` +
    `role="columnheader">Status</div><div ` +
    `role="columnheader"></div></div>${list.map((m) => gridRow(s, m, o)).join('')}</div>`
  );
}

function cardItem(s: Style, m: Mailbox, o: CellOptions): string {
  return (
    `<li class="${s.cls()}" data-variant-row ` +
    `style="display:flex;gap:12px;align-items:center;padding:6px;border-bottom:1px solid #ddd">${cells(s, m, o)
      .map((c) => `<div class="${s.cls()}">${s.wrap(c, 2)}</div>`)
      .join('')}</li>`
  );
}

function cards(s: Style, list: readonly Mailbox[], o: CellOptions): string {
  return `<ul class="${s.cls()}" style="list-style:none;padding:0">${list.map((m) => cardItem(s, m, o)).join('')}</ul>`;
}

function nestedRow(s: Style, m: Mailbox, o: CellOptions): string {
  const row = `<div class="${s.cls()}" data-variant-row style="display:flex;gap:10px">${cells(s, m, o)
    .map((c) => `<div class="${s.cls()}" style="flex:1">${s.wrap(c, 3, 'span')}</div>`)
    .join('')}</div>`;
  return s.wrap(row, 4);
}

const TEXT: CellOptions = { statusAs: 'text', actionAsText: false };

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px/1.4 sans-serif;margin:0;width:1000px}td{padding:6px;border-bottom:1px solid #ddd}</style></head>
<body>${body}<script>${script}
window.variantReady = window.variantReady || Promise.resolve();</script></body></html>`;
}

/** The page for one shape; `window.variantReady` resolves once the page has rendered everything it will. */
export function renderShape(shape: Shape, seed: number, list: readonly Mailbox[] = MAILBOXES): string {
  // Each shape gets its own stream, so adding a shape does not change the others.
  const s = new Style(seed * 31 + SHAPES.indexOf(shape));
  const title = `Email | ${shape}`;
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  switch (shape) {
    case 'table':
      return page(title, banner(s) + s.wrap(table(s, list, TEXT), 3));
    case 'aria-grid':
      return page(title, banner(s) + s.wrap(grid(s, list, TEXT), 3));
    case 'cards-in-li':
      return page(title, banner(s) + s.wrap(cards(s, list, TEXT), 3));
    case 'definition-list': {
      const items = list
        .map((m) => {
          const [address, server, status, action] = cells(s, m, TEXT);
          return (
            `<dt class="${s.cls()}" data-variant-row>${address}</dt><dd class="${s.cls()}">${server} ` +
            `· ${status} ${action}</dd>`
          );
        })
        .join('');
      return page(title, banner(s) + s.wrap(`<dl class="${s.cls()}">${items}</dl>`, 3));
    }
    case 'nested-divs':
      return page(
        title,
        banner(s) + s.wrap(`<div class="${s.cls()}">${list.map((m) => nestedRow(s, m, TEXT)).join('')}</div>`, 3),
      );
    case 'shadow-custom-element': {
      const inner = `<style>td{padding:6px}</style>${table(s, list, TEXT)}`;
      const tag = `mail-${s.cls()}`;
      return page(
        title,
        banner(s) + s.wrap(`<${tag} id="host" style="display:block"></${tag}>`, 2),
        `document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = ${json(inner)};`,
      );
    }
    case 'shadow-plain-element': {
      // Banner, rows and statuses as nested inline markup inside a shadow root attached to a plain div that is
      // already on the page: attached after load, with no DOM mutation the page's observers could see.
      const rows = list
        .map(
          (m) =>
            `<span class="${s.cls()}" data-variant-row style="display:block;padding:4px">${cells(s, m, TEXT)
              .map((c) => `<span class="${s.cls()}">${c}</span> `)
              .join('')}</span>`,
        )
        .join('');
      const inner =
        `<span role="alert" class="${s.cls()}" ` +
        `style="display:block;background:#ffd8a8">${BANNER}</span><span class="${s.cls()}" ` +
        `style="display:block">${rows}</span>`;
      return page(
        title,
        // The host shows a placeholder until its shadow root (which hides it) is attached.
        `<div class="${s.cls()}"><div id="host" class="${s.cls()}"><span>Loading mailboxes...</span></div></div>`,
        `window.variantReady = new Promise((resolve) => setTimeout(() => {
  document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = ${json(inner)};
  resolve();
}, 700));`,
      );
    }
    case 'icon-tooltip-status':
      return page(title, banner(s) + s.wrap(table(s, list, { statusAs: 'icon', actionAsText: false }), 3));
    case 'split-inline-status':
      // The address split too, at its '@'.
      return page(
        title,
        banner(s) + s.wrap(cards(s, list, { statusAs: 'split', actionAsText: false, addressAs: 'highlighted' }), 3),
      );
    case 'action-as-text':
      return page(title, banner(s) + s.wrap(grid(s, list, { statusAs: 'text', actionAsText: true }), 3));
    case 'recycled-rows': {
      // A virtualised list: POOL row elements, reused for whichever mailboxes are in view (window.variant.show).
      const rendered = list.map((m) =>
        cells(s, m, TEXT)
          .map((c) => `<div class="${s.cls()}" style="flex:1">${c}</div>`)
          .join(''),
      );
      const rowCls = s.cls();
      const pool = Array.from(
        { length: POOL },
        (_, i) =>
          `<div class="${rowCls}" data-variant-row style="display:flex;gap:8px;height:72px" data-slot="${i}"></div>`,
      ).join('');
      return page(
        title,
        banner(s) + s.wrap(`<div class="${s.cls()}" id="pool">${pool}</div>`, 2),
        `const ROWS = ${json(rendered)};
window.variant = { show(offset) {
  document.querySelectorAll('#pool > [data-slot]').forEach((row, i) => { row.innerHTML = ROWS[offset + i] || ''; });
} };
window.variant.show(0);`,
      );
    }
    case 'in-place-rerender': {
      const first = list.map((m) => cardItem(s, m, TEXT)).join('');
      const again = [...list]
        .reverse()
        .map((m) => cardItem(s, m, TEXT))
        .join('');
      return page(
        title,
        banner(s) + s.wrap(`<ul id="list" class="${s.cls()}" style="list-style:none;padding:0">${first}</ul>`, 2),
        `window.variantReady = new Promise((resolve) => setTimeout(() => {
  document.getElementById('list').innerHTML = ${json(again)};
  resolve();
}, 400));`,
      );
    }
    case 'address-in-link-or-tooltip':
      return page(
        title,
        banner(s) + s.wrap(table(s, list, { statusAs: 'text', actionAsText: false, addressAs: 'link-or-tooltip' }), 3),
      );
    case 'contact-links':
      return page(
        title,
        banner(s) +
          s.wrap(
            `<div class="${s.cls()}">${list.map((m) => nestedRow(s, m, { ...TEXT, contact: 'link' })).join('')}</div>`,
            3,
          ),
      );
    case 'contact-in-status':
      return page(title, banner(s) + s.wrap(cards(s, list, { ...TEXT, contact: 'in-status' }), 3));
    case 'status-in-image-or-tooltip-data':
      // The mail server too, as a logo.
      return page(
        title,
        banner(s) + s.wrap(table(s, list, { statusAs: 'data', actionAsText: false, serverAsLogo: true }), 3),
      );
    case 'status-in-row-title-or-described-tooltip':
      return page(
        title,
        banner(s) +
          s.wrap(table(s, list, { statusAs: 'row-or-described', actionAsText: false }), 3) +
          describedTooltips(s, list),
      );
    case 'grouped-by-server': {
      // Each server's mailboxes under its name: a heading above its own table, or a group row in one table.
      const o = { ...TEXT, serverAsGroup: true };
      const groups = [...new Set(list.map((m) => m.server))].map((server) => ({
        server,
        rows: tableRows(
          s,
          list.filter((m) => m.server === server),
          o,
        ),
      }));
      const tableOf = (body: string) =>
        `<table class="${s.cls()}" style="border-collapse:collapse;width:100%"><tbody>${body}</tbody></table>`;
      // The first server under a heading above its table, the others as group rows in one table.
      const [first, ...rest] = groups;
      const grouped =
        `<h3 class="${s.cls()}">${first!.server}</h3>${s.wrap(tableOf(first!.rows), 2)}` +
        tableOf(rest.map((g) => `<tr class="${s.cls()}"><th colspan="4">${g.server}</th></tr>${g.rows}`).join(''));
      return page(title, banner(s) + s.wrap(grouped, 2));
    }
    case 'other-wordings':
      return page(title, banner(s) + s.wrap(grid(s, list, { ...TEXT, otherWords: true }), 3));
    case 'chunked-appends': {
      const rows = list.map((m) => tableRows(s, [m], TEXT));
      return page(
        title,
        `${banner(s)}<table style="width:100%"><tbody id="rows"></tbody></table>`,
        `const CHUNKS = ${json(rows)};
window.variantReady = new Promise((resolve) => {
  let i = 0;
  const step = () => {
    document.getElementById('rows').insertAdjacentHTML('beforeend', CHUNKS.slice(i, i + 2).join(''));
    i += 2;
    if (i < CHUNKS.length) requestAnimationFrame(step); else resolve();
  };
  requestAnimationFrame(step);
});`,
      );
    }
  }
}
