import { render } from 'preact';
import { CustomOrigins } from '../../components/CustomOrigins';
import '../../components/ui.css';

render(
  <main class="options">
    <h1>Reauth Assist options</h1>
    <CustomOrigins />
  </main>,
  document.getElementById('app')!,
);
