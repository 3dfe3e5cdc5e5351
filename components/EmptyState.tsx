/** No helpdesk tab reported anything: tell the admin where to go. */
export function EmptyState() {
  return (
    <section class="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">No helpdesk email settings open</h2>
      <p>
        Open your helpdesk's <strong>Admin &gt; Channels &gt; Email</strong> page. Reauth Assist then marks every support
        mailbox that needs reauthorization and lists it here.
      </p>
      <p class="muted">
        Helpdesk on your own domain? Add it in{' '}
        <a href="/options.html" target="_blank" rel="noopener">
          Reauth Assist options
        </a>
        .
      </p>
    </section>
  );
}
