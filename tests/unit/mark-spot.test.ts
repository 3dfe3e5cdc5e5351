// @vitest-environment happy-dom
/**
 * Where a mark goes in a row: inside the row's last cell that can hold content, never inside something that
 * cannot render it or would take the click (an svg icon, a button).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spotIn } from '../../entrypoints/helpdesk.content/mark-spot';

function row(lastCell: string): HTMLTableRowElement {
  document.body.innerHTML = `<table><tbody><tr><td>billing@acme.com</td><td>${lastCell}</td></tr></tbody></table>`;
  return document.querySelector('tr')!;
}

describe('spotIn', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('puts the mark at the end of the last cell', () => {
    const r = row('Reauthorization required');
    expect(spotIn(r)).toEqual({ parent: r.cells[1], before: null });
  });

  it('does not go into an inline svg icon that is alone in the last cell', () => {
    const r = row('<svg viewBox="0 0 10 10"><path d="M0 0h10v10z"></path></svg>');
    expect(spotIn(r)).toEqual({ parent: r.cells[1], before: null });
  });

  it('does not go into a button that is alone in the last cell', () => {
    const r = row('<button type="button">Edit</button>');
    expect(spotIn(r)).toEqual({ parent: r.cells[1], before: null });
  });
});
