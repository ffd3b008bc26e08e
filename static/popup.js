// Starts the popup: the Yew app in the extension's wasm renders everything.
import init, { start_popup } from './pkg/culprit_extension.js';

init().then(() => start_popup()).catch((e) => {
  const p = document.createElement('p');
  p.id = 'popup-error';
  p.textContent = `Culprit could not start: ${e && e.message ? e.message : e}`;
  document.body.append(p);
});
