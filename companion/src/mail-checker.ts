/**
 * The companion's view of the mail protocol work (companion/src/verify/): one verification, and the outage
 * report of a window. The HTTP routes and the monitor depend on this interface only.
 */
import type {
  FolderInfo,
  FolderMapping,
  OutageReport,
  StepResult,
  Verdict,
  VerifyTarget,
} from '../../lib/verification';

export interface MailChecker {
  verify(
    target: VerifyTarget,
    options: { onStep?: (step: StepResult) => void; signal?: AbortSignal },
  ): Promise<Verdict>;
  outageReport(target: VerifyTarget, window: { from: Date; to: Date }, signal?: AbortSignal): Promise<OutageReport>;
  /** The mailbox's folders with their special-use flags and the suggested mapping (Salesorder's folder dropdowns). */
  folders(target: VerifyTarget, signal?: AbortSignal): Promise<{ folders: FolderInfo[]; mapping: FolderMapping }>;
}
