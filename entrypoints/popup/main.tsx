import { render } from 'preact';
import { Popup } from '../../components/Popup';
import { takeEarly } from '../../components/popup-early';
import { loadPopupPicture } from '../../components/popup-ready';
import '../../components/ui.css';

const app = document.getElementById('app')!;
// The ports and question of the page's early script (entrypoints/popup-early.ts) already travel.
void loadPopupPicture(takeEarly()).then(() => {
  app.replaceChildren(); // the static skeleton of index.html
  render(<Popup />, app);
});
