/**
 * Command-line arguments that point the companion's production host names at the test stack: the identity
 * provider (login.microsoftonline.com, oauth2.googleapis.com, idp.reauth.test) and the mail endpoints
 * (outlook.office365.com:993, smtp.office365.com:587, ...), with the test CA trusted. Shared by the browser
 * end-to-end tests and the sandbox (demo/), so both run the extension's and the companion's real configuration.
 */
import { idpArgs } from '../companion/companion-support';
import type { MailStack } from '../stack';

/** `--resolve host:port:127.0.0.1:localPort` for every production mail endpoint the stack stands in for. */
export function mailArgs(stack: MailStack): string[] {
  return Object.entries(stack.mailHostMap).flatMap(([hostPort, to]) => ['--resolve', `${hostPort}:${to.host}:${to.port}`]);
}

/** Everything the companion needs to reach the stack under production names. */
export function stackCompanionArgs(stack: MailStack): string[] {
  return [...idpArgs(stack.idp.port), ...mailArgs(stack)];
}
