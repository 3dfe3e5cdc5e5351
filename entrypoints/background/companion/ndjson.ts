/**
 * NDJSON as it arrives over a streamed response: bytes in arbitrary chunks (a line may be split anywhere,
 * even inside a multi-byte character), one JSON value a line. Lines are handed on as soon as their newline
 * arrives, so each verification step reaches the popup when the companion sends it.
 */
import { verifyStreamLineSchema, type VerifyStreamLine } from '../../../lib/companion-api';

/** Longest line accepted: a step's details are at most 8000 characters, so 64 KiB is far above any real line. */
export const MAX_LINE_CHARS = 64 * 1024;

export class NdjsonSplitter {
  private readonly decoder = new TextDecoder();
  private buffered = '';

  /** The complete lines in this chunk (blank lines dropped). Throws when a line grows past MAX_LINE_CHARS. */
  push(chunk: Uint8Array): string[] {
    this.buffered += this.decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    for (let newline = this.buffered.indexOf('\n'); newline >= 0; newline = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, newline).replace(/\r$/, '');
      this.buffered = this.buffered.slice(newline + 1);
      if (line.trim() !== '') lines.push(line);
    }
    if (this.buffered.length > MAX_LINE_CHARS)
      throw new Error(`a line of the stream is longer than ${MAX_LINE_CHARS} characters`);
    return lines;
  }

  /** At the end of the stream: the last line if it had no newline. */
  end(): string[] {
    this.buffered += this.decoder.decode();
    const rest = this.buffered.trim();
    this.buffered = '';
    return rest === '' ? [] : [rest];
  }
}

export type ParsedLine = { ok: true; line: VerifyStreamLine } | { ok: false; problem: string };

/** One line of the verify stream, checked against the API schema: anything else is reported, never shown. */
export function parseVerifyLine(text: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'a line of the stream is not JSON' };
  }
  const parsed = verifyStreamLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'schema';
    return { ok: false, problem: `a line of the stream does not match the API (${where})` };
  }
  return { ok: true, line: parsed.data };
}
