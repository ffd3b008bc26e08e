// The options page: settings and the failure history, both kept by the background worker
// (which validates them and resets unreadable data with a notice).

const $ = (id) => document.getElementById(id);
const ask = (msg) => chrome.runtime.sendMessage(msg);
const FIELDS = ['banner', 'retry_initial', 'retry_cap', 'retry_give_up', 'history_size', 'clear_cookies'];
const utc = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

async function loadOptions() {
  const { options, browser } = await ask({ type: 'get-options' });
  for (const key of FIELDS) {
    const input = $(key);
    if (input.type === 'checkbox') input.checked = !!options[key];
    else input.value = String(options[key]);
  }
  $('cache-scope').textContent = browser === 'firefox'
    ? 'Firefox cannot clear one site\'s HTTP cache: the button clears Firefox\'s whole cache, and this site\'s local storage (and cookies, if chosen) only.'
    : 'Chrome clears the cache, Cache Storage and service workers of this site\'s origin only; cookies, if chosen, for its whole domain.';
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

async function loadHistory() {
  const { entries, notice } = await ask({ type: 'history-all' });
  $('notice').hidden = !notice;
  $('notice').textContent = notice ?? '';
  const body = $('history-table').querySelector('tbody');
  body.replaceChildren(...entries.slice().reverse().map((e) => row([
    utc(e.time), e.url, e.status != null ? String(e.status) : (e.net_error ?? ''), e.source,
    e.recovered ? utc(e.recovered) : '',
  ])));
  $('history-empty').hidden = entries.length > 0;
  return entries;
}

$('options').addEventListener('submit', async (event) => {
  event.preventDefault();
  const options = {};
  for (const key of FIELDS) {
    const input = $(key);
    options[key] = input.type === 'checkbox' ? input.checked : Number(input.value);
  }
  await ask({ type: 'set-options', options });
  await loadOptions();
  $('saved').textContent = 'Saved.';
});

$('export').addEventListener('click', async () => {
  const entries = await loadHistory();
  const blob = new Blob([JSON.stringify({ exported: new Date().toISOString(), entries }, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'culprit-history.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

$('clear-history').addEventListener('click', async () => {
  await ask({ type: 'history-clear' });
  await loadHistory();
});

loadOptions();
loadHistory();
