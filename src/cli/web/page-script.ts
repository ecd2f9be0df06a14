/**
 * The browser stepper's script, inline in the page (page.ts). It renders the JSON view (state.ts) with DOM calls
 * only (names from the ELF are text, never markup), and marks what changed since the previous view.
 * Plain ES2020 in a string: no template literals inside, so that this file can hold it as one.
 */
export const PAGE_SCRIPT = String.raw`
'use strict';
const $ = (id) => document.getElementById(id);
const hex = (v) => (v >>> 0).toString(16).padStart(8, '0');
let prev = null;
let busy = false;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function replicaColumn(r, i, view) {
  const before = prev ? prev.replicas[i] : null;
  // Differences are against the serving primary (the primary's own, against the first backup).
  const other = view.replicas[i === 0 ? 1 : 0] || r;
  const col = el('section', { class: 'replica ' + r.status.split(' ')[0], 'data-name': r.name });
  col.append(
    el('h2', {}, r.name.toUpperCase() + ' ', el('span', { class: 'role' }, r.role), ' ', el('span', { class: 'status' }, r.status)),
    el('div', { class: 'where' }, 'pc ', el('b', { class: before && before.pc !== r.pc ? 'changed' : '' }, hex(r.pc)), r.where ? ' <' + r.where + '>' : ''),
  );
  const facts = [['epoch', r.epoch], ['rr', r.rr], ['instret', r.instret]];
  col.append(el('div', { class: 'facts' }, ...facts.map(([k, v]) => el('span', { class: before && before[k] !== v ? 'changed' : '' }, k + ' ' + v))));
  const dis = el('ol', { class: 'disasm' });
  for (const d of r.disasm) dis.append(el('li', { class: d.current ? 'current' : '' }, hex(d.addr) + '  ' + d.text));
  col.append(dis);
  const regs = el('div', { class: 'regs' });
  r.regs.forEach((reg, k) => {
    const changed = before && before.regs[k].value !== reg.value;
    const differs = other.regs[k].value !== reg.value;
    regs.append(el('span', { class: 'reg' + (changed ? ' changed' : '') + (differs ? ' differs' : ''), title: differs ? 'differs from the other replica' : undefined }, el('i', {}, reg.name), hex(reg.value)));
  });
  col.append(regs);
  const csrs = el('div', { class: 'regs csrs' });
  for (const [k, v] of Object.entries(r.csrs)) csrs.append(el('span', { class: 'reg' + (before && before.csrs[k] !== v ? ' changed' : '') }, el('i', {}, k), hex(v)));
  col.append(csrs);
  const b = r.buffered;
  const traps = el('div', { class: 'traps' });
  traps.append(
    el('div', { class: before && (before.buffered.v1 !== b.v1 || before.buffered.v2 !== b.v2) ? 'changed' : '' }, 'monitor buffers traps: V1 ' + hex(b.v1) + ' V2 ' + hex(b.v2)),
    el('div', { class: before && (before.pending.v1 !== r.pending.v1 || before.pending.v2 !== r.pending.v2) ? 'changed' : '' }, 'trap unit pending: V1 ' + hex(r.pending.v1) + ' V2 ' + hex(r.pending.v2)),
    el('div', { class: before && before.buffered.interrupts.join() !== b.interrupts.join() ? 'changed' : '' }, 'buffered interrupts: ' + (b.interrupts.length ? b.interrupts.join('; ') : 'none')),
  );
  col.append(traps);
  return col;
}

function timeline(view) {
  const W = 1000;
  const rows = view.replicas.length;
  const max = Math.max(1, ...view.replicas.map((r) => Math.max(r.instret, r.epochs.length ? r.epochs[r.epochs.length - 1].end : 0)));
  const min = Math.min(...view.replicas.map((r) => (r.epochs.length ? r.epochs[0].start : r.instret)));
  const span = Math.max(1, max - min);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + (W + 80) + ' ' + rows * 26);
  svg.setAttribute('id', 'timeline-svg');
  view.replicas.forEach((r, row) => {
    const y = row * 26 + 3;
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', '0');
    label.setAttribute('y', String(y + 14));
    label.textContent = r.name;
    svg.append(label);
    for (const e of r.epochs) {
      const rect = document.createElementNS(ns, 'rect');
      const x = 80 + ((e.start - min) / span) * W;
      rect.setAttribute('x', String(x));
      rect.setAttribute('y', String(y));
      rect.setAttribute('width', String(Math.max(1, ((e.end - e.start) / span) * W - 1)));
      rect.setAttribute('height', '20');
      rect.setAttribute('class', 'epoch ' + e.reason);
      const t = document.createElementNS(ns, 'title');
      t.textContent = 'epoch ' + e.epoch + ': instret ' + e.start + '-' + e.end + ' (' + e.reason + ')';
      rect.append(t);
      svg.append(rect);
    }
    const now = document.createElementNS(ns, 'rect');
    now.setAttribute('x', String(80 + ((r.instret - min) / span) * W - 1));
    now.setAttribute('y', String(y - 2));
    now.setAttribute('width', '2');
    now.setAttribute('height', '24');
    now.setAttribute('class', 'now ' + r.status.split(' ')[0]);
    svg.append(now);
  });
  return svg;
}

function render(view, output) {
  const cols = $('replicas');
  cols.replaceChildren(...view.replicas.map((r, i) => replicaColumn(r, i, view)));
  const chan = $('channel');
  chan.replaceChildren(el('h3', {}, 'channel: ' + view.channel.length + ' message(s)'));
  const list = el('ol', {});
  for (const m of view.channel.slice(0, 40)) list.append(el('li', {}, m));
  if (view.channel.length > 40) list.append(el('li', {}, '... ' + (view.channel.length - 40) + ' more'));
  chan.append(list);
  $('timeline').replaceChildren(el('h3', {}, 'epochs (by instructions retired)'), timeline(view));
  const banner = [view.failover, ...view.notes].filter(Boolean).join(' | ');
  $('failover').textContent = banner;
  $('failover').hidden = !banner;
  if (output) {
    const log = $('log');
    log.textContent += output;
    log.scrollTop = log.scrollHeight;
  }
  for (const b of document.querySelectorAll('button.run')) b.disabled = view.done;
  // A pair fails once; a group's primary fails as long as a replica is left.
  $('fail').disabled = view.done || (view.notes.length === 0 && !!view.failover) || view.replicas.every((r) => r.status === 'failed');
  prev = view;
  document.body.dataset.ready = 'true';
}

async function command(cmd) {
  if (busy) return;
  busy = true;
  document.body.dataset.ready = 'false';
  try {
    $('log').textContent += '> ' + cmd + '\n';
    const r = await api('/api/command', { command: cmd });
    render(r.view, r.output);
  } catch (err) {
    $('log').textContent += 'error: ' + err.message + '\n';
    document.body.dataset.ready = 'true';
  } finally {
    busy = false;
  }
}

$('step').onclick = () => command('s ' + Math.max(1, Number($('count').value) || 1));
$('epoch').onclick = () => command('e');
$('goto').onclick = () => { const t = $('target').value.trim(); if (t) command('g ' + t); };
$('target').onkeydown = (e) => { if (e.key === 'Enter') $('goto').click(); };
$('fail').onclick = () => command('f');
$('cont').onclick = () => command('c');
document.onkeydown = (e) => {
  if (e.target instanceof HTMLInputElement) return;
  if (e.key === 's') $('step').click();
  if (e.key === 'e') $('epoch').click();
};
api('/api/state').then((v) => render(v, ''), (err) => { $('log').textContent = 'error: ' + err.message; });
`;
