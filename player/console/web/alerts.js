// Noticeboard console: urgent notices (issue 15). Everyone sees the ones on
// screen; approvers send one (it takes the whole screen within a second)
// and cancel it. The server checks the role again: hiding the form is only
// for clarity.
'use strict';

const ALERT_LABELS = { critical: '紧急', warning: '警示', info: '提示' };

function renderAlerts(status) {
  const list = $('alerts-list');
  list.replaceChildren();
  const alerts = status.alerts || [];
  $('alerts-none').hidden = alerts.length > 0;
  const approver = state.role === 'approver';
  $('alert-form').hidden = !approver || !!status.desktop_file;
  $('alerts-editor').hidden = approver;
  for (const a of alerts) {
    const li = document.createElement('li');
    li.className = 'alert-item ' + a.severity;
    const tag = document.createElement('span');
    tag.className = 'alert-tag';
    tag.textContent = (ALERT_LABELS[a.severity] || a.severity) + (a.exercise ? '·' + a.exercise : '');
    const title = document.createElement('strong');
    title.textContent = a.title;
    const until = document.createElement('span');
    until.className = 'muted';
    until.textContent = '至 ' + a.ends.replace('T', ' ').slice(0, 16) + (a.source ? ' · ' + a.source : '');
    li.append(tag, title, until);
    if (approver) {
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.textContent = '取消';
      cancel.addEventListener('click', () => cancelAlert(a.id, a.title));
      li.append(cancel);
    }
    list.append(li);
  }
}

async function sendAlert(ev) {
  ev.preventDefault();
  const msg = $('alert-message');
  const severity = $('alert-severity').value;
  const title = $('alert-title').value.trim();
  if (!title) { msg.textContent = '请填写标题'; return; }
  if (!confirm('现在把「' + title + '」作为' + ALERT_LABELS[severity] + '通知显示在屏幕上？')) return;
  msg.textContent = '发布中……';
  const r = await apiJson('POST', '/console/api/alerts/send', JSON.stringify({
    title, text: $('alert-text').value.trim(), severity, for: $('alert-for').value,
  }), { type: 'application/json' });
  if (r.ok) {
    msg.textContent = '已发布：屏幕会在一秒内显示。' + (r.warning ? '（注意：' + r.warning + '）' : '');
    $('alert-title').value = '';
    $('alert-text').value = '';
  } else {
    msg.textContent = '未发布：' + (r.error || r.httpStatus);
  }
  refreshStatus();
}

async function cancelAlert(id, title) {
  if (!confirm('取消紧急通知「' + title + '」？')) return;
  const r = await apiJson('POST', '/console/api/alerts/cancel', JSON.stringify({ id }), { type: 'application/json' });
  $('alert-message').textContent = r.ok ? '已取消「' + title + '」。' : '未取消：' + (r.error || r.httpStatus);
  refreshStatus();
}

$('alert-form').addEventListener('submit', sendAlert);
