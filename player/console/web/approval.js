// Noticeboard console: approval (issue 22). Editors submit drafts with a
// note and see them returned with the approver's comment; approvers review
// a draft (its changes against what plays now, side by side, with the
// changed characters marked, and its preview) and approve or return it.
// Also the audit log and the items that expire within 7 days.
//
// Loaded last (index.html): it starts the page once every script is in.
'use strict';

const ACTIONS = { submit: '提交审核', resubmit: '重新提交', return: '退回', approve: '批准发布', publish: '发布', restore: '恢复上一个', alert: '发布紧急通知', 'alert-cancel': '取消紧急通知' };
const STATES = { submitted: '等待审核', resubmitted: '已重新提交，等待审核', returned: '已退回', approved: '已批准发布' };
const FIELDS = { title: '标题', summary: '摘要', body: '正文', date: '日期', duration_s: '显示秒数', schedule: '播放时间', enabled: '播放', default_duration_s: '默认秒数', transition: '切换效果' };
const review = { draft: null, auditPage: 0 };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function isEditor() { return state.role === 'editor'; }

// ---- roles ----
function applyRole(s) {
  state.role = s.role;
  const editor = s.role === 'editor';
  $('submit-box').hidden = !editor;
  for (const id of ['publish', 'restore', 'publish-note', 'publish-note-label']) $(id).hidden = editor;
  // A second login in the same page may be the other role: set both ways.
  $('publish-heading').textContent = editor ? '导出到U盘（未签名）' : '发布';
  if (editor) $('publish-target').textContent = '编辑导出的文件没有审核人的签名：要求签名的屏幕不会接受它，请提交审核。';
  else if (!s.desktop) $('publish-target').textContent = '发布后，屏幕在当前这张幻灯片结束时换上新的播放列表。';
  $('tab-review-label').textContent = editor ? '我的草稿' : '审核';
  $('review-decide').hidden = editor;
  $('review-waiting-title').textContent = editor ? '等待审核中' : '等待审核';
  $('review-intro').textContent = editor
    ? '您提交的草稿。被退回的草稿会显示审核意见，可以修改后重新提交。'
    : '编辑提交的草稿。打开一份，查看修改之处和预览，然后批准发布或退回。';
  refreshReviewCount();
}
function onTabSelected(name) {
  if (name === 'status') loadExpiring();
  if (name === 'playlist') loadDraftExpiring();
  if (name === 'preview') showResubmitInfo();
  if (name === 'review') loadDrafts();
  if (name === 'audit') loadAudit();
}

// ---- submit (editors) ----
function showResubmitInfo() {
  const info = $('resubmit-info');
  info.hidden = !state.resubmit;
  if (state.resubmit) {
    info.textContent = '正在修改退回的草稿「' + state.resubmit.title + '」（第 ' + state.resubmit.version + ' 版）。审核意见：' + state.resubmit.comment;
    $('submit-draft').textContent = '重新提交审核';
  } else {
    $('submit-draft').textContent = '提交审核';
  }
}
$('submit-draft').addEventListener('click', async () => {
  $('submit-message').textContent = ''; $('submit-error').textContent = '';
  const body = { playlist: state.draft, note: $('submit-note').value.trim() };
  if (state.resubmit) body.id = state.resubmit.id;
  const r = await apiJson('POST', '/console/api/drafts/submit', JSON.stringify(body), { type: 'application/json' });
  if (!r.ok) {
    state.errors = r.errors || [];
    $('submit-error').textContent = '未提交：' + r.error + (state.errors.length ? '（见“播放列表”页）' : '');
    return;
  }
  state.errors = [];
  state.resubmit = null;
  $('submit-note').value = '';
  setDirty(false);
  showResubmitInfo();
  $('submit-message').textContent = '已提交审核（草稿第 ' + r.draft.version + ' 版）。审核人批准后才会上屏；可在“我的草稿”查看进度。';
  refreshReviewCount();
});

// ---- the drafts list ----
async function refreshReviewCount() {
  const r = await apiJson('GET', '/console/api/drafts');
  if (!r.ok) return;
  const n = r.drafts.filter((d) => (isEditor() ? d.state === 'returned' : d.state === 'submitted' || d.state === 'resubmitted')).length;
  $('review-count').hidden = n === 0;
  $('review-count').textContent = String(n);
}
function draftRow(d) {
  const li = el('li', 'draft ' + d.state);
  const head = el('div', 'draft-head');
  head.append(el('strong', '', d.title + '（' + d.items + ' 条）'), el('span', 'badge ' + d.state, STATES[d.state] || d.state));
  li.append(head);
  li.append(el('div', 'muted', d.author + ' 提交，第 ' + d.version + ' 版，' + d.updated_at + (d.reviewer ? '，审核人 ' + d.reviewer : '')));
  if (d.note) li.append(el('div', 'note', '说明：' + d.note));
  if (d.comment) li.append(el('div', 'comment', '审核意见：' + d.comment));
  if (!isEditor()) {
    li.append(button('查看', () => openDraft(d.id), d.state === 'approved' ? '' : 'primary'));
  } else if (d.state === 'returned') {
    li.append(button('修改后重新提交', () => editReturned(d.id), 'primary'));
  }
  return li;
}
async function loadDrafts() {
  $('review-detail').hidden = true;
  $('review-lists').hidden = false;
  $('review-error').textContent = '';
  const r = await apiJson('GET', '/console/api/drafts');
  if (!r.ok) { $('review-error').textContent = r.error; return; }
  const waiting = r.drafts.filter((d) => d.state === 'submitted' || d.state === 'resubmitted' || (isEditor() && d.state === 'returned'));
  const done = r.drafts.filter((d) => !waiting.includes(d));
  $('review-waiting').replaceChildren(...(waiting.length ? waiting.map(draftRow) : [el('li', 'muted', '没有')]));
  $('review-done').replaceChildren(...(done.length ? done.slice(0, 20).map(draftRow) : [el('li', 'muted', '没有')]));
  refreshReviewCount();
}
async function editReturned(id) {
  if (state.dirty && !confirm('放弃当前未提交的修改，载入这份退回的草稿？')) return;
  const r = await apiJson('GET', '/console/api/draft?id=' + encodeURIComponent(id));
  if (!r.ok) { $('review-error').textContent = r.error; return; }
  state.draft = r.draft.playlist;
  state.resubmit = { id: r.draft.id, version: r.draft.version, title: r.draft.title, comment: r.draft.comment };
  state.errors = [];
  setDirty(true);
  selectTab('playlist');
  $('draft-message').textContent = '已载入退回的草稿。审核意见：' + r.draft.comment + '。改好后在“预览与发布”页重新提交。';
}

// ---- one draft, for the approver ----
function spansInto(parent, spans, keep) {
  // keep: 'removed' for the left (what plays), 'added' for the right (the draft).
  for (const s of spans) {
    if (s.op === 'same') parent.append(document.createTextNode(s.text));
    else if (s.op === keep) parent.append(el(keep === 'added' ? 'ins' : 'del', '', s.text));
  }
}
function fieldRow(f) {
  const row = el('div', 'diff-field');
  row.append(el('div', 'diff-label', FIELDS[f.field] || f.field));
  const left = el('div', 'diff-before'), right = el('div', 'diff-after');
  if (f.spans) { spansInto(left, f.spans, 'removed'); spansInto(right, f.spans, 'added'); } else {
    left.append(el('del', '', f.before));
    right.append(el('ins', '', f.after));
  }
  row.append(left, right);
  return row;
}
function renderDiff(r) {
  const box = $('review-diff');
  const parts = [];
  for (const f of r.playlist_fields) parts.push(fieldRow(f));
  for (const it of r.items) {
    if (it.kind === 'same' && !it.moved) continue;
    const card = el('div', 'diff-item ' + it.kind);
    const label = { added: '新增', removed: '删除', changed: '修改', same: '位置调整' }[it.kind];
    const where = it.kind === 'removed' ? '屏幕上第 ' + (it.playing_index + 1) + ' 条' : '草稿第 ' + (it.draft_index + 1) + ' 条';
    card.append(el('div', 'diff-head', label + '：' + it.title + '（' + where + (it.moved && it.kind !== 'removed' ? '，位置有调整' : '') + '）'));
    if (it.kind === 'added' || it.kind === 'removed') {
      const row = el('div', 'diff-field');
      row.append(el('div', 'diff-label', ''));
      const left = el('div', 'diff-before'), right = el('div', 'diff-after');
      (it.kind === 'added' ? right : left).append(el(it.kind === 'added' ? 'ins' : 'del', '', it.title));
      row.append(left, right);
      card.append(row);
    }
    for (const f of it.fields) card.append(fieldRow(f));
    parts.push(card);
  }
  box.replaceChildren(...(parts.length ? parts : [el('p', 'muted', '与屏幕上现在的播放列表相同')]));
}
async function openDraft(id) {
  $('decide-message').textContent = ''; $('decide-error').textContent = '';
  const r = await apiJson('GET', '/console/api/draft/diff?id=' + encodeURIComponent(id));
  if (!r.ok) { $('review-error').textContent = r.error; return; }
  review.draft = r.draft;
  $('review-lists').hidden = true;
  $('review-detail').hidden = false;
  const d = r.draft;
  $('review-title').textContent = d.title + '（' + d.items + ' 条）— ' + (STATES[d.state] || d.state);
  $('review-meta').textContent = d.author + ' 提交，第 ' + d.version + ' 版，' + d.updated_at + '；屏幕上现在：' + (r.playing.title || '（无）') + '，' + r.playing.items + ' 条';
  $('review-note').textContent = d.note ? '提交说明：' + d.note : '（提交人没有写说明）';
  $('review-summary').textContent = '新增 ' + r.added + ' 条，删除 ' + r.removed + ' 条，修改 ' + r.changed + ' 条';
  const exp = $('review-expiring');
  exp.hidden = !r.expiring.length;
  exp.textContent = '7 天内到期：' + r.expiring.map((e) => e.title + '（' + e.until + '）').join('；');
  $('review-decide').hidden = isEditor() || !(d.state === 'submitted' || d.state === 'resubmitted');
  renderDiff(r);
  // The draft's own preview: every item, drawn by the screen's engine.
  const img = $('review-preview');
  img.removeAttribute('src');
  $('review-preview-message').textContent = '正在生成预览……';
  const [w, h] = previewSize();
  for (let attempt = 0; attempt < 30; ++attempt) {
    const res = await api('POST', '/console/api/preview?item=-1&w=' + w + '&h=' + h, JSON.stringify(d.playlist), { type: 'application/json' });
    if (res.status === 503) { await new Promise((ok) => setTimeout(ok, 1000)); continue; }
    if (res.ok) { img.src = URL.createObjectURL(await res.blob()); $('review-preview-message').textContent = ''; } else {
      $('review-preview-message').textContent = '预览失败';
    }
    break;
  }
}
$('review-back').addEventListener('click', loadDrafts);
$('review-approve').addEventListener('click', async () => {
  const d = review.draft;
  if (!confirm('批准「' + d.title + '」并发布到屏幕？')) return;
  $('decide-message').textContent = ''; $('decide-error').textContent = '';
  const r = await apiJson('POST', '/console/api/drafts/approve', JSON.stringify({ id: d.id, version: d.version }), { type: 'application/json' });
  if (!r.ok) { $('decide-error').textContent = '未发布：' + r.error; return; }
  $('decide-message').textContent = '已批准并发布：' + r.title + '，' + r.items + ' 条' + (r.outcome === 'unchanged' ? '（与屏幕上的相同）' : '');
  $('review-decide').hidden = true;
  refreshReviewCount();
});
$('review-return').addEventListener('click', async () => {
  const d = review.draft;
  const comment = $('review-comment').value.trim();
  $('decide-message').textContent = ''; $('decide-error').textContent = '';
  if (!comment) { $('decide-error').textContent = '请写明退回的原因，提交人会看到它'; $('review-comment').focus(); return; }
  const r = await apiJson('POST', '/console/api/drafts/return', JSON.stringify({ id: d.id, version: d.version, comment }), { type: 'application/json' });
  if (!r.ok) { $('decide-error').textContent = '未退回：' + r.error; return; }
  $('review-comment').value = '';
  $('decide-message').textContent = '已退回给 ' + d.author;
  $('review-decide').hidden = true;
  refreshReviewCount();
});

// ---- the audit log ----
async function loadAudit() {
  $('audit-error').textContent = '';
  const per = 50;
  const r = await apiJson('GET', '/console/api/audit?per_page=' + per + '&page=' + review.auditPage);
  if (!r.ok) { $('audit-error').textContent = r.error; return; }
  const pages = Math.max(1, Math.ceil(r.total / per));
  $('audit-page').textContent = '第 ' + (review.auditPage + 1) + ' / ' + pages + ' 页，共 ' + r.total + ' 条';
  $('audit-prev').disabled = review.auditPage === 0;
  $('audit-next').disabled = review.auditPage + 1 >= pages;
  $('audit-rows').replaceChildren(...r.entries.map((e) => {
    const tr = el('tr');
    for (const v of [e.at.replace('T', ' ').replace('Z', ' UTC'), e.user, ACTIONS[e.action] || e.action, (e.action.startsWith('alert') ? '' : e.title + '（' + e.items + ' 条）'), e.note, e.draft ? e.draft + ' 第' + e.version + '版' : '', e.hash.slice(0, 12)]) tr.append(el('td', '', v));
    return tr;
  }));
}
$('audit-prev').addEventListener('click', () => { review.auditPage = Math.max(0, review.auditPage - 1); loadAudit(); });
$('audit-next').addEventListener('click', () => { review.auditPage += 1; loadAudit(); });

// ---- expiring within 7 days ----
function expiringText(items) { return items.map((e) => e.title + '（到 ' + e.until + (e.enabled ? '' : '，已停用') + '）'); }
async function loadExpiring() {
  const r = await apiJson('GET', '/console/api/expiring');
  if (!r.ok) return;
  $('status-expiring').hidden = !r.items.length;
  $('status-expiring-list').replaceChildren(...expiringText(r.items).map((t) => el('li', '', t)));
}
async function loadDraftExpiring() {
  if (!state.draft) return;
  const r = await apiJson('POST', '/console/api/expiring', draftBody(), { type: 'application/json' });
  const box = $('draft-expiring');
  box.hidden = !r.ok || !r.items.length;
  if (!box.hidden) box.textContent = '草稿中 7 天内到期的条目：' + expiringText(r.items).join('；');
}

start().catch((e) => { $('view-loading').textContent = '无法连接屏幕：' + e.message; });
