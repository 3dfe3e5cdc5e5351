import { render } from 'preact';
render(<p>Reauth Assist</p>, document.getElementById('app')!);
