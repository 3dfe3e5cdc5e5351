import { render } from 'preact';
import { CustomOrigins } from '../../components/CustomOrigins';
import { AlertSettings } from '../../components/options/AlertSettings';
import { CompanionSettings } from '../../components/options/CompanionSettings';
import { HelpdeskPickerSwitch } from '../../components/options/HelpdeskPickerSwitch';
import { useOptionsReady } from '../../components/options/options-ready';
import { SigninSettings } from '../../components/options/SigninSettings';
import '../../components/ui.css';

function Options() {
  const ready = useOptionsReady();
  return (
    <main class="options" aria-busy={ready ? undefined : 'true'}>
      <h1>Reauth Assist options</h1>
      {!ready && (
        <>
          <div class="skeleton skeleton-card" />
          <div class="skeleton skeleton-card" />
        </>
      )}
      {/* Rendered while hidden: each section loads its own state and says when it knows it. */}
      <div class="options-sections" hidden={!ready}>
        <CustomOrigins />
        <SigninSettings />
        <HelpdeskPickerSwitch />
        <CompanionSettings />
        <AlertSettings />
      </div>
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
