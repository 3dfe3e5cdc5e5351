/**
 * Per-mailbox history, kept with dexie in the worker's IndexedDB: when a mailbox was first seen needing
 * reauthorization, for which scenario, and when it was seen fixed. One row per helpdesk origin + address.
 *
 * An episode starts when a mailbox is seen broken and ends when it is seen connected; a mailbox that breaks
 * again after a fix starts a new episode (the old one's dates are replaced: the popup shows the current one).
 */
import { Dexie, type DexieOptions, type Table } from 'dexie';
import { mailboxHistoryKey, type MailboxHistoryEntry, type MailboxReport } from '../../lib/messages';

/** lastSeen alone is refreshed at most this often, so a page that keeps re-rendering does not keep writing. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export class HistoryDatabase extends Dexie {
  mailboxes!: Table<MailboxHistoryEntry, string>;

  constructor(name = 'reauth-assist-history', options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ mailboxes: 'key, origin, lastSeen' });
  }
}

/** The entry after seeing `mailbox` at `now`, or null when nothing worth writing changed. */
export function nextHistoryEntry(
  previous: MailboxHistoryEntry | undefined,
  origin: string,
  mailbox: Pick<MailboxReport, 'address' | 'state' | 'scenario'>,
  now: number,
): MailboxHistoryEntry | null {
  const broken = mailbox.state === 'needs-reauth';
  const scenario = broken ? (mailbox.scenario ?? null) : null;
  if (previous === undefined) {
    return {
      key: mailboxHistoryKey(origin, mailbox.address),
      origin,
      address: mailbox.address,
      firstSeenBroken: broken ? now : null,
      lastScenario: scenario,
      seenFixed: null,
      lastSeen: now,
    };
  }
  const inEpisode = previous.firstSeenBroken !== null && previous.seenFixed === null;
  let next: MailboxHistoryEntry;
  if (broken && !inEpisode) {
    const { reauthorizedInHelpdesk: _earlierEpisode, ...kept } = previous;
    next = { ...kept, firstSeenBroken: now, lastScenario: scenario, seenFixed: null, lastSeen: now };
  } else if (broken) {
    next = { ...previous, lastScenario: scenario ?? previous.lastScenario, lastSeen: now };
  } else if (inEpisode) {
    next = { ...previous, seenFixed: now, lastSeen: now };
  } else {
    next = { ...previous, lastSeen: now };
  }
  const meaningful =
    next.firstSeenBroken !== previous.firstSeenBroken ||
    next.lastScenario !== previous.lastScenario ||
    next.seenFixed !== previous.seenFixed;
  return meaningful || now - previous.lastSeen >= LAST_SEEN_RESOLUTION_MS ? next : null;
}

/** One address per page picture; when a page lists an address twice, "needs reauthorization" wins. */
function strongestPerAddress(mailboxes: readonly MailboxReport[]): MailboxReport[] {
  const byAddress = new Map<string, MailboxReport>();
  for (const mailbox of mailboxes) {
    const seen = byAddress.get(mailbox.address);
    if (seen === undefined || (seen.state === 'connected' && mailbox.state === 'needs-reauth')) {
      byAddress.set(mailbox.address, mailbox);
    }
  }
  return [...byAddress.values()];
}

export class MailboxHistory {
  constructor(private readonly db: HistoryDatabase) {}

  /** Record what one page of `origin` showed; returns how many entries changed. */
  async record(origin: string, mailboxes: readonly MailboxReport[], now: number): Promise<number> {
    const seen = strongestPerAddress(mailboxes);
    if (seen.length === 0) return 0;
    return this.db.transaction('rw', this.db.mailboxes, async () => {
      const previous = await this.db.mailboxes.bulkGet(seen.map((mailbox) => mailboxHistoryKey(origin, mailbox.address)));
      const changed: MailboxHistoryEntry[] = [];
      seen.forEach((mailbox, index) => {
        const next = nextHistoryEntry(previous[index], origin, mailbox, now);
        if (next !== null) changed.push(next);
      });
      if (changed.length > 0) await this.db.mailboxes.bulkPut(changed);
      return changed.length;
    });
  }

  /** Mailboxes that ever needed reauthorization, most recently seen first. */
  async episodes(limit = 200): Promise<MailboxHistoryEntry[]> {
    const recent = await this.db.mailboxes.orderBy('lastSeen').reverse().filter((entry) => entry.firstSeenBroken !== null).limit(limit).toArray();
    return recent;
  }

  async forOrigin(origin: string): Promise<MailboxHistoryEntry[]> {
    return this.db.mailboxes.where('origin').equals(origin).toArray();
  }
}

/** The helpdesk's own sign-in, started from a marked row, fixed the mailbox (the sign-in feature saw it). */
export async function recordReauthorizedInHelpdesk(db: HistoryDatabase, origin: string, address: string, at: number): Promise<boolean> {
  return (await db.mailboxes.update(mailboxHistoryKey(origin, address), { reauthorizedInHelpdesk: at })) > 0;
}
