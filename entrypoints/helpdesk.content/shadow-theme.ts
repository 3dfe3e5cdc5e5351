/**
 * The styles every shadow root we draw on a helpdesk page starts from: the product's tokens
 * (components/theme/tokens.css, whose :host rule redefines every variable inside our roots, light and dark;
 * the build writes the ones with one value in both schemes in as values: scripts/vite-shadow-css-tokens.ts),
 * then text, buttons, status pills and focus built only from them. `all: initial` on the host keeps the
 * helpdesk's inherited styles out; custom properties survive it, which is why tokens.css sets each on :host.
 */
// ?inline: Vite minifies the CSS and gives it as a string for our shadow roots (no page stylesheet).
import tokens from '../../components/theme/tokens.css?inline';
import base from './styles/base.css?inline';

export const SHADOW_BASE_CSS = tokens + base;
