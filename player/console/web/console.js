// Noticeboard console. Plain JavaScript, no framework, no build step: the
// pages are served by the screen itself, which may be offline.
//
// The draft (the playlist being edited) lives in this page (and in
// sessionStorage, so a reload keeps it); the server checks, previews and
// publishes it with the player's own code. Errors come back with JSON
// pointers ("/items/3/schedule/hours"), shown at the field that has
// data-pointer equal to them (or the nearest enclosing one).
'use strict';

const $ = (id) => document.getElementById(id);
const state = { csrf: '', session: null, draft: null, dirty: false, errors: [], screenTimer: 0, role: '', resubmit: null };
const WEEKDAYS = [['mon', '一'], ['tue', '二'], ['wed', '三'], ['thu', '四'], ['fri', '五'], ['sat', '六'], ['sun', '日']];

// ---- server ----
async function api(method, path, body, opts = {}) {
  const headers = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  if (opts.type) headers['Content-Type'] = opts.type;
  if (opts.fileName !== undefined) headers['X-File-Name'] = encodeURIComponent(opts.fileName);
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (res.status === 401 && !path.endsWith('/login')) {
    show('login');
    throw new Error('请重新登录');
  }
  return res;
}
async function apiJson(method, path, body, opts) {
  const res = await api(method, path, body, opts);
  let data = {};
  try { data = await res.json(); } catch (e) { data = { ok: false, error: '服务器的回答无法读取（' + res.status + '）' }; }
  data.httpStatus = res.status;
  return data;
}
const draftBody = () => JSON.stringify(state.draft);

// ---- views ----
function show(view) {
  for (const v of ['loading', 'nopassword', 'login', 'main']) $('view-' + v).hidden = v !== view;
  $('who').hidden = view !== 'main';
  if (view === 'login') $('login-password').focus();
}
function selectTab(name) {
  for (const b of document.querySelectorAll('.tabs button')) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', on ? 'true' : 'false');
    $('panel-' + b.dataset.tab).hidden = !on;
  }
  clearInterval(state.screenTimer);
  if (name === 'status') { refreshStatus(); state.screenTimer = setInterval(refreshStatus, 5000); }
  if (name === 'playlist') renderItems();
  onTabSelected(name);  // approval.js: drafts, the log, expiring items
}
function setDirty(d) {
  state.dirty = d;
  $('dirty').hidden = !d;
  sessionStorage.setItem('nb-draft', JSON.stringify({ draft: state.draft, dirty: d, resubmit: state.resubmit }));
}

async function start() {
  const s = await apiJson('GET', '/console/api/session');
  state.session = s;
  if (s.fingerprint) {
    $('login-fingerprint').textContent = '本机证书指纹（SHA-256）：' + s.fingerprint;
  }
  if (!s.password_set) {
    $('nopassword-file').textContent = '密码保存在 ' + s.password_file + (s.password_error ? '（' + s.password_error + '）' : '');
    show('nopassword');
    return;
  }
  if (!s.logged_in) { show('login'); return; }
  await enter(s);
}
async function enter(s) {
  state.csrf = s.csrf;
  $('who-name').textContent = s.user + (s.role === 'editor' ? '（编辑）' : '（审核人）');
  applyRole(s);  // approval.js: an editor submits instead of publishing
  if (s.desktop) {
    $('publish').textContent = '保存到文件';
    $('publish-target').textContent = '这是电脑上的管理页面：发布即保存到正在编辑的文件。';
  }
  show('main');
  const saved = JSON.parse(sessionStorage.getItem('nb-draft') || 'null');
  if (saved && saved.draft && saved.dirty) { state.draft = saved.draft; state.resubmit = saved.resubmit || null; setDirty(true); } else { await loadFromScreen(); }
  selectTab('status');
}

// ---- login ----
$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  const r = await apiJson('POST', '/console/api/login',
    JSON.stringify({ user: $('login-user').value, password: $('login-password').value }), { type: 'application/json' });
  $('login-password').value = '';
  if (!r.ok) { $('login-error').textContent = r.error || '登录失败'; return; }
  await enter(r);
});
$('logout').addEventListener('click', async () => {
  await apiJson('POST', '/console/api/logout');
  sessionStorage.removeItem('nb-draft');
  state.draft = null;
  show('login');
});
for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => selectTab(b.dataset.tab));

// ---- status ----
function fmtDuration(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + ' 天 ' : '') + (h ? h + ' 小时 ' : '') + m + ' 分钟';
}
async function refreshStatus() {
  const s = await apiJson('GET', '/console/api/status');
  if (s.httpStatus !== 200) return;
  if (!state.screen && s.screen.height > s.screen.width) $('orient-portrait').checked = true;
  state.screen = s.screen;
  const facts = [
    ['播放列表', s.playlist.title || '（无）'],
    ['条目', String(s.playlist.items)],
    ['正在播放', s.playing.title || '—'],
    ['屏幕', s.desktop_file ? '电脑预览（' + s.desktop_file + '）' : (s.screen.on ? '开' : '关（' + s.screen.off_hours + '）') + (s.screen.width ? '，' + s.screen.width + '×' + s.screen.height : '')],
    ['关屏时段', s.screen.off_hours || '无'],
    ['上次更新', s.last_update.at ? s.last_update.at + '（' + s.last_update.source + '）' : '本次启动后没有'],
    ['运行时间', fmtDuration(s.uptime_s)],
    ['帧率', s.fps ? s.fps.toFixed(1) + ' fps' : '—'],
    ['校验值', (s.playlist.hash || '').slice(0, 16)],
    ['证书指纹', s.fingerprint || '（未使用 HTTPS）'],
    ['版本', s.version + '（' + s.host + '）'],
  ];
  if (s.pull) {
    facts.splice(6, 0, ['网络更新', s.pull.last_error
      ? '连不上服务器（' + s.pull.last_checked_at + '）：' + s.pull.last_error
      : '正常，上次连上 ' + (s.pull.last_ok_at || '—') + '，下次 ' + s.pull.next_at]);
  }
  const dl = $('status-list');
  dl.replaceChildren();
  for (const [k, v] of facts) {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  }
  if (typeof renderAlerts === 'function') renderAlerts(s);
  const refusal = $('status-refusal');
  refusal.hidden = !s.last_error.message;
  if (s.last_error.message) {
    const lines = ['最近一次被拒绝的更新（' + s.last_error.at + '，' + s.last_error.source + '）：'];
    const errs = s.last_error.errors.length ? s.last_error.errors.map((e) => e.where + '：' + e.message) : [s.last_error.message];
    refusal.textContent = lines.concat(errs).join('\n');
  }
  const res = await api('GET', '/console/api/screen.png');
  if (res.ok) {
    const url = URL.createObjectURL(await res.blob());
    const img = $('screen-img');
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    img.src = url;
  }
}

// ---- draft editing ----
async function loadFromScreen() {
  const res = await api('GET', '/console/api/playlist');
  if (res.ok) state.draft = await res.json();
  else state.draft = { version: 1, title: '本校通知', items: [] };
  state.errors = [];
  state.resubmit = null;
  setDirty(false);
  renderItems();
}
function field(labelText, pointer, input) {
  const wrap = document.createElement('div');
  const id = 'f' + pointer.replace(/[^a-z0-9]/gi, '-');
  input.id = id;
  input.dataset.pointer = pointer;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = labelText;
  const err = document.createElement('p');
  err.className = 'field-error';
  err.dataset.errorFor = pointer;
  err.setAttribute('role', 'alert');
  wrap.append(label, input, err);
  return wrap;
}
function textInput(value, onChange, tag = 'input') {
  const el = document.createElement(tag);
  el.value = value === undefined || value === null ? '' : String(value);
  el.addEventListener('change', () => { onChange(el.value); setDirty(true); });
  return el;
}
function button(text, onClick, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}
function setOrDelete(obj, key, value) {
  if (value === '' || value === undefined || value === null) delete obj[key]; else obj[key] = value;
}
function scheduleOf(item) {
  if (!item.schedule) item.schedule = {};
  return item.schedule;
}
function tidySchedule(item) {
  if (item.schedule && Object.keys(item.schedule).length === 0) delete item.schedule;
}
function weekdayName(w) { return typeof w === 'number' ? WEEKDAYS[w - 1][0] : w; }

function renderItem(item, i) {
  const li = document.createElement('li');
  li.className = 'item' + (item.enabled === false ? ' disabled' : '');
  li.dataset.pointer = '/items/' + i;
  const p = (k) => '/items/' + i + '/' + k;
  const head = document.createElement('div');
  head.className = 'item-head';
  const num = document.createElement('span'); num.className = 'num'; num.textContent = (i + 1) + '.';
  const enabledBox = document.createElement('input');
  enabledBox.type = 'checkbox';
  enabledBox.checked = item.enabled !== false;
  enabledBox.id = 'enabled-' + i;
  enabledBox.dataset.pointer = p('enabled');
  enabledBox.addEventListener('change', () => {
    if (enabledBox.checked) delete item.enabled; else item.enabled = false;
    setDirty(true); renderItems();
  });
  const enabledLabel = document.createElement('label');
  enabledLabel.className = 'inline';
  enabledLabel.htmlFor = enabledBox.id;
  enabledLabel.textContent = '播放';
  const spacer = document.createElement('span'); spacer.className = 'spacer';
  const items = state.draft.items;
  const move = (d) => () => { const j = i + d; if (j < 0 || j >= items.length) return; [items[i], items[j]] = [items[j], items[i]]; setDirty(true); renderItems(); };
  head.append(num, enabledBox, enabledLabel, spacer,
    button('上移', move(-1)), button('下移', move(1)),
    button('预览', () => { selectTab('preview'); previewItem(i); }),
    button('删除', () => { if (confirm('删除「' + item.title + '」？')) { items.splice(i, 1); setDirty(true); renderItems(); } }, 'danger'));
  li.append(head);
  li.append(field('标题', p('title'), textInput(item.title, (v) => { item.title = v; })));
  const summary = textInput(item.summary, (v) => setOrDelete(item, 'summary', v), 'textarea');
  summary.rows = 3;
  li.append(field('摘要', p('summary'), summary));
  const row = document.createElement('div'); row.className = 'row';
  row.append(field('日期', p('date'), textInput(item.date, (v) => setOrDelete(item, 'date', v))));
  const dur = textInput(item.duration_s, (v) => setOrDelete(item, 'duration_s', v === '' ? '' : Number(v)));
  dur.type = 'number'; dur.min = '1'; dur.step = '1'; dur.placeholder = String((state.draft.defaults && state.draft.defaults.duration_s) || 15);
  row.append(field('显示秒数', p('duration_s'), dur));
  const sched = item.schedule || {};
  row.append(field('开始', p('schedule/from'), textInput(sched.from, (v) => { setOrDelete(scheduleOf(item), 'from', v); tidySchedule(item); })));
  row.append(field('结束', p('schedule/until'), textInput(sched.until, (v) => { setOrDelete(scheduleOf(item), 'until', v); tidySchedule(item); })));
  const hours = textInput(sched.hours, (v) => { setOrDelete(scheduleOf(item), 'hours', v); tidySchedule(item); });
  hours.placeholder = '如 07:30-17:30';
  row.append(field('每天时段', p('schedule/hours'), hours));
  li.append(row);
  const wd = document.createElement('div');
  const wdLabel = document.createElement('span'); wdLabel.className = 'muted'; wdLabel.textContent = '星期（不选即每天）：';
  const box = document.createElement('div'); box.className = 'weekdays';
  box.dataset.pointer = p('schedule/weekdays');
  const chosen = new Set((sched.weekdays || []).map(weekdayName));
  for (const [name, zh] of WEEKDAYS) {
    const cb = document.createElement('input'); cb.type = 'checkbox'; cb.id = 'wd-' + i + '-' + name; cb.checked = chosen.has(name);
    cb.addEventListener('change', () => {
      if (cb.checked) chosen.add(name); else chosen.delete(name);
      const list = WEEKDAYS.map((w) => w[0]).filter((w) => chosen.has(w));
      setOrDelete(scheduleOf(item), 'weekdays', list.length ? list : '');
      tidySchedule(item); setDirty(true);
    });
    const l = document.createElement('label'); l.className = 'inline'; l.htmlFor = cb.id; l.textContent = '周' + zh;
    box.append(cb, l);
  }
  const wdErr = document.createElement('p'); wdErr.className = 'field-error'; wdErr.dataset.errorFor = p('schedule/weekdays');
  wd.append(wdLabel, box, wdErr);
  li.append(wd);
  const itemErr = document.createElement('p'); itemErr.className = 'field-error'; itemErr.dataset.errorFor = '/items/' + i;
  li.append(itemErr);
  return li;
}
function renderItems() {
  if (!state.draft) return;
  const ol = $('items');
  ol.replaceChildren(...state.draft.items.map(renderItem));
  const enabled = state.draft.items.filter((it) => it.enabled !== false).length;
  $('draft-summary').textContent = (state.draft.title || '') + '：' + state.draft.items.length + ' 条，其中 ' + enabled + ' 条播放';
  showErrors(state.errors);
}
// Puts each error at the element whose data-pointer is its pointer or the
// nearest enclosing one; what has no place goes to the list's general area.
function showErrors(errors) {
  for (const el of document.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of document.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of document.querySelectorAll('.has-error')) el.classList.remove('has-error');
  const general = [];
  for (const e of errors) {
    let ptr = e.where;
    let target = null;
    while (ptr.startsWith('/') && !target) {
      target = document.querySelector('[data-error-for="' + CSS.escape(ptr) + '"]');
      if (!target) ptr = ptr.slice(0, ptr.lastIndexOf('/'));
    }
    if (!target) { general.push(e.where + '：' + e.message); continue; }
    target.textContent += (target.textContent ? '\n' : '') + e.message;
    const input = document.querySelector('[data-pointer="' + CSS.escape(ptr) + '"]');
    if (input && input.tagName !== 'LI') input.classList.add('invalid');
    const item = target.closest('.item');
    if (item) item.classList.add('has-error');
  }
  $('draft-general-errors').textContent = general.join('\n');
}
async function checkDraft() {
  const r = await apiJson('POST', '/console/api/check', draftBody(), { type: 'application/json' });
  state.errors = r.errors || [];
  showErrors(state.errors);
  $('draft-message').textContent = r.ok ? '检查通过：' + r.items + ' 条，没有错误' : '';
  if (!r.ok && state.errors.length === 0) $('draft-general-errors').textContent = r.error;
  return r.ok;
}
$('check-draft').addEventListener('click', checkDraft);
$('reload-playlist').addEventListener('click', async () => {
  if (state.dirty && !confirm('放弃未发布的修改，重新载入屏幕上的播放列表？')) return;
  await loadFromScreen();
  $('draft-message').textContent = '已载入屏幕上的播放列表';
});
$('add-notice').addEventListener('click', () => { $('notice-form').hidden = false; $('notice-title').focus(); });
$('notice-cancel').addEventListener('click', () => { $('notice-form').hidden = true; });
$('notice-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('notice-text').value.trim();
  const item = { id: 'local-' + Date.now().toString(36), title: $('notice-title').value.trim() };
  if (text) { item.summary = text; item.body = text; }
  const from = $('notice-from').value, until = $('notice-until').value;
  if (from) item.date = from;
  if (from || until) { item.schedule = {}; if (from) item.schedule.from = from; if (until) item.schedule.until = until; }
  state.draft.items.unshift(item);
  $('notice-form').reset();
  $('notice-form').hidden = true;
  setDirty(true);
  renderItems();
  $('draft-message').textContent = '已加入草稿（在第 1 条）；发布后才会上屏';
});

// ---- import ----
let imported = null;
$('import-read').addEventListener('click', async () => {
  $('import-error').textContent = ''; $('import-message').textContent = '';
  const file = $('import-file').files[0];
  let body, name;
  if (file) { body = await file.arrayBuffer(); name = file.name; } else { body = $('import-text').value; name = ''; }
  if (!file && !body.trim()) { $('import-error').textContent = '请选择文件或粘贴文本'; return; }
  const r = await apiJson('POST', '/console/api/import', body, { type: 'application/octet-stream', fileName: name });
  $('import-review').hidden = !r.ok;
  if (!r.ok) {
    const errs = (r.errors || []).map((e) => e.where + '：' + e.message);
    $('import-error').textContent = [r.error].concat(errs).join('\n');
    return;
  }
  imported = r.playlist;
  $('import-summary').textContent = (r.format === 'bulletin' ? '公告' : '播放列表') + '「' + imported.title + '」，' + imported.items.length + ' 条' + (r.encoding !== 'UTF-8' ? '（已从 ' + r.encoding + ' 编码转换）' : '');
  $('import-warnings').replaceChildren(...r.warnings.map((w) => { const li = document.createElement('li'); li.textContent = w; return li; }));
  $('import-items').replaceChildren(...imported.items.map((it) => {
    const li = document.createElement('li');
    const t = document.createElement('strong'); t.textContent = it.title;
    const s = document.createElement('div'); s.className = 'muted'; s.textContent = (it.date || '') + ' ' + (it.summary || '');
    li.append(t, s);
    return li;
  }));
});
function applyImport(merge) {
  if (!imported) return;
  if (merge && state.draft) {
    const byId = new Map(imported.items.map((it) => [it.id, it]));
    const kept = state.draft.items.map((it) => byId.get(it.id) || it);
    const have = new Set(kept.map((it) => it.id));
    state.draft.items = imported.items.filter((it) => !have.has(it.id)).concat(kept);
  } else {
    state.draft = imported;
  }
  imported = null;
  $('import-review').hidden = true;
  state.errors = [];
  setDirty(true);
  selectTab('playlist');
  $('draft-message').textContent = merge ? '已合并到草稿' : '已替换草稿；发布后才会上屏';
}
$('import-replace').addEventListener('click', () => applyImport(false));
$('import-merge').addEventListener('click', () => applyImport(true));

// ---- publish ----
$('publish').addEventListener('click', async () => {
  $('publish-message').textContent = ''; $('publish-error').textContent = '';
  const note = $('publish-note').value.trim();
  const r = await apiJson('POST', '/console/api/publish?note=' + encodeURIComponent(note), draftBody(), { type: 'application/json' });
  if (r.ok) {
    $('publish-note').value = '';
    state.errors = [];
    setDirty(false);
    $('publish-message').textContent = (r.outcome === 'unchanged' ? '与屏幕上的相同，无需更新：' : '已发布：') + r.title + '，' + r.items + ' 条';
  } else {
    state.errors = r.errors || [];
    $('publish-error').textContent = '未发布：' + r.error + (state.errors.length > 1 ? '\n（共 ' + state.errors.length + ' 处错误，见“播放列表”页）' : '');
  }
});
$('restore').addEventListener('click', async () => {
  if (!confirm('把屏幕换回上一个播放列表？')) return;
  $('publish-message').textContent = ''; $('publish-error').textContent = '';
  const r = await apiJson('POST', '/console/api/restore');
  if (r.ok) { $('publish-message').textContent = '已恢复上一个播放列表：' + r.items + ' 条'; await loadFromScreen(); } else $('publish-error').textContent = '未恢复：' + r.error;
});
function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}
$('export').addEventListener('click', async () => {
  $('publish-message').textContent = ''; $('publish-error').textContent = '';
  const r = await apiJson('POST', '/console/api/export', draftBody(), { type: 'application/json' });
  if (!r.ok) {
    state.errors = r.errors || [];
    $('publish-error').textContent = '草稿有错误，请先在“播放列表”页改正：' + r.error;
    return;
  }
  download('playlist.json', r.playlist, 'application/json');
  if (r.minisig) download('playlist.json.minisig', r.minisig, 'text/plain');
  $('publish-message').textContent = r.minisig
    ? '已下载 playlist.json 和签名 playlist.json.minisig（密钥 ' + r.key_id + '）：两个文件都放进U盘的 noticeboard 文件夹'
    : '已下载 playlist.json：放进U盘的 noticeboard 文件夹';
});

