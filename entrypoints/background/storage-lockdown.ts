/**
 * storage.local holds the companion's pairing secret (and the settings). No content script of ours reads any
 * storage, so where the browser allows it (Chromium), storage.local is closed to content scripts too: a page
 * that ever found a way into our isolated world would still not reach the secret. storage.session (tokens)
 * is trusted-contexts-only by default everywhere. Firefox has no access level for storage.local: there it
 * stays readable by our own content scripts, which never read it.
 */
type AccessLevelArea = { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> };

export function lockStorageToExtensionPages(): void {
  if (import.meta.env.FIREFOX) return;
  const local = chrome.storage.local as unknown as AccessLevelArea;
  void local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {
    // Older Chromium allows access levels on storage.session only: nothing more can be done there.
  });
}
