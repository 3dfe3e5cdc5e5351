/**
 * Options: pairing with the companion (its address and the secret it printed at its first start), and
 * "Test connection", which says plainly what is wrong: not running, something else on the port, the wrong
 * secret. The secret goes to the worker and is never shown again (the field stays empty once saved).
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import {
  companionOriginPattern,
  companionPairingForget,
  companionPairingSave,
  companionPairingStatus,
  companionTest,
  companionUrlSchema,
  COMPANION_DEFAULT_URL,
  pairingSecretSchema,
  type ConnectionTestResult,
  type PairingStatus,
} from '../../lib/companion-ui';
import { askWorker, failureText } from '../worker-client';
import { useSectionKnown } from './options-ready';

export function CompanionSettings() {
  const [status, setStatus] = useState<PairingStatus | null>(null);
  const [url, setUrl] = useState(COMPANION_DEFAULT_URL);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  useSectionKnown('companion', status !== null || error !== null);

  const load = (next: PairingStatus) => {
    setStatus(next);
    setUrl(next.url);
  };
  useEffect(() => {
    askWorker(companionPairingStatus).then(load, (failure: unknown) => setError(failureText(failure)));
  }, []);

  /** The form's values, checked with the worker's own schemas; null (and an error shown) when invalid. */
  const values = (): { url: string; secret?: string } | null => {
    const parsedUrl = companionUrlSchema.safeParse(url);
    if (!parsedUrl.success) {
      setError(`Companion address: ${parsedUrl.error.issues[0]?.message ?? 'not valid'}`);
      return null;
    }
    if (secret.trim() === '') return { url: parsedUrl.data };
    const parsedSecret = pairingSecretSchema.safeParse(secret);
    if (!parsedSecret.success) {
      setError(`Pairing secret: ${parsedSecret.error.issues[0]?.message ?? 'not valid'}`);
      return null;
    }
    return { url: parsedUrl.data, secret: parsedSecret.data };
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved('');
    setError(null);
    const form = values();
    if (!form) return;
    if (!form.secret && !status?.hasSecret)
      return setError('Paste the pairing secret the companion printed at its first start.');
    try {
      // First await of the handler: the browser asks only while the click still counts as a user gesture.
      const granted = await browser.permissions.request({ origins: [companionOriginPattern(form.url)] });
      if (!granted)
        return setError(
          `The browser did not allow Reauth Assist to contact ${new URL(form.url).host}. Click Save again and ` +
            `choose Allow.`,
        );
      load(await askWorker(companionPairingSave, form));
      setSecret('');
      setSaved('Saved. Test the connection to be sure.');
    } catch (failure) {
      setError(failureText(failure));
    }
  };

  const runTest = async () => {
    setError(null);
    setTest(null);
    const form = values();
    if (!form) return;
    setTesting(true);
    try {
      setTest(await askWorker(companionTest, form));
    } catch (failure) {
      setError(failureText(failure));
    } finally {
      setTesting(false);
    }
  };

  const forget = async () => {
    setError(null);
    setTest(null);
    try {
      load(await askWorker(companionPairingForget));
      setSaved('The pairing is forgotten.');
    } catch (failure) {
      setError(failureText(failure));
    }
  };

  if (!status) return error ? <p class="error">{error}</p> : <p class="muted">Loading…</p>;
  return (
    <section class="companion-settings" aria-labelledby="companion-title" data-companion-settings>
      <h2 id="companion-title">Companion</h2>
      {/* biome-ignore format: Biome's text fill would put the {' '} after </code> past 120 columns. */}
      <p class="muted">
        The companion checks mailboxes over IMAP and SMTP, which a browser cannot.
        Start it with <code>npm start</code>{' '}
        in the Reauth Assist folder; on its first start it prints its address and a pairing secret, once. Paste both
        here.
      </p>
      <form onSubmit={save} data-form="companion">
        <label>
          Companion address
          <input
            name="companionUrl"
            value={url}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
            placeholder={COMPANION_DEFAULT_URL}
          />
        </label>
        <label>
          Pairing secret
          <input
            name="pairingSecret"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={secret}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)}
            placeholder={
              status.hasSecret ? 'Saved (paste a new one to replace it)' : 'Paste the secret the companion printed'
            }
          />
        </label>
        <p class="muted" data-companion="paired">
          {status.hasSecret ? `Paired with ${status.url}.` : 'Not paired yet.'}
        </p>
        <div class="row">
          <button type="submit" data-companion="save">
            Save
          </button>
          <button type="button" onClick={() => void runTest()} disabled={testing} data-companion="test">
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          {status.hasSecret && (
            <button type="button" class="link" onClick={() => void forget()} data-companion="forget">
              Forget the pairing
            </button>
          )}
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="ok" role="status">
          {saved}
        </p>
      </form>
      {test && (
        <ul class="connection-checks" data-companion-test={test.ok ? 'ok' : 'failed'} aria-label="Connection test">
          {test.checks.map((check) => (
            <li key={check.what} class={check.ok ? 'ok' : 'error'} data-check-ok={String(check.ok)}>
              {check.ok ? '✓' : '✗'} <strong>{check.what}:</strong> {check.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
