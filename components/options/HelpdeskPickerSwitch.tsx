import { useHelpdeskPicker } from '../signin/useHelpdeskPicker';
import { useSectionKnown } from './options-ready';

/** Options: the switch for the account picker on the helpdesk's own sign-in, and whether the browser allows it. */
export function HelpdeskPickerSwitch() {
  const { status, error, allow, turnOff } = useHelpdeskPicker();
  useSectionKnown('helpdesk-picker', status !== null || error !== null);
  if (!status) return null;
  const on = status.enabled && status.granted;
  return (
    <section aria-labelledby="helpdesk-picker-heading" data-helpdesk-picker="switch">
      <h2 id="helpdesk-picker-heading">Account picker on the helpdesk's sign-in</h2>
      <p>{status.reason}</p>
      {!status.supported ? (
        <p class="muted" data-helpdesk-picker-state="unsupported">
          This browser cannot change the helpdesk's sign-in request. When the wrong account signs in by itself, use the
          guided private-window sign-out the row's mark and the popup offer.
        </p>
      ) : (
        <label>
          <input
            type="checkbox"
            name="helpdeskPicker"
            checked={on}
            onChange={(e) => void ((e.target as HTMLInputElement).checked ? allow() : turnOff())}
          />{' '}
          Show the account picker when I press Re-authorize in the helpdesk
        </label>
      )}
      <p class="muted" data-helpdesk-picker-state={on ? 'on' : 'off'}>
        {on
          ? `On for ${status.origins.map((o) => o.replace(/^https:\/\/|\/\*$/g, '')).join(', ')}.`
          : status.enabled && !status.granted
            ? 'Not allowed yet: tick the box to let the browser ask.'
            : "Off: the helpdesk's sign-in is left as it is."}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
