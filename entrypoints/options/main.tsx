import { render } from 'preact';
import { CustomOrigins } from '../../components/CustomOrigins';
import { AlertSettings } from '../../components/options/AlertSettings';
import { CompanionSettings } from '../../components/options/CompanionSettings';
import { HelpdeskPickerSwitch } from '../../components/options/HelpdeskPickerSwitch';
import { SigninSettings } from '../../components/options/SigninSettings';
import '../../components/ui.css';

render(
  <main class="options">
    <h1>Reauth Assist options</h1>
    <CustomOrigins />
    <SigninSettings />
    <HelpdeskPickerSwitch />
    <CompanionSettings />
    <AlertSettings />
  </main>,
  document.getElementById('app')!,
);
