/**
 * The article's advice beyond one mailbox, as the banner summary shows it: the banner that stays while every
 * mailbox is connected, a mailbox that keeps dropping (the IP addresses to allowlist), the retry policy, ports.
 * Composed in the worker (page-help-messages.ts), so none of this text ships in the content script.
 */
import {
  BANNER_STILL_SHOWING,
  CUSTOM_SERVER_PORTS,
  FRESHDESK_IP_ADDRESSES,
  ipListText,
  KEEPS_DROPPING,
  RETRY_POLICY_TEXT,
} from './advice';

export interface BannerHelp {
  stillShowing: { title: string; steps: string[] };
  keepsDropping: { title: string; text: string };
  ips: string[];
  /** The addresses as they go to the clipboard (one a line). */
  ipList: string;
  /** The copy button's label, and what it says after copying or when the browser refuses the clipboard. */
  ipCopy: { label: string; copied: string; refused: string };
  retryPolicy: { title: string; text: string };
  ports: { title: string; lines: string[] };
}

export function bannerHelp(): BannerHelp {
  return {
    stillShowing: { title: BANNER_STILL_SHOWING.title, steps: [...BANNER_STILL_SHOWING.steps] },
    keepsDropping: { title: KEEPS_DROPPING.title, text: KEEPS_DROPPING.text },
    ips: [...FRESHDESK_IP_ADDRESSES],
    ipList: ipListText(),
    ipCopy: {
      label: `Copy the ${FRESHDESK_IP_ADDRESSES.length} IP addresses`,
      copied: `Copied ${FRESHDESK_IP_ADDRESSES.length} addresses, one a line.`,
      refused: 'The browser refused the clipboard: the addresses are selected, press Ctrl+C (Cmd+C).',
    },
    retryPolicy: { title: 'Automatic retries', text: RETRY_POLICY_TEXT },
    ports: { title: CUSTOM_SERVER_PORTS.title, lines: [...CUSTOM_SERVER_PORTS.lines] },
  };
}
