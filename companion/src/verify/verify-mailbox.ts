/**
 * Verify one mailbox end to end, streaming each step as it happens, then one verdict: ready to press
 * Re-authorize in the helpdesk, or exactly what to fix first.
 *
 * IMAP: name lookup, TCP, TLS and certificate, AUTHENTICATE (OAUTHBEARER where offered, else XOAUTH2)
 * as the mailbox, LIST + SELECT INBOX (Microsoft accepts another user's token at AUTHENTICATE and fails
 * only on the next command), the newest message. SMTP: connect (+STARTTLS on 587), AUTH XOAUTH2 as the
 * token's user. Optional round trip: send to itself, find it in INBOX, remove it.
 *
 * Every step runs under `timeoutMs` and the caller's signal; every connection is closed before the
 * verdict is returned, whatever happened.
 */
import type net from 'node:net';
import type tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { diagnose, explain, isMicrosoftSmtpPortNotAnswered, type DiagnosisContext } from '../../../lib/diagnosis';
import {
  READY_HEADLINE,
  STEP_TITLES,
  VERIFY_STEP_IDS,
  type StepId,
  type StepResult,
  type Verdict,
  type VerifyTarget,
} from '../../../lib/verification';
import { bounded, sleep } from './bounded';
import {
  connectTcp,
  formatCertificate,
  resolveEndpoint,
  startTls,
  summarizeCertificate,
  type ConnectOptions,
  type ResolvedEndpoint,
} from './connect';
import { clip, describeError, redact } from './details';
import { closeQuietly, imapClientOver, logoutQuietly } from './imap-session';
import { smtpClose, smtpConnect, smtpLogin, smtpSend, type SmtpSession } from './smtp-session';

export interface VerifyOptions extends ConnectOptions {
  /** Called with every step as it starts ('running') and as it ends. */
  onStep?: (step: StepResult) => void;
  signal?: AbortSignal;
  /** Limit for each step (default 15 s). */
  timeoutMs?: number;
  /** How long the round trip waits for the test message to arrive (default 30 s). */
  roundTripWaitMs?: number;
  /** How often the round trip looks for it (default 250 ms). */
  roundTripPollMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

interface StepOutcome<T> {
  value: T;
  summary: string;
  details?: string;
}

class FailedStep extends Error {}

/** One verification: the steps' state, the diagnosis context, and the rule that nothing runs after a failed prerequisite. */
class Run {
  readonly results = new Map<StepId, StepResult>();
  readonly ctx: DiagnosisContext;
  private readonly secrets: string[];

  constructor(
    readonly target: VerifyTarget,
    readonly options: VerifyOptions,
  ) {
    this.ctx = {
      address: target.address,
      authUser: target.auth.user,
      provider: target.provider,
      imap: target.imap,
      smtp: target.smtp,
      tokenExpiresAt: target.auth.expiresAt,
    };
    this.secrets = [target.auth.accessToken];
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private emit(result: StepResult): void {
    const safe = { ...result, details: clip(redact(result.details, this.secrets)), summary: redact(result.summary, this.secrets) };
    this.results.set(result.id, safe);
    this.options.onStep?.(safe);
  }

  begin(id: StepId): number {
    this.emit({ id, status: 'running', title: STEP_TITLES[id], summary: 'Checking...', details: '' });
    return Date.now();
  }

  succeed(id: StepId, started: number, summary: string, details = ''): void {
    this.emit({ id, status: 'ok', title: STEP_TITLES[id], summary, details, durationMs: Date.now() - started });
  }

  private readonly errors = new Map<StepId, { started: number; error: unknown }>();

  fail(id: StepId, started: number, error: unknown): void {
    this.errors.set(id, { started, error });
    const diagnosis = diagnose(id, error, { ...this.ctx, now: Date.now() });
    const { headline } = explain(diagnosis, id, this.ctx);
    this.emit({
      id,
      status: 'failed',
      title: STEP_TITLES[id],
      summary: headline,
      details: describeError(error, id === 'smtp-connect' || id === 'smtp-auth' ? 'SMTP' : 'IMAP'),
      diagnosis,
      durationMs: Date.now() - started,
    });
  }

  skip(id: StepId, summary: string): void {
    if (!this.results.has(id)) this.emit({ id, status: 'skipped', title: STEP_TITLES[id], summary, details: '' });
  }

  /** Runs one bounded step; a failure is reported and rethrown as FailedStep so the chain stops. */
  async step<T>(id: StepId, work: (signal: AbortSignal) => Promise<StepOutcome<T>>, timeoutMs = this.timeoutMs): Promise<T> {
    const started = this.begin(id);
    try {
      const outcome = await bounded(work, { timeoutMs, signal: this.options.signal });
      this.succeed(id, started, outcome.summary, outcome.details);
      return outcome.value;
    } catch (err) {
      this.fail(id, started, err);
      throw new FailedStep();
    }
  }

  ok(id: StepId): boolean {
    return this.results.get(id)?.status === 'ok';
  }

  /**
   * SMTP accepted the token IMAP refused: the token is good after all, so IMAP's refusal is about the
   * mailbox (IMAP turned off) or the account. The step is re-sent with the better diagnosis.
   */
  tokenAcceptedLater(): void {
    this.ctx.tokenAccepted = true;
    const imapFailure = this.errors.get('imap-auth');
    if (imapFailure && this.target.auth.user === this.target.address) this.fail('imap-auth', imapFailure.started, imapFailure.error);
  }

  verdict(): Verdict {
    for (const id of VERIFY_STEP_IDS) this.skip(id, 'Not checked: an earlier step failed.');
    const steps = VERIFY_STEP_IDS.map((id) => this.results.get(id)!);
    const failed = steps.find((s) => s.status === 'failed');
    if (!failed) return { ready: true, headline: READY_HEADLINE, steps };
    const diagnosis = failed.diagnosis ?? 'unknown';
    const explanation = explain(diagnosis, failed.id, this.ctx);
    return {
      ready: false,
      headline: `Fix first: ${explanation.headline}`,
      fixFirst: { diagnosis, step: failed.id, cause: explanation.cause, fix: explanation.fix },
      steps,
    };
  }
}

export async function verifyMailbox(target: VerifyTarget, options: VerifyOptions = {}): Promise<Verdict> {
  const run = new Run(target, options);
  let imap: ImapFlow | undefined;
  let smtp: SmtpSession | undefined;
  const sockets: net.Socket[] = [];
  try {
    imap = await verifyImap(run, sockets).catch(stopAtFailure);
    if (!imap) {
      run.skip('sample-mail', 'Not checked: IMAP did not open.');
    }
    smtp = await verifySmtp(run, sockets).catch(stopAtFailure);
    if (!target.roundTrip) {
      run.skip('round-trip', 'Not asked for (it sends one test message to the mailbox).');
    } else if (imap && smtp) {
      await roundTrip(run, imap, smtp).catch(stopAtFailure);
    } else {
      run.skip('round-trip', 'Not checked: IMAP and SMTP must both work first.');
    }
    return run.verdict();
  } finally {
    if (imap) await logoutQuietly(imap);
    smtpClose(smtp?.connection);
    for (const socket of sockets) socket.destroy();
  }
}

function stopAtFailure(err: unknown): undefined {
  if (err instanceof FailedStep) return undefined;
  throw err;
}

function endpointDetails(e: ResolvedEndpoint): string {
  const how = e.via === 'rule' ? 'by a configured resolve rule' : e.via === 'literal' ? '(an IP address)' : 'by DNS';
  return `${e.host}:${e.port} -> ${e.address}:${e.targetPort} ${how}`;
}

// ------------------------------------------------------------------------------------------------ IMAP

async function verifyImap(run: Run, sockets: net.Socket[]): Promise<ImapFlow> {
  const { imap: server } = run.target;
  const endpoint = await run.step('dns', async () => {
    const e = await resolveEndpoint(server.host, server.port, run.options);
    return { value: e, summary: `${server.host} found at ${e.address}.`, details: endpointDetails(e) };
  });
  let socket = await run.step('tcp', async (signal) => {
    const s = await connectTcp(endpoint, signal);
    sockets.push(s);
    return { value: s, summary: `Connected to ${server.host} port ${server.port}.`, details: `${s.localAddress}:${s.localPort} -> ${s.remoteAddress}:${s.remotePort}` };
  });
  if (server.security === 'tls') {
    const plain = socket;
    socket = await run.step('tls', async (signal) => {
      const secure = await startTls(plain, server.host, run.options, signal);
      sockets.push(secure);
      const cert = summarizeCertificate(secure);
      return { value: secure, summary: `Encrypted (${cert.protocol}); certificate valid until ${cert.validTo}.`, details: formatCertificate(cert) };
    });
  }
  return authenticateImap(run, socket);
}

/** AUTHENTICATE; for STARTTLS (143) the TLS step happens inside the client's connect, reported as it completes. */
async function authenticateImap(run: Run, socket: net.Socket): Promise<ImapFlow> {
  const { imap: server, address, auth } = run.target;
  const starttls = server.security === 'starttls';
  let tlsStarted = starttls ? run.begin('tls') : 0;
  let authStarted = starttls ? 0 : run.begin('imap-auth');
  const client = imapClientOver(socket, server, { user: address, accessToken: auth.accessToken }, {
    ...run.options,
    timeoutMs: run.timeoutMs,
    onUpgraded: (secure: tls.TLSSocket) => {
      const cert = summarizeCertificate(secure);
      run.succeed('tls', tlsStarted, `Encrypted after STARTTLS (${cert.protocol}); certificate valid until ${cert.validTo}.`, formatCertificate(cert));
      tlsStarted = 0;
      authStarted = run.begin('imap-auth');
    },
  });
  try {
    await bounded(async (signal) => {
      signal.addEventListener('abort', () => closeQuietly(client), { once: true });
      await client.connect();
    }, { timeoutMs: run.timeoutMs * (starttls ? 2 : 1), signal: run.options.signal });
  } catch (err) {
    closeQuietly(client);
    if (tlsStarted) run.fail('tls', tlsStarted, err);
    else run.fail('imap-auth', authStarted, err);
    throw new FailedStep();
  }
  run.ctx.tokenAccepted = true;
  const mechanism = usedMechanism(client);
  const caps = [...client.capabilities.keys()].join(' ');
  run.succeed('imap-auth', authStarted, `Signed in as ${address} with ${mechanism}.`,
    `Mechanism: AUTHENTICATE ${mechanism}\nUser: ${address}\nServer: ${JSON.stringify(client.serverInfo ?? {})}\nCapabilities: ${caps}`);

  try {
    await openInbox(run, client);
    if (run.target.sampleMail === false) run.skip('sample-mail', 'Not asked for.');
    else await sampleMail(run, client);
  } catch (err) {
    closeQuietly(client);
    throw err;
  }
  return client;
}

/**
 * The SASL mechanism the client chose. After sign-in the server's capability list no longer shows AUTH=
 * entries; imapflow records the one that worked in `authCapabilities` (not in its typings, so read
 * defensively).
 */
function usedMechanism(client: ImapFlow): string {
  const used = (client as unknown as { authCapabilities?: Map<string, boolean> }).authCapabilities;
  const entry = used ? [...used.entries()].find(([, ok]) => ok) : undefined;
  return entry ? entry[0].replace(/^AUTH=/, '') : 'OAuth';
}

async function openInbox(run: Run, client: ImapFlow): Promise<void> {
  await run.step('imap-command', async (signal) => {
    signal.addEventListener('abort', () => closeQuietly(client), { once: true });
    const folders = await client.list();
    const inbox = await client.mailboxOpen('INBOX', { readOnly: true });
    return {
      value: undefined,
      summary: `INBOX opened: ${inbox.exists} message${inbox.exists === 1 ? '' : 's'}, ${folders.length} folders.`,
      details: `LIST: ${folders.map((f) => f.path).join(', ')}\nSELECT INBOX: ${inbox.exists} messages, UIDVALIDITY ${inbox.uidValidity}`,
    };
  });
}

async function sampleMail(run: Run, client: ImapFlow): Promise<void> {
  await run.step('sample-mail', async (signal) => {
    signal.addEventListener('abort', () => closeQuietly(client), { once: true });
    const exists = client.mailbox ? client.mailbox.exists : 0;
    if (!exists) return { value: undefined, summary: 'INBOX is empty: no sample to show.', details: '' };
    const msg = await client.fetchOne('*', { envelope: true, internalDate: true, uid: true });
    if (!msg) return { value: undefined, summary: 'INBOX is empty: no sample to show.', details: '' };
    const from = msg.envelope?.from?.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ') ?? '';
    const date = msg.internalDate instanceof Date ? msg.internalDate.toISOString() : String(msg.internalDate ?? msg.envelope?.date ?? '');
    const subject = msg.envelope?.subject ?? '(no subject)';
    return {
      value: undefined,
      summary: `Newest message: "${subject}" from ${from || 'unknown sender'}, ${date}.`,
      details: `UID ${msg.uid}\nDate: ${date}\nFrom: ${from}\nSubject: ${subject}`,
    };
  });
}

// ------------------------------------------------------------------------------------------------ SMTP

async function verifySmtp(run: Run, sockets: net.Socket[]): Promise<SmtpSession> {
  const { smtp: server, provider, auth } = run.target;
  const session = await run.step('smtp-connect', async (signal) => {
    if (isMicrosoftSmtpPortNotAnswered(provider, server.port)) {
      throw Object.assign(new Error(`Not tried: Microsoft 365 does not answer SMTP on port ${server.port}.`), { code: 'PORT_NOT_ANSWERED' });
    }
    const endpoint = await resolveEndpoint(server.host, server.port, run.options);
    let socket: net.Socket = await connectTcp(endpoint, signal);
    sockets.push(socket);
    let certText = '';
    if (server.security === 'tls') {
      const secure = await startTls(socket, server.host, run.options, signal);
      sockets.push(secure);
      certText = formatCertificate(summarizeCertificate(secure));
      socket = secure;
    }
    const s = await smtpConnect(socket, server, { ...run.options, timeoutMs: run.timeoutMs }, signal);
    if (s.upgradeCertificate) {
      const c = s.upgradeCertificate;
      certText = `Subject: ${c.subject?.CN ?? ''}\nIssuer: ${c.issuer?.CN ?? ''}\nValid: ${c.valid_from} to ${c.valid_to}\nNames: ${c.subjectaltname ?? ''}`;
    }
    const mode = server.security === 'tls' ? 'SSL/TLS' : 'STARTTLS';
    return {
      value: s,
      summary: `Connected to ${server.host} port ${server.port} with ${mode}.`,
      details: `${endpointDetails(endpoint)}\n${certText}\nEHLO: ${s.connection.lastServerResponse || ''}`,
    };
  });
  try {
    await run.step('smtp-auth', async (signal) => {
      await smtpLogin(session.connection, auth.user, auth.accessToken, signal);
      return { value: undefined, summary: `Signed in to SMTP as ${auth.user} with XOAUTH2.`, details: `AUTH XOAUTH2 as ${auth.user}: ${session.connection.lastServerResponse || ''}` };
    });
    if (!run.ok('imap-auth')) run.tokenAcceptedLater();
  } catch (err) {
    smtpClose(session.connection);
    throw err;
  }
  return session;
}

// ------------------------------------------------------------------------------------------ round trip

function testMessage(address: string, token: string, messageId: string): string {
  return [
    `From: <${address}>`,
    `To: <${address}>`,
    `Subject: Reauth Assist test ${token}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Auto-Submitted: auto-generated',
    '',
    `Reauth Assist sent this message from ${address} to itself to check sending and receiving. It removes it once found.`,
    '',
  ].join('\r\n');
}

async function roundTrip(run: Run, client: ImapFlow, smtp: SmtpSession): Promise<void> {
  const { address } = run.target;
  const wait = run.options.roundTripWaitMs ?? 30_000;
  const poll = run.options.roundTripPollMs ?? 250;
  const token = randomBytes(9).toString('base64url');
  const messageId = `<reauth-assist-${token}@reauth-assist.invalid>`;
  await run.step('round-trip', async (signal) => {
    signal.addEventListener('abort', () => closeQuietly(client), { once: true });
    const sent = Date.now();
    const reply = await smtpSend(smtp.connection, { from: address, to: [address] }, testMessage(address, token, messageId), signal);
    await client.mailboxOpen('INBOX');
    for (;;) {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      if (uids && uids.length) {
        const seconds = ((Date.now() - sent) / 1000).toFixed(1);
        await client.messageDelete(uids, { uid: true });
        return {
          value: undefined,
          summary: `Sent a test message to ${address} and found it in INBOX after ${seconds} s (then removed it).`,
          details: `Message-ID: ${messageId}\nSMTP: ${reply}\nFound as UID ${uids.join(',')}`,
        };
      }
      if (Date.now() - sent > wait) {
        throw Object.assign(new Error(`Sent (${reply}) but not in INBOX after ${Math.round(wait / 1000)} s`), { code: 'NOT_DELIVERED' });
      }
      await sleep(poll, signal);
      await client.noop();
    }
  }, wait + run.timeoutMs * 2);
}
