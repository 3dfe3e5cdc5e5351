// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest';
import { watchPage } from '../../entrypoints/helpdesk.content/observe';

afterEach(() => {
  vi.useRealTimers();
});

it('where the Navigation API is missing, a pushState that changes nothing on the page is seen within a second', () => {
  vi.useFakeTimers();
  expect((window as Window & { navigation?: unknown }).navigation).toBeUndefined();
  const looked: string[] = [];
  const watcher = watchPage(
    window,
    () => looked.push(window.location.href),
    () => false,
  );
  watcher.now();
  looked.length = 0;
  history.pushState({}, '', '/a/admin/email?tab=all');
  vi.advanceTimersByTime(1500);
  expect(looked).toEqual([window.location.href]);
  expect(window.location.href).toMatch(/\?tab=all$/);
  // Stopped: no more polls.
  watcher.stop();
  history.pushState({}, '', '/a/admin/email?tab=mine');
  vi.advanceTimersByTime(3000);
  expect(looked).toHaveLength(1);
});
