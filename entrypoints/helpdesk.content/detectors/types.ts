/**
 * The one interface every helpdesk detector implements. The scanner (../scan.ts) does the DOM work that is
 * the same everywhere (walking open shadow roots, finding the element that holds one mailbox); a detector
 * supplies what is particular to its helpdesk: which screens are the agent/admin app, how its banner reads,
 * how its fix controls are labelled, and which addresses are its own rather than a customer mailbox.
 */
import type { HelpdeskId } from '../../../lib/messages';
import type { Classification, RowSignals } from '../../../lib/classify';
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
  /** Which fix control this clickable element is, from its label/text; null if none. */
  controlKind(label: string): FixControl | null;
  /** Is this element an icon-only edit (pencil) control, told apart by its class? */
  isEditIcon(element: Element): boolean;
  /** Addresses that are the helpdesk's own (forwarding addresses) and so never need reauthorization. */
  isMailboxAddress(address: string): boolean;
  /** Is this text the "primary" badge of a mailbox (not "Make primary")? */
  isPrimaryLabel(text: string): boolean;
  classify(signals: RowSignals): Classification | null;
  /** Where the admin fixes mailboxes, for the banner summary when this page shows none. */
  readonly emailSettingsPath: string;
}
