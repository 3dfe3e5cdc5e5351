import type { SessionArea } from '../../entrypoints/background/tab-state';

/** storage.session stand-in that round-trips through JSON like the real one. */
export class MemorySession implements SessionArea {
  data: Record<string, string> = {};
  async get(key: string) {
    return key in this.data ? { [key]: JSON.parse(this.data[key]!) } : {};
  }
  async set(items: Record<string, unknown>) {
    for (const [key, value] of Object.entries(items)) this.data[key] = JSON.stringify(value);
  }
}
