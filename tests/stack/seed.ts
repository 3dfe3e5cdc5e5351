/** A few realistic messages in every mailbox, so "fetch a sample mail" and outage reports have something to show. */
import nodemailer from 'nodemailer';

export const SEED_MESSAGES = [
  {
    from: 'Jordan Customer <jordan@customer.test>',
    subject: 'Order #4471 arrived damaged',
    daysAgo: 3,
    text: 'Hello, the parcel for order #4471 arrived with a broken corner. Can you send a replacement?',
  },
  {
    from: 'Billing Robot <billing@vendor.test>',
    subject: 'Your invoice INV-2026-118 is ready',
    daysAgo: 2,
    text: 'Invoice INV-2026-118 is attached to your account portal.',
  },
  {
    from: 'Sam Customer <sam@customer.test>',
    subject: 'Cannot log in to the portal',
    daysAgo: 1,
    text: 'Since this morning the portal says my password is wrong. Please help.',
  },
] as const;

/** Deliver the seed messages to every address through LMTP (one transaction per message, all recipients). */
export async function seedMessages(lmtpPort: number, recipients: string[]): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: lmtpPort,
    lmtp: true,
    secure: false,
    ignoreTLS: true,
  });
  try {
    for (const m of SEED_MESSAGES) {
      const info = await transport.sendMail({
        from: m.from,
        to: 'undisclosed-recipients:;',
        envelope: { from: m.from.replace(/.*<|>.*/g, ''), to: recipients },
        subject: m.subject,
        text: m.text,
        date: new Date(Date.now() - m.daysAgo * 86_400_000),
      });
      if (info.rejected.length) throw new Error(`LMTP refused ${info.rejected.join(', ')}: ${info.response}`);
    }
  } finally {
    transport.close();
  }
}
