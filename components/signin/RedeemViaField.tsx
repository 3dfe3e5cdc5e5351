import type { RedeemVia } from '../../lib/signin';

/** Why each choice exists, in the words of the app registration the admin made (docs/signin.md). */
const HELP: Record<'microsoft' | 'google' | 'generic', Record<RedeemVia, string>> = {
  microsoft: {
    extension:
      'Single-page application platform, no secret. Refresh tokens last 24 hours: sign in again daily for monitoring.',
    companion: "Web platform with a client secret in the companion's clients.json. Refresh tokens last 90 days.",
  },
  google: {
    extension: 'Only for a client that needs no secret; Google\'s "Web application" clients refuse this.',
    companion:
      'A "Web application" client: its secret goes in the companion\'s clients.json (Google asks for it at every ' +
      'sign-in).',
  },
  generic: {
    extension: "A public client (no secret); the provider must allow the extension's origin (CORS) at its token URL.",
    companion:
      "A client with a secret in the companion's clients.json; the IMAP and SMTP servers must be known before " +
      'signing in.',
  },
};

/** Who redeems the authorization code: the extension (public client) or the companion (confidential client). */
export function RedeemViaField({
  provider,
  value,
  onChange,
}: {
  provider: keyof typeof HELP;
  value: RedeemVia;
  onChange(next: RedeemVia): void;
}) {
  return (
    <label>
      Who redeems the sign-in
      <select
        name={`${provider}RedeemVia`}
        value={value}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value as RedeemVia)}
      >
        <option value="extension">The extension (public client, no secret)</option>
        <option value="companion">The companion (client secret kept by the companion)</option>
      </select>
      <span class="muted" data-redeem-help={provider}>
        {HELP[provider][value]}
      </span>
    </label>
  );
}
