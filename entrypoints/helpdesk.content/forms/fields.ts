/**
 * Finding a settings form's controls by what the admin reads next to them, whatever the markup: a
 * `<label>`, aria-label / aria-labelledby, the cell before it in a table layout, or the caption just
 * before it in a div layout. And changing a control the way a person does, so the page's own form logic
 * (auto-filled ports, Save enabled, "unsaved changes") sees the change.
 */
import { isOurs } from '../ours';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const CONTROLS = 'input:not([type="hidden"]):not([type="button"]):not([type="submit"]), select, textarea';
const MAX_LABEL = 80;

function clean(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/\s+/g, ' ')
    .replace(/[\s:*]+$/, '')
    .trim();
}

function textOf(el: Element): string {
  // Our own marks sit inside the page's cells: never read them as part of a label.
  let text = '';
  for (const node of el.childNodes) {
    if (node.nodeType === 3) text += (node as Text).data;
    else if (node.nodeType === 1 && !isOurs(node) && !(node as Element).matches(CONTROLS))
      text += textOf(node as Element);
  }
  return text;
}

/** The words that name a control, as a person sees them; '' when nothing names it. */
export function labelOf(control: Control): string {
  const aria = control.getAttribute('aria-label');
  if (aria) return clean(aria);
  const by = control.getAttribute('aria-labelledby');
  if (by) {
    const text = by
      .split(/\s+/)
      .map((id) => control.ownerDocument.getElementById(id))
      .filter((el): el is HTMLElement => el !== null)
      .map(textOf)
      .join(' ');
    if (clean(text)) return clean(text);
  }
  const label = control.labels?.[0];
  if (label) return clean(textOf(label));
  const cell = control.closest('td, th, [role="cell"], [role="gridcell"]');
  const previousCell = cell?.previousElementSibling;
  if (previousCell?.matches('td, th, [role="cell"], [role="gridcell"], [role="rowheader"]')) {
    const text = clean(textOf(previousCell));
    if (text && text.length <= MAX_LABEL) return text;
  }
  for (let sibling = control.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    const text = clean(textOf(sibling));
    if (text) return text.length <= MAX_LABEL ? text : '';
  }
  return '';
}

export interface NamedControl {
  label: string;
  control: Control;
  /** Its name, id, placeholder and title as words ("connectionType" -> "connection type"), lower case. */
  hints: string;
}

/** "connectionType", "mail_server-name" -> "connection type", "mail server name". */
function words(value: string | null): string {
  return (value ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.[\]:]+/g, ' ')
    .trim()
    .toLowerCase();
}

function hintsOf(control: Control): string {
  return [control.getAttribute('name'), control.id, control.getAttribute('placeholder'), control.getAttribute('title')]
    .map(words)
    .filter(Boolean)
    .join(' | ');
}

/** Every control in `root` with its label, in document order. */
export function namedControls(root: ParentNode): NamedControl[] {
  return [...root.querySelectorAll<Control>(CONTROLS)].map((control) => ({
    label: labelOf(control),
    control,
    hints: hintsOf(control),
  }));
}

/**
 * How a field is recognised, by meaning rather than one label: the words beside it, its name / id /
 * placeholder, or (a select) the choices it offers. The first way that finds a control wins.
 */
export interface FieldSpec {
  label?: RegExp;
  hint?: RegExp;
  /** A select whose option texts satisfy this. */
  options?: (texts: readonly string[]) => boolean;
  /** Only this kind of control. */
  kind?: 'select' | 'checkbox' | 'text';
  /** Words that rule a control out (the "Alternate server" is not the server). */
  not?: RegExp;
}

function kindOk(control: Control, kind: FieldSpec['kind']): boolean {
  if (!kind) return true;
  if (kind === 'select') return control instanceof HTMLSelectElement;
  const checkbox = control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
  return kind === 'checkbox' ? checkbox : !(control instanceof HTMLSelectElement) && !checkbox;
}

export function optionTexts(control: Control): string[] {
  return control instanceof HTMLSelectElement ? [...control.options].map((o) => clean(o.textContent ?? o.value)) : [];
}

/** The control a spec finds; visible ones first (a hidden one is another mode's field). */
export function findField(
  controls: readonly NamedControl[],
  spec: FieldSpec,
  taken: ReadonlySet<Control> = new Set(),
): Control | null {
  const usable = controls.filter(
    (c) =>
      !taken.has(c.control) &&
      kindOk(c.control, spec.kind) &&
      !(spec.not && (spec.not.test(c.label) || spec.not.test(c.hints))),
  );
  const tests: Array<(c: NamedControl) => boolean> = [];
  if (spec.label) tests.push((c) => spec.label!.test(c.label));
  if (spec.hint) tests.push((c) => spec.hint!.test(c.hints));
  if (spec.options) tests.push((c) => c.control instanceof HTMLSelectElement && spec.options!(optionTexts(c.control)));
  for (const test of tests) {
    const matching = usable.filter(test);
    const found = matching.find((c) => isShown(c.control)) ?? matching[0];
    if (found) return found.control;
  }
  return null;
}

/** The first control whose label matches; hidden ones (another mode's fields) only if nothing visible does. */
export function findControl(controls: readonly NamedControl[], label: RegExp): Control | null {
  const matching = controls.filter((c) => label.test(c.label));
  return (matching.find((c) => isShown(c.control)) ?? matching[0])?.control ?? null;
}

export function isShown(el: Element): boolean {
  return (el as HTMLElement).offsetParent !== null || (el as HTMLElement).getClientRects().length > 0;
}

/** A select's chosen option as the admin reads it; an input's value. */
export function shownValue(control: Control | null): string {
  if (!control) return '';
  if (control instanceof HTMLSelectElement) return clean(control.selectedOptions[0]?.textContent ?? control.value);
  return control.value.trim();
}

export function isChecked(control: Control | null): boolean | null {
  return control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : null;
}

const NATIVE_VALUE = new Map<object, (this: Element, value: string) => void>();

function nativeSetter(control: Control): (this: Element, value: string) => void {
  const proto = Object.getPrototypeOf(control) as object;
  let setter = NATIVE_VALUE.get(proto);
  if (!setter) {
    for (let p: object | null = proto; p && !setter; p = Object.getPrototypeOf(p) as object | null) {
      setter = Object.getOwnPropertyDescriptor(p, 'value')?.set as typeof setter;
    }
    if (!setter) throw new Error('This control has no value to set.');
    NATIVE_VALUE.set(proto, setter);
  }
  return setter;
}

/**
 * Sets a value as typing would: through the element's own value setter (frameworks that track the value
 * see a real change), then `input` and `change`, bubbling, so the page's listeners run.
 */
export function setControlValue(control: Control, value: string): void {
  nativeSetter(control).call(control, value);
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Chooses the option whose value or text is `wanted` (case-insensitive); false when there is none. */
export function chooseOption(select: HTMLSelectElement, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  const option = [...select.options].find(
    (o) => o.value.toLowerCase() === w || clean(o.textContent).toLowerCase() === w,
  );
  if (!option) return false;
  if (select.value !== option.value) {
    nativeSetter(select).call(select, option.value);
    select.dispatchEvent(new Event('input', { bubbles: true }));
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return true;
}
