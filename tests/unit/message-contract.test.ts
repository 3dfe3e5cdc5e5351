import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { defineMessage, messageFor, noReply, readReply } from '../../lib/message-contract';
import { getVerifyRequest, startVerifyFor } from '../../lib/assist-messages';
import { companionPairingStatus } from '../../lib/companion-ui';
import { revealInPage } from '../../lib/messages';

const SILENT = 'nobody answered';

describe('message definitions', () => {
  it('build the message from the definition: its kind and its fields, nothing else', () => {
    const ping = defineMessage('ping', { text: z.string() }, noReply);
    expect(messageFor(ping, { text: 'hi' })).toEqual({ kind: 'ping', text: 'hi' });
    expect(z.safeParse(ping.request, { kind: 'ping', text: 'hi', extra: 1 }).success).toBe(false);
    expect(z.safeParse(ping.request, { kind: 'pong', text: 'hi' }).success).toBe(false);
  });

  it("pass the receiver's refusal through as its sentence", () => {
    expect(readReply(companionPairingStatus, { ok: false, error: 'Pair first.' }, SILENT)).toEqual({
      ok: false,
      error: 'Pair first.',
    });
  });

  it('turn no answer, or an answer of another shape, into the admin-facing sentence', () => {
    for (const answer of [undefined, null, 'ok', { data: 1 }, { ok: false }]) {
      expect(readReply(companionPairingStatus, answer, SILENT)).toEqual({ ok: false, error: SILENT });
    }
  });

  it('validate the data of a reply against the reply schema', () => {
    expect(
      readReply(companionPairingStatus, { ok: true, data: { url: 'http://127.0.0.1:8787', hasSecret: true } }, SILENT),
    ).toEqual({ ok: true, data: { url: 'http://127.0.0.1:8787', hasSecret: true } });
    const wrong = readReply(
      companionPairingStatus,
      { ok: true, data: { url: 'x', hasSecret: 'yes', secret: 's' } },
      SILENT,
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? '' : wrong.error).toMatch(/companion-pairing-status.*hasSecret/);
    expect(readReply(revealInPage, { ok: true, data: { found: 1 } }, SILENT).ok).toBe(false);
    expect(readReply(startVerifyFor, { ok: true, data: { id: 'not-a-uuid' } }, SILENT).ok).toBe(false);
    expect(readReply(getVerifyRequest, { ok: true, data: null }, SILENT)).toEqual({ ok: true, data: null });
  });
});
