import { useState } from 'preact/hooks';
import type { MailServers, MailServerEndpoint } from '../../lib/companion-ui';
import { companionServersSave, mailServersSchema } from '../../lib/companion-ui';
import { isMicrosoftSmtpPortNotAnswered } from '../../lib/diagnosis';
import type { ProviderId } from '../../lib/providers';
import { askWorker, failureText } from '../worker-client';

const BLANK: MailServerEndpoint = { host: '', port: 993, security: 'tls' };

/**
 * The IMAP and SMTP servers a mailbox is verified against: the provider's by default, or the helpdesk's
 * custom ones. Saving hands the mailbox over again with them.
 */
export function MailServersForm({
  mailbox,
  provider,
  initial,
  onSaved,
}: {
  mailbox: string;
  provider: ProviderId;
  initial: MailServers | undefined;
  onSaved?: () => void;
}) {
  const [imap, setImap] = useState<MailServerEndpoint>(initial?.imap ?? BLANK);
  const [smtp, setSmtp] = useState<MailServerEndpoint>(initial?.smtp ?? { host: '', port: 587, security: 'starttls' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved('');
    const parsed = mailServersSchema.safeParse({ imap, smtp });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(
        issue
          ? `${issue.path[0] === 'imap' ? 'IMAP' : 'SMTP'} ${issue.path.slice(1).join(' ')}: ${issue.message}`
          : 'Check the servers.',
      );
      return;
    }
    setError(null);
    try {
      await askWorker(companionServersSave, { mailbox, servers: parsed.data });
      setSaved('Saved.');
      onSaved?.();
    } catch (failure) {
      setError(failureText(failure));
    }
  };

  return (
    <form class="mail-servers" onSubmit={save} data-form="mail-servers">
      <ServerFields legend="IMAP (incoming)" name="imap" value={imap} onChange={setImap} />
      <ServerFields legend="SMTP (outgoing)" name="smtp" value={smtp} onChange={setSmtp} />
      {isMicrosoftSmtpPortNotAnswered(provider, smtp.port) && (
        <p class="note" data-servers="microsoft-465">
          Microsoft does not answer SMTP on port 465, although Freshdesk's article gives 465 for custom servers: use
          smtp.office365.com, port 587, STARTTLS.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" data-servers="save">
        Save servers
      </button>{' '}
      <span class="ok" role="status">
        {saved}
      </span>
    </form>
  );
}

function ServerFields({
  legend,
  name,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  value: MailServerEndpoint;
  onChange: (v: MailServerEndpoint) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <label>
        Host{' '}
        <input
          name={`${name}-host`}
          value={value.host}
          onInput={(e) => onChange({ ...value, host: (e.target as HTMLInputElement).value })}
        />
      </label>
      <label>
        Port{' '}
        <input
          name={`${name}-port`}
          type="number"
          min={1}
          max={65535}
          value={value.port}
          onInput={(e) => onChange({ ...value, port: Number((e.target as HTMLInputElement).value) })}
        />
      </label>
      <label>
        Security{' '}
        <select
          name={`${name}-security`}
          value={value.security}
          onChange={(e) =>
            onChange({ ...value, security: (e.target as HTMLSelectElement).value as MailServerEndpoint['security'] })
          }
        >
          <option value="tls">TLS from the start (993, 465)</option>
          <option value="starttls">STARTTLS (143, 587)</option>
        </select>
      </label>
    </fieldset>
  );
}
