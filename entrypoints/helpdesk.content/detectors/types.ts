/**
 * The one interface every helpdesk detector implements. The scanner (../scan.ts) does the DOM work that is
 * the same everywhere (walking open shadow roots, finding the element that holds one mailbox); a detector
 * supplies what is particular to its helpdesk: which screens are the agent/admin app, how its banner reads,
 * how its fix controls are labelled, and which addresses are its own rather than a customer mailbox.
 */
import type { AssistMessage } from '../../../lib/assist-messages';
import type { FieldsOf, ReplyOf, WorkerResponse } from '../../../lib/message-contract';
import type { HelpdeskId, MailboxReport } from '../../../lib/messages';
import type { Classification, RowSignals } from '../classify';
import type { FixControl } from '../../../lib/scenarios';

export interface Detector {
  readonly helpdesk: HelpdeskId;
  /** Is this page the helpdesk's agent/admin app (not its customer portal, help center or an article)? */
  isAgentScreen(location: Pick<Location, 'pathname' | 'hostname'>): boolean;
  /**
   * Is this text node the start of the helpdesk's own "reauthorize" banner? Must reject sentences that
   * merely quote it ("If you see a banner stating 'Please reauthorize...'").
   */
  isBannerText(text: string): boolean;
  /**
   * Optional: words (lower case) every banner sentence holds, so the scan asks isBannerText only about the few
   * texts that hold them. Without it the helpdesk has no banner.
   */
  readonly bannerHint?: string;
  /** Which fix control this clickable element is, from its label/text; null if none. */
  controlKind(label: string): FixControl | null;
  /** Is this element an icon-only edit (pencil) control, told apart by its class? */
  isEditIcon(element: Element): boolean;
  /** Addresses that are the helpdesk's own (forwarding addresses) and so never need reauthorization. */
  isMailboxAddress: (address: string) => boolean;
  /** Is this text the "primary" badge of a mailbox (not "Make primary")? */
  isPrimaryLabel(text: string): boolean;
  classify(signals: RowSignals): Classification | null;
  /** Where the admin fixes mailboxes, for the banner summary when this page shows none. */
  readonly emailSettingsPath: string;
  /**
   * Optional: is this page one of this helpdesk's screens, told by its structure? Helpdesks that run on the
   * admin's own domain (SupportCenter Plus, Salesorder) cannot be told by host name. Without it, a detector
   * is picked by host name only.
   */
  recognise?(doc: Document): boolean;
  /** Optional: in-page help on this helpdesk's mail settings screens (marks next to fields, an actions panel). */
  assist?(context: AssistContext): PageAssistant;
  /**
   * With assist: which page changes its assistant looks again for. An assistant reads words the detection has
   * no reason to care about (a Test Connection result saying success).
   */
  assistantSees?(records: readonly MutationRecord[]): boolean;
}

/** What an assistant may do beyond the page: ask the worker (which validates; no token ever comes back). */
export interface AssistContext {
  doc: Document;
  ask<M extends AssistMessage>(definition: M, fields: FieldsOf<M>): Promise<WorkerResponse<ReplyOf<M>>>;
  /** The assistant's picture changed outside an update (an answer arrived): report it again. */
  changed(): void;
}

export interface PageAssistant {
  /** Bring marks and panels up to date with the page (after DOM changes and the admin's edits). */
  update(): void;
  dispose(): void;
  /**
   * Optional: the mailboxes this screen is about, in the helpdesk's own terms (a Salesorder mail account, a
   * SupportCenter Plus mail server), for the worker and the popup: the same count the assistant shows.
   */
  mailboxes?(): MailboxReport[];
  /** Optional: scroll to a mailbox the assistant reported; false when the page shows none. */
  reveal?(address: string): boolean;
}
