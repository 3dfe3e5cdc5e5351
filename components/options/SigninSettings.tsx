/**
 * Options: the OAuth clients Reauth Assist signs in with. Each organisation registers its own app (see
 * docs/signin.md) and enters the Client IDs here; they are not secrets and live in storage.local.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  DEFAULT_REDEEM_VIA,
  type GenericProvider,
  type RedeemVia,
  type SigninSettings as Settings,
} from '../../lib/signin';
import { CopyField } from '../signin/CopyButton';
import { RedeemViaField } from '../signin/RedeemViaField';
import { GenericProviderForm } from '../signin/GenericProviderForm';
import { readSigninSettings, redirectUrl, updateSigninSettings } from '../signin/settings-store';
import { useSectionKnown } from './options-ready';
import '../signin/signin.css';

export function SigninSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [msClientId, setMsClientId] = useState('');
  const [msTenant, setMsTenant] = useState('');
  const [googleClientId, setGoogleClientId] = useState('');
  const [msRedeemVia, setMsRedeemVia] = useState<RedeemVia>(DEFAULT_REDEEM_VIA.microsoft);
  const [googleRedeemVia, setGoogleRedeemVia] = useState<RedeemVia>(DEFAULT_REDEEM_VIA.google);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');
  const [adding, setAdding] = useState(false);
  useSectionKnown('signin', settings !== null);

  const load = (next: Settings) => {
    setSettings(next);
    setMsClientId(next.microsoft.clientId ?? '');
    setMsTenant(next.microsoft.tenant ?? '');
    setGoogleClientId(next.google.clientId ?? '');
    setMsRedeemVia(next.microsoft.redeemVia ?? DEFAULT_REDEEM_VIA.microsoft);
    setGoogleRedeemVia(next.google.redeemVia ?? DEFAULT_REDEEM_VIA.google);
  };
  useEffect(() => void readSigninSettings().then(load), []);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved('');
    const optional = (value: string) => (value.trim() ? value.trim() : undefined);
    const result = await updateSigninSettings((current) => ({
      ...current,
      microsoft: { clientId: optional(msClientId), tenant: optional(msTenant), redeemVia: msRedeemVia },
      google: { clientId: optional(googleClientId), redeemVia: googleRedeemVia },
    }));
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    load(result.settings);
    setSaved('Saved.');
  };

  const remove = async (provider: GenericProvider) => {
    const result = await updateSigninSettings((current) => ({
      ...current,
      generic: current.generic.filter((g) => g.id !== provider.id),
    }));
    if (result.ok) load(result.settings);
  };

  if (!settings) return <p class="muted">Loading…</p>;
  const invalid = (field: string) => (errors[field] ? 'true' : undefined);
  return (
    <section class="signin-settings" aria-labelledby="signin-settings-title">
      <h2 id="signin-settings-title">Sign-in (OAuth clients)</h2>
      <p class="muted">Register an app with each provider (docs/signin.md says how) and enter its Client ID.</p>
      <CopyField label="Redirect URL to register" value={redirectUrl()} />
      <form onSubmit={save} data-form="signin-clients">
        <h3>Microsoft 365 / Outlook.com</h3>
        <label>
          Client ID (Application ID)
          <input
            name="microsoftClientId"
            value={msClientId}
            aria-invalid={invalid('clientId')}
            onInput={(e) => setMsClientId((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Tenant (domain or Directory ID; empty: any work or school account)
          <input
            name="microsoftTenant"
            value={msTenant}
            placeholder="organizations"
            aria-invalid={invalid('tenant')}
            onInput={(e) => setMsTenant((e.target as HTMLInputElement).value)}
          />
        </label>
        <p class="muted">
          Personal outlook.com and hotmail.com mailboxes always sign in through Microsoft's "consumers" endpoint.
        </p>
        <RedeemViaField provider="microsoft" value={msRedeemVia} onChange={setMsRedeemVia} />
        <h3>Google</h3>
        <label>
          Client ID
          <input
            name="googleClientId"
            value={googleClientId}
            onInput={(e) => setGoogleClientId((e.target as HTMLInputElement).value)}
          />
        </label>
        <RedeemViaField provider="google" value={googleRedeemVia} onChange={setGoogleRedeemVia} />
        {Object.entries(errors).map(([field, message]) => (
          <p class="error" key={field}>
            {field}: {message}
          </p>
        ))}
        <button type="submit">Save</button>
        <span class="ok" role="status">
          {saved}
        </span>
      </form>
      <h3>Other OAuth providers</h3>
      <ul class="generic-list">
        {settings.generic.map((provider) => (
          <li key={provider.id} data-generic={provider.id}>
            <strong>{provider.name}</strong> <span class="muted">{provider.authorizeUrl}</span>{' '}
            <button type="button" class="link" onClick={() => void remove(provider)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {adding ? (
        <GenericProviderForm
          onSaved={() => {
            setAdding(false);
            void readSigninSettings().then(load);
          }}
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)} data-signin="add-generic">
          Add a provider
        </button>
      )}
    </section>
  );
}
