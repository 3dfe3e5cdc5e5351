import browser from 'webextension-polyfill';

/** No helpdesk tab reported anything: tell the admin where to go. */
export function EmptyState() {
  return (
    <section class="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">No helpdesk email settings open</h2>
      <p>
        Open your helpdesk's <strong>Admin &gt; Channels &gt; Email</strong> page. Reauth Assist then marks every
        support mailbox that needs reauthorization and lists it here.
      </p>
      <p class="muted">
        Helpdesk on your own domain?{' '}
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Add it in the options
        </button>
        .
      </p>
    </section>
  );
}
