import { render } from 'preact';
import { Popup } from '../../components/Popup';
import { loadPopupPicture } from '../../components/popup-ready';
import '../../components/ui.css';

const app = document.getElementById('app')!;
void loadPopupPicture().then(() => {
  app.replaceChildren(); // the static skeleton of index.html
  render(<Popup />, app);
});
