import { useHelpdeskPicker } from './useHelpdeskPicker';

/**
 * Asked once, in the popup: may Reauth Assist force the account picker on the helpdesk's own Re-authorize?
 * (The switch stays in Options.) Shown only where the browser can do it and nothing was decided yet.
 */
export function HelpdeskPickerAsk() {
  const { status, error, allow, dismiss } = useHelpdeskPicker();
  if (!status?.supported || !status.enabled || status.granted || status.asked) {
    return error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : null;
  }
  return (
    <section
      class="helpdesk-picker-ask"
      data-helpdesk-picker="ask"
      aria-label="Account picker on the helpdesk's sign-in"
    >
      <p>{status.reason}</p>
      <button type="button" onClick={() => void allow()} data-helpdesk-picker="allow">
        Allow
      </button>{' '}
      <button type="button" class="link" onClick={() => void dismiss()} data-helpdesk-picker="not-now">
        Not now
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
