// Noticeboard console: the preview (console.js has the shared parts). Slides
// of the draft drawn by the screen's own engine, played in order with their
// durations and the crossfade.
'use strict';

// ---- preview ----
const player = { slides: [], index: 0, timer: 0, front: 'a', transition: { kind: 'crossfade', ms: 600 } };
function previewSize() {
  const portrait = $('orient-portrait').checked;
  const sc = state.screen;
  const long = sc && sc.width ? Math.max(sc.width, sc.height) : 1920;
  const short = sc && sc.width ? Math.min(sc.width, sc.height) : 1080;
  return portrait ? [short, long] : [long, short];
}
async function renderPng(item) {
  const [w, h] = previewSize();
  for (let attempt = 0; attempt < 30; ++attempt) {
    const res = await api('POST', '/console/api/preview?item=' + item + '&w=' + w + '&h=' + h, draftBody(), { type: 'application/json' });
    if (res.status === 503) {
      const wait = Number(res.headers.get('Retry-After') || '1');
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (!res.ok) {
      const data = await res.json();
      state.errors = data.errors || [];
      throw new Error((data.error || '预览失败') + (state.errors.length ? '：' + state.errors.map((e) => e.where + ' ' + e.message).join('；') : ''));
    }
    return URL.createObjectURL(await res.blob());
  }
  throw new Error('预览一直忙，请稍后再试');
}
function stageShow(url, caption, fadeMs) {
  const next = player.front === 'a' ? 'b' : 'a';
  const a = $('stage-' + player.front), b = $('stage-' + next);
  b.style.transitionDuration = fadeMs + 'ms';
  a.style.transitionDuration = fadeMs + 'ms';
  b.src = url;
  b.alt = caption;
  b.classList.add('shown');
  a.classList.remove('shown');
  player.front = next;
  $('stage-caption').textContent = caption;
}
function setStageShape(kind) {
  const stage = $('stage');
  stage.className = 'stage ' + kind;
}
async function previewItem(i) {
  stopPlay();
  setStageShape($('orient-portrait').checked ? 'portrait' : 'landscape');
  $('preview-message').textContent = '正在生成第 ' + (i + 1) + ' 条的预览……';
  try {
    const url = await renderPng(i);
    stageShow(url, (i + 1) + '. ' + state.draft.items[i].title, 0);
    $('preview-message').textContent = '';
  } catch (e) { $('preview-message').textContent = e.message; }
}
function stopPlay() { clearTimeout(player.timer); player.timer = 0; }
async function playDraft() {
  stopPlay();
  setStageShape($('orient-portrait').checked ? 'portrait' : 'landscape');
  const plan = await apiJson('POST', '/console/api/plan', draftBody(), { type: 'application/json' });
  if (!plan.ok) { state.errors = plan.errors || []; $('preview-message').textContent = plan.error + '（见“播放列表”页）'; return; }
  if (!plan.items.length) { $('preview-message').textContent = '现在没有要播放的条目（都已停用或不在播放时间内）'; return; }
  player.transition = plan.transition;
  player.slides = plan.items.map((it) => ({ ...it, url: null }));
  player.index = 0;
  // Render in order, one at a time (the screen renders previews one by one).
  for (let k = 0; k < player.slides.length; ++k) {
    $('preview-message').textContent = '正在生成预览 ' + (k + 1) + ' / ' + player.slides.length + '……';
    try { player.slides[k].url = await renderPng(player.slides[k].index); } catch (e) { $('preview-message').textContent = e.message; return; }
    if (k === 0) showSlide(0, 0);
  }
  $('preview-message').textContent = '按屏幕上的顺序和时长播放，共 ' + player.slides.length + ' 条';
}
function showSlide(k, fadeMs) {
  stopPlay();
  const n = player.slides.length;
  if (!n) return;
  player.index = ((k % n) + n) % n;
  const s = player.slides[player.index];
  if (!s.url) return;
  stageShow(s.url, (player.index + 1) + ' / ' + n + '  ' + s.title + '（' + s.duration_s + ' 秒）', fadeMs);
  player.timer = setTimeout(() => showSlide(player.index + 1, player.transition.kind === 'cut' ? 0 : player.transition.ms), s.duration_s * 1000);
}
$('play-draft').addEventListener('click', playDraft);
$('play-next').addEventListener('click', () => showSlide(player.index + 1, 0));
$('play-prev').addEventListener('click', () => showSlide(player.index - 1, 0));
$('show-sheet').addEventListener('click', async () => {
  stopPlay();
  setStageShape('sheet');
  $('preview-message').textContent = '正在生成全部缩略图……';
  try { stageShow(await renderPng(-1), '全部条目', 0); $('preview-message').textContent = ''; } catch (e) { $('preview-message').textContent = e.message; }
});

