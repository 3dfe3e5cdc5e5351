/**
 * The styles every shadow root we draw on a helpdesk page starts from: the product's tokens
 * (components/theme/tokens.css, whose :host rule redefines every variable inside our roots, light and dark),
 * then text, buttons, status pills and focus built only from them. `all: initial` on the host keeps the
 * helpdesk's inherited styles out; custom properties survive it, which is why tokens.css sets each on :host.
 */
import tokens from '../../components/theme/tokens.css?inline';

export const SHADOW_BASE_CSS = `${tokens}
:host { all: initial; font-family: var(--ra-font); font-size: var(--ra-text-md); line-height: var(--ra-line-height);
  color: var(--ra-fg); }
button { font: inherit; font-weight: 600; cursor: pointer; color: var(--ra-fg); background: var(--ra-surface);
  border: 1px solid var(--ra-border-strong); border-radius: var(--ra-radius-sm);
  padding: var(--ra-space-1) var(--ra-space-3); min-height: 24px; }
button:hover { background: var(--ra-line); }
button.primary { background: var(--ra-accent); color: var(--ra-accent-fg); border-color: var(--ra-accent); }
button.primary:hover { filter: brightness(1.1); }
:focus-visible { outline: var(--ra-focus-width) solid var(--ra-focus); outline-offset: 2px; }
a { color: var(--ra-accent); }
.pill { display: inline-flex; align-items: center; gap: var(--ra-space-2); white-space: nowrap; min-height: 0;
  border-radius: var(--ra-radius-pill); padding: 0 var(--ra-space-3); font-size: var(--ra-text-sm);
  line-height: 20px; border: 1px solid currentColor; }
.pill.warn, .warn-box { color: var(--ra-warn); background: var(--ra-warn-bg); }
.pill.warn:hover { background: var(--ra-warn-bg); filter: brightness(0.97); }
.pill.ok { color: var(--ra-ok); background: var(--ra-ok-bg); }
.pill.danger { color: var(--ra-danger); background: var(--ra-danger-bg); }
ol, ul { margin: var(--ra-space-2) 0 var(--ra-space-2) 1.3em; padding: 0; }
li { margin: var(--ra-space-1) 0; }
p { margin: var(--ra-space-2) 0; }
`;
