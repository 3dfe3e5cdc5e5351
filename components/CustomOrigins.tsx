/**
 * Options: the helpdesk origins beyond *.freshdesk.com where Reauth Assist should run. The browser's host
 * permission is requested inside the admin's click (browsers refuse the request otherwise); the worker then
 * registers the content script for the origin.
 */
import browser from 'webextension-polyfill';
import { useEffect, useRef, useState } from 'preact/hooks';
import { parseHelpdeskOrigin } from '../lib/helpdesk-origins';
import { addCustomOrigin, listCustomOrigins, removeCustomOrigin, type CustomOriginStatus } from '../lib/messages';
import { useSectionKnown } from './options/options-ready';
import { askWorker, failureText } from './worker-client';

export function CustomOrigins() {
  const [origins, setOrigins] = useState<CustomOriginStatus[] | null>(null);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useSectionKnown('origins', origins !== null);

  useEffect(() => {
    askWorker(listCustomOrigins).then(setOrigins, (failure: unknown) => {
      setOrigins([]);
      setError(failureText(failure));
    });
  }, []);

  const fail = (message: string) => {
    setError(message);
    setAnnouncement('');
    inputRef.current?.focus();
  };

  const add = async (event: Event) => {
    event.preventDefault();
    const parsed = parseHelpdeskOrigin(input);
    if (!parsed.ok) return fail(parsed.error);
    setError(null);
    setBusy(true);
    try {
      // First await of the handler: the request must run while the click still counts as a user gesture.
      const granted = await browser.permissions.request({ origins: [parsed.matchPattern] });
      if (!granted) {
        return fail(`The browser did not allow access to ${parsed.origin}. Click Add again and choose Allow.`);
      }
      setOrigins(await askWorker(addCustomOrigin, { origin: parsed.origin }));
      setInput('');
      setAnnouncement(`Added ${parsed.origin}. Reload its open tabs to start checking them.`);
    } catch (failure) {
      fail(failureText(failure));
    } finally {
      setBusy(false);
    }
  };

  const grantAgain = async (status: CustomOriginStatus) => {
    setError(null);
    try {
      const granted = await browser.permissions.request({ origins: [status.matchPattern] });
      if (!granted) return fail(`The browser did not allow access to ${status.origin}.`);
      setOrigins(await askWorker(addCustomOrigin, { origin: status.origin }));
      setAnnouncement(`Reauth Assist runs on ${status.origin} again.`);
    } catch (failure) {
      fail(failureText(failure));
    }
  };

  const remove = async (status: CustomOriginStatus) => {
    setError(null);
    try {
      setOrigins(await askWorker(removeCustomOrigin, { origin: status.origin }));
      setAnnouncement(`Removed ${status.origin}. Reauth Assist no longer runs there.`);
      inputRef.current?.focus();
    } catch (failure) {
      fail(failureText(failure));
    }
  };

  return (
    <section aria-labelledby="origins-heading">
      <h2 id="origins-heading">Helpdesk addresses</h2>
      <p>
        Reauth Assist runs on <code>https://*.freshdesk.com</code> out of the box. Add your helpdesk's own address (a
        Freshdesk custom domain or a self-hosted helpdesk); your browser asks you to allow access to that site only.
      </p>
      <form onSubmit={add} noValidate>
        <label for="origin-input">Helpdesk address</label>
        <div class="row">
          <input
            id="origin-input"
            ref={inputRef}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="https://support.example.com"
            value={input}
            onInput={(event) => setInput((event.target as HTMLInputElement).value)}
            aria-invalid={error !== null}
            aria-describedby={error !== null ? 'origin-error' : 'origin-hint'}
          />
          <button type="submit" disabled={busy}>
            Add
          </button>
        </div>
        <p id="origin-hint" class="muted">
          https:// and the host name only, e.g. https://support.acme.com (http:// only for localhost).
        </p>
        {error !== null && (
          <p id="origin-error" class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p class="sr-status" role="status">
        {announcement}
      </p>
      {origins === null ? (
        <p class="muted">Loading…</p>
      ) : origins.length === 0 ? (
        <p class="muted">No addresses added.</p>
      ) : (
        <ul class="origins" aria-label="Added helpdesk addresses">
          {origins.map((status) => (
            <li key={status.origin} data-origin={status.origin}>
              <span class="origin">{status.origin}</span>
              <span class={status.granted && status.registered ? 'tag ok' : 'tag warn'}>
                {status.granted && status.registered ? 'Active' : 'Access not allowed'}
              </span>
              {!status.granted && (
                <button type="button" onClick={() => grantAgain(status)}>
                  Allow access
                </button>
              )}
              <button type="button" onClick={() => remove(status)} aria-label={`Remove ${status.origin}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
