import { useState } from 'preact/hooks';
import { DEFAULT_REDEEM_VIA, type GenericProvider, type RedeemVia } from '../../lib/signin';
import { CopyField } from './CopyButton';
import { RedeemViaField } from './RedeemViaField';
import { redirectUrl, updateSigninSettings } from './settings-store';

const FIELDS = [
  { key: 'name', label: 'Name', placeholder: 'SupportCenter Plus mail app' },
  { key: 'clientId', label: 'Client ID', placeholder: '' },
  { key: 'authorizeUrl', label: 'Authorize URL', placeholder: 'https://login.example.com/oauth2/authorize' },
  { key: 'tokenUrl', label: 'Token URL', placeholder: 'https://login.example.com/oauth2/token' },
  { key: 'scope', label: 'Scope', placeholder: 'openid email offline_access imap smtp' },
  { key: 'issuer', label: 'Issuer (OpenID Connect, needed with "openid")', placeholder: 'https://login.example.com' },
] as const;
type Draft = Record<(typeof FIELDS)[number]['key'], string>;

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'provider'
  );
}

/**
 * A generic OAuth 2.0 provider (a helpdesk such as SupportCenter Plus names Client ID, Authorize URL, Token
 * URL and Scope): entered once, stored in the options, with the Redirect URL to register shown beside it.
 */
export function GenericProviderForm({
  existing,
  onSaved,
}: {
  existing?: GenericProvider;
  onSaved?: (provider: GenericProvider) => void;
}) {
  const [draft, setDraft] = useState<Draft>({
    name: existing?.name ?? '',
    clientId: existing?.clientId ?? '',
    authorizeUrl: existing?.authorizeUrl ?? '',
    tokenUrl: existing?.tokenUrl ?? '',
    scope: existing?.scope ?? '',
    issuer: existing?.issuer ?? '',
  });
  const [redeemVia, setRedeemVia] = useState<RedeemVia>(existing?.redeemVia ?? DEFAULT_REDEEM_VIA.generic);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved('');
    const provider = {
      id: existing?.id ?? slug(draft.name),
      name: draft.name,
      clientId: draft.clientId,
      authorizeUrl: draft.authorizeUrl,
      tokenUrl: draft.tokenUrl,
      scope: draft.scope,
      ...(draft.issuer.trim() ? { issuer: draft.issuer } : {}),
      redeemVia,
    };
    const result = await updateSigninSettings((current) => ({
      ...current,
      generic: [...current.generic.filter((g) => g.id !== provider.id), provider],
    }));
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setSaved(`Saved ${provider.name}.`);
    const stored = result.settings.generic.find((g) => g.id === provider.id);
    if (stored) onSaved?.(stored);
  };

  return (
    <form class="generic-provider" onSubmit={save} data-form="generic-provider">
      {FIELDS.map(({ key, label, placeholder }) => (
        <label key={key}>
          {label}
          <input
            name={key}
            value={draft[key]}
            placeholder={placeholder}
            aria-invalid={errors[key] ? 'true' : undefined}
            onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
          />
          {errors[key] && <span class="error">{errors[key]}</span>}
        </label>
      ))}
      <RedeemViaField provider="generic" value={redeemVia} onChange={setRedeemVia} />
      <CopyField label="Redirect URL to register" value={redirectUrl()} />
      <button type="submit">Save provider</button>
      {errors.form && <p class="error">{errors.form}</p>}
      <p class="ok" role="status">
        {saved}
      </p>
    </form>
  );
}
