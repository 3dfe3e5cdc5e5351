import { READY_HEADLINE, STEP_TITLES, type Verdict } from '../../lib/verification';

/** One verdict: ready to press Re-authorize, or exactly what to fix first (the catalogue's cause and fix). */
export function VerdictView({ verdict }: { verdict: Verdict }) {
  if (verdict.ready) {
    return (
      <p class="verdict ready" data-verdict="ready" role="status">
        {READY_HEADLINE}
      </p>
    );
  }
  const first = verdict.fixFirst;
  return (
    <div class="verdict fix" data-verdict="fix" role="alert">
      <p class="verdict-headline">{verdict.headline}</p>
      {first && (
        <>
          <p class="verdict-cause">
            <span class="muted">At “{STEP_TITLES[first.step]}”: </span>
            {first.cause}
          </p>
          <p class="verdict-fix-title">What to do:</p>
          <ol class="verdict-fix" data-fix={first.diagnosis}>
            {first.fix.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
