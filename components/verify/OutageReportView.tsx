import type { OutageReportResponse } from '../../lib/companion-api';
import type { MessageSummary } from '../../lib/verification';
import { formatWhen } from '../format';

/** After a reconnect: what arrived while the mailbox was down (did the helpdesk take it in?) and what was sent then. */
export function OutageReportView({ report }: { report: OutageReportResponse }) {
  const { from, to, received, sent, sentFolder, truncated } = report.report;
  return (
    <details class="outage-report" data-outage-report={report.address}>
      <summary>
        Outage report: {received.length} received, {sent.length} sent between {formatWhen(Date.parse(from))} and{' '}
        {formatWhen(Date.parse(to))}
      </summary>
      <p class="muted">Check that the helpdesk took in every message that arrived while the mailbox was down.</p>
      <MessageList title="Arrived during the outage" messages={received} kind="received" />
      <MessageList
        title={`Sent during the outage${sentFolder ? ` (${sentFolder})` : ''}`}
        messages={sent}
        kind="sent"
      />
      {truncated && <p class="muted">The list is cut at the report's limit.</p>}
    </details>
  );
}

function MessageList({ title, messages, kind }: { title: string; messages: MessageSummary[]; kind: string }) {
  return (
    <>
      <p class="report-title">{title}</p>
      {messages.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="report-messages" data-report={kind}>
          {messages.map((m) => (
            <li key={`${m.date}|${m.messageId ?? m.subject}`}>
              <span class="muted">{formatWhen(Date.parse(m.date))}</span>{' '}
              {kind === 'sent' ? `to ${m.to ?? '?'}` : m.from}: {m.subject || '(no subject)'}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
