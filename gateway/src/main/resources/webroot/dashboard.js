// Chamberlain's operator dashboard: a plain ES2020 module, no build step.
//
// On load it reads GET /api/cluster, /api/history?limit=100 and /api/lag, then opens the WebSocket
// /ws and subscribes to cluster, summary, lag, history and breaches. When the socket closes (or stays
// silent for SILENCE_MILLIS) it reconnects with jittered exponential back-off and reads the history
// again, so entries published while it was away are not missing (entries are kept by seq, once).
//
// Every server string reaches the page as a text node or an attribute value, never as markup.
// Stable hooks (tests, tools): #connection[data-state=connecting|live|closed], #leader-state,
// #defenders [data-defender][data-status][data-chambers], #history [data-kind] (assignments also
// carry data-from / data-to: the defenders their listed moves leave and reach; defender entries
// data-defender), #lag-verdict.
//
// A gateway with http.readToken wants that token on every read: open the page as /#token=<token>.
// The token moves from the URL fragment (never sent to the server, so never in its or a proxy's log)
// to this tab's sessionStorage, and the fragment is cleared; fetches send it as a bearer token, the
// WebSocket (which cannot send headers) as ?access_token=.

const TOPICS = ['cluster', 'summary', 'lag', 'history', 'breaches'];
const HISTORY_LIMIT = 100;
/** History entries kept on the page (newest). */
const HISTORY_KEPT = 200;
/** Moves listed per assignment entry; the rest is counted. */
const MOVES_SHOWN = 6;
const STATE_CHANGES_SHOWN = 8;
const LAG_CHAMBERS_SHOWN = 40;
const BREACHES_SHOWN = 12;
/** Width of the charts' time window. */
const WINDOW_SECONDS = 300;
const CHART_HEIGHT = 150;
/** The load bar spans 0 .. this many times the fair share; the fair-share line sits at 1 / this. */
const LOAD_SCALE = 2;
/** Load above this many times the fair share is coloured as a warning. */
const LOAD_WARN = 1.2;
const BACKOFF_FIRST_MILLIS = 500;
const BACKOFF_MAX_MILLIS = 15_000;
/** An open socket that brought nothing for this long is treated as dead (the server sends every second). */
const SILENCE_MILLIS = 10_000;
const VERDICT_RANK = { OK: 0, WARN: 1, STALL: 2, STOP: 3 };
const KNOWN_KINDS = new Set(['leader', 'state', 'assignment', 'defender']);

const $ = (id) => document.getElementById(id);

const TOKEN_KEY = 'chamberlain.readToken';

/** The read token: taken once from #token=…, then kept for this tab only. */
function readToken() {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    window.history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Request headers for a read: JSON, and the bearer token when there is one. */
function readHeaders(accept) {
  const token = readToken();
  return token ? { accept, authorization: `Bearer ${token}` } : { accept };
}

/** The problem's detail, with what to do when the gateway wants a token. */
function refusal(status, body, fallback) {
  const detail = body?.detail ?? body?.title ?? fallback;
  return status === 401 || status === 403
    ? `${detail} — open this page as /#token=<http.readToken>` : detail;
}

/** An element with properties and children; strings become text nodes. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'data') Object.entries(value).forEach(([k, v]) => { if (v != null) el.dataset[k] = String(v); });
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Sets an element's text (if it changed); null or '' shows {@code empty}. */
function setText(id, text, empty = '—') {
  const el = $(id);
  const value = text == null || text === '' ? empty : String(text);
  if (el.textContent !== value) el.textContent = value;
  return el;
}

// ---------------------------------------------------------------- formatting

function num(value, digits = 0) {
  if (value == null || Number.isNaN(Number(value))) return '—';
  return Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function millis(ms) {
  if (ms == null || Number.isNaN(Number(ms))) return '—';
  const value = Number(ms);
  if (value < 10) return `${value.toFixed(1)} ms`;
  if (value < 1000) return `${Math.round(value)} ms`;
  return duration(value);
}

/** A duration of at least a second: 4.2 s, 3m 05s, 2h 10m. */
function duration(ms) {
  if (ms == null || Number.isNaN(Number(ms))) return '—';
  const s = Math.max(0, Number(ms)) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.floor(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  if (whole < 86400) return `${Math.floor(whole / 3600)}h ${String(Math.floor(whole / 60) % 60).padStart(2, '0')}m`;
  return `${Math.floor(whole / 86400)}d ${Math.floor(whole / 3600) % 24}h`;
}

function seconds(s) {
  if (s == null || Number.isNaN(Number(s))) return '—';
  if (Number(s) === 0) return '0 s';
  return s < 1 ? millis(s * 1000) : duration(s * 1000);
}

function clock(epochMillis) {
  if (!epochMillis) return '—';
  return new Date(epochMillis).toLocaleTimeString('en-GB', { hour12: false });
}

function fullTime(epochMillis) {
  return epochMillis ? new Date(epochMillis).toISOString() : '';
}

function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text ?? '—');
}

function verdictBadge(verdict) {
  return badge(verdict ?? '—', `verdict-${verdict ?? 'none'}`);
}

function byId(a, b) {
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function rank(verdict) {
  return VERDICT_RANK[verdict] ?? -1;
}

// ---------------------------------------------------------------- page state

const view = {
  cluster: null,
  /** When the cluster view was current (server clock, epoch ms). */
  clusterAt: 0,
  lag: null,
  /** Server clock minus ours, from the messages' "at". */
  clockOffset: 0,
  /** seq → entry */
  history: new Map(),
  /** seq → rendered <li> */
  historyItems: new Map(),
  hiddenKinds: new Set(),
  summaries: [],
  breaches: [],
  defenderRows: new Map(),
  charts: [],
};

function serverNow() {
  return Date.now() + view.clockOffset;
}

function notice(text) {
  const el = $('notice');
  el.hidden = text == null;
  el.textContent = text ?? '';
}

/** Runs one renderer; a bug in one section must not stop the others or the socket. */
function safely(what, action) {
  try {
    action();
  } catch (e) {
    console.error(`dashboard: ${what} failed`, e);
    notice(`dashboard: could not show ${what}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- header and defenders

function renderCluster(cluster, at) {
  view.cluster = cluster;
  view.clusterAt = at ?? serverNow();
  setText('leader-node', cluster.leaderNode ?? 'none');
  setText('leader-term', cluster.term);
  setText('leader-state', cluster.state ?? 'unknown').dataset.state = cluster.state ?? '';
  setText('epoch', cluster.epoch);
  const counts = [`${num(cluster.chambers)}`];
  if (cluster.unownedChambers) counts.push(`${num(cluster.unownedChambers)} unowned`);
  if (cluster.leasedChambers) counts.push(`${num(cluster.leasedChambers)} leased`);
  setText('chamber-counts', counts.join(' · ')).classList.toggle('warn-text', cluster.unownedChambers > 0);
  setText('total-weight', num(cluster.totalWeight, 1));
  for (const li of $('state-machine').children) {
    const current = li.dataset.state === cluster.state;
    li.classList.toggle('current', current);
    if (current) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
  renderStateAge();
  renderDefenders();
}

function renderStateAge() {
  const since = view.cluster?.stateSinceMillis;
  setText('leader-state-age', since ? `for ${duration(serverNow() - since)}` : '', '');
}

function renderDefenders() {
  const defenders = [...(view.cluster?.defenders ?? [])].sort((a, b) => byId(a.id, b.id));
  const lagById = new Map((view.lag?.defenders ?? []).map((d) => [d.id, d]));
  const tbody = $('defenders');
  const seen = new Set();
  defenders.forEach((defender, index) => {
    seen.add(defender.id);
    let row = view.defenderRows.get(defender.id);
    if (!row) {
      row = defenderRow(defender.id);
      view.defenderRows.set(defender.id, row);
    }
    updateDefenderRow(row, defender, lagById.get(defender.id));
    if (tbody.children[index] !== row.tr) tbody.insertBefore(row.tr, tbody.children[index] ?? null);
  });
  for (const [id, row] of view.defenderRows) {
    if (!seen.has(id)) {
      row.tr.remove();
      view.defenderRows.delete(id);
    }
  }
  const live = defenders.filter((d) => d.status === 'LIVE').length;
  setText('defender-count', defenders.length ? `${live} live of ${defenders.length}` : '', '');
  $('defenders-empty').hidden = defenders.length > 0;
}

function defenderRow(id) {
  const cells = {
    id: h('td', { class: 'id' }),
    status: h('td'),
    version: h('td', { class: 'muted' }),
    chambers: h('td', { class: 'num' }),
    weight: h('td', { class: 'num' }),
    load: h('td', { class: 'load-col' }),
    leased: h('td', { class: 'num' }),
    heartbeat: h('td', { class: 'num' }),
    lag: h('td'),
  };
  const fill = h('div', { class: 'load-fill' });
  const fair = h('div', { class: 'load-fair', title: 'fair share' });
  const ratio = h('span', { class: 'load-ratio' });
  const bar = h('div', { class: 'load' }, fill, fair);
  fair.style.left = `${100 / LOAD_SCALE}%`;
  append(cells.load, [h('div', { class: 'load-cell' }, bar, ratio)]);
  const tr = h('tr', { data: { defender: id } }, Object.values(cells));
  return { tr, cells, fill, bar, ratio };
}

function updateDefenderRow(row, d, lag) {
  const { tr, cells } = row;
  tr.dataset.status = d.status ?? 'UNKNOWN';
  tr.dataset.chambers = String(d.chambers ?? 0);
  tr.classList.toggle('down', d.status !== 'LIVE' && d.status !== 'RESTARTING' && d.status !== 'DRAINED');
  cells.id.replaceChildren(...[d.id, d.node ? h('div', { class: 'sub' }, d.node) : null].filter((c) => c != null));
  cells.id.title = d.node ? `node ${d.node}` : '';
  cells.status.replaceChildren(badge(d.status ?? '—', `status-${d.status ?? 'UNKNOWN'}`));
  cells.version.textContent = d.version ?? '—';
  cells.chambers.textContent = num(d.chambers);
  cells.weight.textContent = num(d.weight, 1);
  const ratio = Number(d.loadRatio ?? 0);
  row.fill.style.width = `${Math.min(100, (ratio / LOAD_SCALE) * 100)}%`;
  row.bar.classList.toggle('warn', ratio > LOAD_WARN);
  row.bar.classList.toggle('over', ratio > LOAD_SCALE);
  row.bar.title = `${ratio.toFixed(2)} × fair share (weight ${num(d.weight, 2)}, capacity ${num(d.capacity, 1)})`;
  row.ratio.textContent = `${ratio.toFixed(2)}×`;
  cells.leased.textContent = `${num(d.leasedIn)} / ${num(d.leasedOut)}`;
  const age = d.heartbeatAgeMillis;
  cells.heartbeat.textContent = age == null ? '—' : millis(age);
  cells.heartbeat.classList.toggle('warn-text', age != null && age > 2_000);
  cells.heartbeat.title = d.heldEpoch == null ? '' : `holds epoch ${d.heldEpoch}`;
  cells.lag.replaceChildren(lag ? verdictBadge(lag.verdict) : h('span', { class: 'muted' }, '—'));
  cells.lag.title = lag ? `${num(lag.pending)} pending, oldest ${millis(lag.oldestPendingAgeMillis ?? 0)}` : '';
}

// ---------------------------------------------------------------- lag

function renderLag(lag) {
  view.lag = lag;
  const verdict = setText('lag-verdict', lag.verdict ?? '—');
  verdict.className = `verdict badge verdict-${lag.verdict ?? 'none'}`;
  setText('lag-reason', lag.reason, '');
  const lanes = [...(lag.lanes ?? [])].sort((a, b) => a.lane - b.lane).map((lane) =>
    h('tr', { data: { lane: lane.lane, verdict: lane.verdict } },
      h('td', {}, `lane ${lane.lane}`), h('td', { class: 'num' }, num(lane.pending)),
      h('td', { class: 'num' }, millis(lane.oldestPendingAgeMillis ?? 0)), h('td', {}, verdictBadge(lane.verdict)),
      h('td', { class: 'muted reason', title: lane.reason ?? '' }, lane.reason ?? '')));
  $('lag-lanes').replaceChildren(...(lanes.length ? lanes : [emptyRow(5, 'no lane read yet')]));
  const defenders = [...(lag.defenders ?? [])].sort((a, b) => rank(b.verdict) - rank(a.verdict) || byId(a.id, b.id));
  $('lag-defenders').replaceChildren(...(defenders.length ? defenders.map((d) =>
    h('tr', { data: { defender: d.id, verdict: d.verdict } },
      h('td', {}, d.id), h('td', { class: 'num' }, num(d.pending)),
      h('td', { class: 'num' }, millis(d.oldestPendingAgeMillis ?? 0)), h('td', {}, verdictBadge(d.verdict))))
    : [emptyRow(4, 'no backlog by defender')]));
  const chambers = [...(lag.chambers ?? [])].sort((a, b) => rank(b.verdict) - rank(a.verdict)
    || (b.oldestPendingAgeMillis ?? 0) - (a.oldestPendingAgeMillis ?? 0) || byId(a.chamber, b.chamber));
  const shown = chambers.slice(0, LAG_CHAMBERS_SHOWN).map((c) =>
    h('tr', { data: { chamber: c.chamber, verdict: c.verdict } },
      h('td', { class: 'id' }, c.chamber), h('td', {}, c.servedBy ?? '—'), h('td', { class: 'num' }, num(c.pending)),
      h('td', { class: 'num' }, millis(c.oldestPendingAgeMillis ?? 0)), h('td', {}, verdictBadge(c.verdict))));
  if (chambers.length > LAG_CHAMBERS_SHOWN) shown.push(emptyRow(5, `… and ${chambers.length - LAG_CHAMBERS_SHOWN} more`));
  $('lag-chambers').replaceChildren(...(shown.length ? shown : [emptyRow(5, 'no chamber behind')]));
  setText('lag-chambers-count', chambers.length ? `(${chambers.length})` : '', '');
  renderDefenders();
}

function emptyRow(columns, text) {
  return h('tr', { class: 'empty-row' }, h('td', { colspan: columns }, text));
}

// ---------------------------------------------------------------- history

function entryKey(entry) {
  return typeof entry.seq === 'number' && entry.seq > 0 ? entry.seq : `${entry.at}|${entry.kind}|${entry.summary}`;
}

function addHistory(entries) {
  let added = false;
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const key = entryKey(entry);
    if (view.history.has(key)) continue;
    view.history.set(key, entry);
    added = true;
  }
  if (added) renderHistory();
}

function newestFirst(a, b) {
  return (b.seq ?? 0) - (a.seq ?? 0) || (b.at ?? 0) - (a.at ?? 0);
}

function renderHistory() {
  const entries = [...view.history.entries()].sort(([, a], [, b]) => newestFirst(a, b));
  for (const [key] of entries.slice(HISTORY_KEPT)) {
    view.history.delete(key);
    view.historyItems.get(key)?.remove();
    view.historyItems.delete(key);
  }
  const list = $('history');
  const kept = entries.slice(0, HISTORY_KEPT);
  kept.forEach(([key, entry], index) => {
    let li = view.historyItems.get(key);
    if (!li) {
      li = historyItem(entry);
      view.historyItems.set(key, li);
    }
    li.hidden = view.hiddenKinds.has(kindGroup(entry.kind));
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
  });
  $('history-empty').hidden = kept.length > 0;
  renderStateHistory(kept.map(([, entry]) => entry).filter((e) => e.kind === 'state'));
}

function kindGroup(kind) {
  return KNOWN_KINDS.has(kind) ? kind : 'other';
}

function historyItem(entry) {
  const kind = entry.kind ?? 'other';
  const moves = Array.isArray(entry.moves) ? entry.moves : [];
  const data = { kind, seq: entry.seq, epoch: entry.epoch };
  if (entry.defenderId) data.defender = entry.defenderId;
  if (kind === 'assignment') {
    data.from = [...new Set(moves.map((m) => m.from).filter(Boolean))].sort(byId).join(' ');
    data.to = [...new Set(moves.map((m) => m.to).filter(Boolean))].sort(byId).join(' ');
  }
  const li = h('li', { class: `entry kind-${kindGroup(kind)}`, data },
    h('time', { datetime: fullTime(entry.at), title: `${fullTime(entry.at)} · term ${entry.term ?? '—'} · epoch ${entry.epoch ?? '—'}` },
      clock(entry.at)),
    badge(kind, `kind kind-${kindGroup(kind)}`),
    h('span', { class: 'summary' }, entry.summary ?? ''));
  if (kind === 'assignment') {
    const facts = [`${num(entry.movedChambers ?? moves.length)} moved (weight ${num(entry.movedWeight, 1)})`];
    if (entry.leasesLent) facts.push(`${num(entry.leasesLent)} lent`);
    if (entry.leasesReturned) facts.push(`${num(entry.leasesReturned)} returned`);
    li.append(h('div', { class: 'facts-line muted' }, facts.join(' · ')));
    if (moves.length) {
      const list = h('ul', { class: 'moves' }, moves.slice(0, MOVES_SHOWN).map((m) => h('li', {},
        h('span', { class: 'id' }, m.chamber ?? '?'), ' ',
        h('span', { class: m.from ? '' : 'muted' }, m.from ?? 'new'), ' → ',
        h('span', { class: m.to ? '' : 'warn-text' }, m.to ?? 'unowned'),
        h('span', { class: 'muted' }, ` w ${num(m.weight, 2)}`))));
      const more = Math.max(entry.movedChambers ?? 0, moves.length) - Math.min(moves.length, MOVES_SHOWN);
      if (more > 0) list.append(h('li', { class: 'muted' }, `… ${num(more)} more`));
      li.append(list);
    }
    const leases = Array.isArray(entry.leases) ? entry.leases : [];
    if (leases.length) {
      const list = h('ul', { class: 'moves leases' }, leases.slice(0, MOVES_SHOWN).map((l) => h('li', {},
        h('span', { class: 'id' }, l.chamber ?? '?'), ' ',
        h('span', { class: 'muted' }, `of ${l.home ?? '?'}: `),
        l.from == null ? 'lent to ' : l.to == null ? 'handed back by ' : `re-lent from ${l.from} to `,
        h('span', {}, l.to ?? l.from ?? '?'))));
      if (leases.length > MOVES_SHOWN) list.append(h('li', { class: 'muted' }, `… ${num(leases.length - MOVES_SHOWN)} more leases`));
      li.append(list);
    }
  }
  return li;
}

function renderStateHistory(changes) {
  $('state-history').replaceChildren(...changes.slice(0, STATE_CHANGES_SHOWN).map((e) =>
    h('li', { data: { kind: 'state-change' } },
      h('time', { datetime: fullTime(e.at), title: fullTime(e.at) }, clock(e.at)),
      e.fromState && e.toState
        ? h('span', {}, h('span', { class: 'muted' }, e.fromState), ' → ', h('strong', {}, e.toState))
        : h('span', {}, e.summary ?? ''),
      e.fromState && e.toState && e.summary ? h('span', { class: 'muted reason', title: e.summary }, reasonOf(e)) : null)));
  $('state-history-empty').hidden = changes.length > 0;
}

/** The reason of a state entry: its own field, else what the summary says in parentheses. */
function reasonOf(entry) {
  if (entry.reason) return entry.reason;
  const match = /\(([^)]*)\)\s*$/.exec(entry.summary ?? '');
  return match ? match[1] : '';
}

function onFilterChange(event) {
  const box = event.target;
  if (box.checked) view.hiddenKinds.delete(box.value);
  else view.hiddenKinds.add(box.value);
  renderHistory();
}

// ---------------------------------------------------------------- summary and charts

function addSummary(summary, at) {
  const t = (at ?? serverNow()) / 1000;
  view.summaries.push({
    t,
    eps: summary.eventsPerSecond ?? null,
    p50: summary.p50Millis ?? null,
    p99: summary.p99Millis ?? null,
    sla: summary.slaMillis ?? null,
    bps: summary.breachesPerSecond ?? null,
  });
  while (view.summaries.length && view.summaries[0].t < t - WINDOW_SECONDS) view.summaries.shift();
  setText('stat-eps', num(summary.eventsPerSecond, 1));
  setText('stat-p50', millis(summary.p50Millis));
  setText('stat-p99', millis(summary.p99Millis)).classList.toggle('warn-text',
    summary.slaMillis != null && summary.p99Millis > summary.slaMillis);
  setText('stat-sla', millis(summary.slaMillis));
  setText('stat-breaches', num(summary.slaBreaches)).classList.toggle('warn-text', summary.breachesPerSecond > 0);
  setText('stat-pending', num(summary.pending));
  setText('stat-oldest', seconds(summary.oldestPendingSeconds));
  updateCharts();
}

function chartData(...fields) {
  return [view.summaries.map((s) => s.t), ...fields.map((f) => view.summaries.map((s) => s[f]))];
}

const CHARTS = [
  {
    id: 'chart-events',
    series: [{ label: 'events/s', stroke: '#5794f2', fill: 'rgba(87,148,242,0.15)', value: (u, v) => num(v, 1) }],
    data: () => chartData('eps'),
  },
  {
    id: 'chart-latency',
    series: [
      { label: 'p50', stroke: '#73bf69', value: (u, v) => millis(v) },
      { label: 'p99', stroke: '#ff9830', value: (u, v) => millis(v) },
      { label: 'SLA', stroke: '#f2495c', dash: [6, 4], width: 1, points: { show: false }, value: (u, v) => millis(v) },
    ],
    data: () => chartData('p50', 'p99', 'sla'),
  },
  {
    id: 'chart-breaches',
    series: [{ label: 'breaches/s', stroke: '#f2495c', fill: 'rgba(242,73,92,0.15)', value: (u, v) => num(v, 2) }],
    data: () => chartData('bps'),
  },
];

function axis() {
  return {
    stroke: '#8e99ab',
    grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
    ticks: { stroke: 'rgba(255,255,255,0.12)', width: 1 },
    font: '11px system-ui, sans-serif',
  };
}

/** An axis label: hh:mm on whole minutes, hh:mm:ss between. */
function hourMinute(epochSeconds) {
  const format = epochSeconds % 60 === 0 ? { hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return new Date(epochSeconds * 1000).toLocaleTimeString('en-GB', format);
}

function createCharts() {
  if (typeof window.uPlot !== 'function') {
    for (const chart of CHARTS) $(chart.id).replaceChildren(h('p', { class: 'empty' }, 'charts unavailable: uPlot did not load'));
    return;
  }
  for (const chart of CHARTS) {
    const el = $(chart.id);
    const options = {
      width: Math.max(200, el.clientWidth),
      height: CHART_HEIGHT,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: { time: true, range: (u, min, max) => [max - WINDOW_SECONDS, max] },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      axes: [{ ...axis(), space: 36, values: (u, splits) => splits.map(hourMinute) }, { ...axis(), size: 56 }],
      series: [{}, ...chart.series.map((s) => ({ width: 1.5, points: { show: false }, spanGaps: false, ...s }))],
    };
    const plot = new window.uPlot(options, chart.data(), el);
    view.charts.push({ plot, chart, el });
    new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: CHART_HEIGHT });
    }).observe(el);
  }
}

function updateCharts() {
  for (const { plot, chart } of view.charts) plot.setData(chart.data());
}

function addBreach(breach, at) {
  view.breaches.unshift({ ...breach, at: at ?? serverNow() });
  view.breaches.length = Math.min(view.breaches.length, BREACHES_SHOWN);
  $('breaches').replaceChildren(...view.breaches.map((b) => h('li', { data: { chamber: b.chamber } },
    h('time', { datetime: fullTime(b.at), title: fullTime(b.at) }, clock(b.at)),
    h('span', { class: 'id' }, b.chamber ?? '?'),
    h('span', { class: 'warn-text' }, millis(b.latencyMillis)),
    h('span', { class: 'muted' }, `by ${b.servedBy ?? '—'}`),
    h('span', { class: 'muted reason', title: b.contextId ?? '' }, b.contextId ?? ''))));
  $('breaches-empty').hidden = view.breaches.length > 0;
}

// ---------------------------------------------------------------- chamber search

async function onChamberSearch(event) {
  event.preventDefault();
  const out = $('chamber-result');
  const query = $('chamber-query').value.trim();
  const colon = query.indexOf(':');
  if (colon <= 0 || colon === query.length - 1) {
    out.replaceChildren(h('p', { class: 'error' }, 'Enter a chamber as tool:chamber, for example tool001:3.'));
    return;
  }
  const tool = query.slice(0, colon);
  const chamber = query.slice(colon + 1);
  out.replaceChildren(h('p', { class: 'muted' }, `Looking up ${query}…`));
  try {
    const response = await fetch(`/api/chambers/${encodeURIComponent(tool)}/${encodeURIComponent(chamber)}`,
      { headers: readHeaders('application/json, application/problem+json') });
    const body = await response.json().catch(() => null);
    if ($('chamber-query').value.trim() !== query) return; // a newer search is under way
    if (!response.ok) {
      const detail = refusal(response.status, body, response.statusText);
      out.replaceChildren(h('p', { class: 'error', data: { status: response.status } }, `${response.status}: ${detail}`));
      return;
    }
    out.replaceChildren(chamberDetails(body));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error' }, `Could not ask the gateway: ${e.message}`));
  }
}

function chamberDetails(c) {
  const row = (label, field, ...value) => h('div', {}, h('dt', {}, label), h('dd', { data: { field } }, ...value));
  const v = c.lastVerdict;
  const verdict = v == null
    ? h('span', { class: 'muted' }, c.lastVerdictUnavailable ? `unavailable: ${c.lastVerdictUnavailable}` : 'none yet')
    : h('span', {}, badge(v.status ?? '—', `verdict-status-${v.status ?? 'none'}`), ' ',
      v.contextId ?? '', h('span', { class: 'muted' },
        ` by ${v.defender ?? '—'} at ${clock(v.completedAt)}`,
        v.publishedAt && v.completedAt ? ` (+${millis(v.publishedAt - v.completedAt)})` : ''));
  return h('dl', { class: 'details', data: { chamber: c.chamber } },
    row('Chamber', 'chamber', c.chamber ?? '—'),
    row('Owner', 'owner', c.owner ?? h('span', { class: 'warn-text' }, 'unowned')),
    row('Leased to', 'leasedTo', c.leasedTo ?? '—'),
    row('Served by', 'servedBy', c.servedBy ?? '—'),
    row('Weight', 'weight', num(c.weight, 2), c.weightSource ? h('span', { class: 'muted' }, ` (${c.weightSource})`) : null),
    row('Epoch', 'epoch', c.epoch ?? '—'),
    row('Last verdict', 'lastVerdict', verdict),
    // Shown when the gateway reports them (beyond the chamber's placement and verdict).
    c.latency?.samples ? row('Latency', 'latency',
      `p50 ${millis(c.latency.p50Millis)} · p99 ${millis(c.latency.p99Millis)} (${num(c.latency.samples)} samples)`) : null,
    c.pending != null ? row('Pending', 'pending', num(c.pending),
      c.pending > 0 ? h('span', { class: 'muted' }, ` oldest ${millis(c.oldestPendingAgeMillis)}`) : null) : null,
    typeof c.moves === 'number' ? row('Moves', 'moves', `${num(c.moves)} in the recent history`) : null);
}

// ---------------------------------------------------------------- loading and the socket

async function getJson(path) {
  const response = await fetch(path, { headers: readHeaders('application/json') });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${refusal(response.status, body, response.statusText)}`);
  return body;
}

/** Reads the cluster, the history and the lag over HTTP; each that fails is reported, the others shown. */
async function loadSnapshot() {
  const [cluster, history, lag] = await Promise.allSettled([
    getJson('/api/cluster'), getJson(`/api/history?limit=${HISTORY_LIMIT}`), getJson('/api/lag')]);
  const failures = [cluster, history, lag].filter((r) => r.status === 'rejected').map((r) => r.reason.message);
  if (cluster.status === 'fulfilled') safely('the cluster', () => renderCluster(cluster.value));
  if (history.status === 'fulfilled') safely('the history', () => addHistory(history.value?.entries ?? []));
  if (lag.status === 'fulfilled') safely('the lag', () => renderLag(lag.value));
  notice(failures.length ? `Could not read ${failures.join('; ')}` : null);
}

async function reloadHistory() {
  try {
    const history = await getJson(`/api/history?limit=${HISTORY_LIMIT}`);
    safely('the history', () => addHistory(history?.entries ?? []));
  } catch (e) {
    notice(`Could not read ${e.message}`);
  }
}

const socket = {
  ws: null,
  attempt: 0,
  retryAt: 0,
  lastMessageAt: 0,
  everLive: false,
};

function setConnection(state, text) {
  const el = $('connection');
  if (el.dataset.state !== state) el.dataset.state = state;
  setText('connection-text', text);
}

function connect() {
  setConnection('connecting', socket.attempt ? `reconnecting (attempt ${socket.attempt + 1})…` : 'connecting…');
  let ws;
  try {
    const token = readToken();
    const query = token ? `?access_token=${encodeURIComponent(token)}` : '';
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${query}`);
  } catch (e) {
    scheduleReconnect(e.message);
    return;
  }
  socket.ws = ws;
  socket.lastMessageAt = Date.now();
  ws.onopen = () => ws.send(JSON.stringify({ subscribe: TOPICS }));
  ws.onmessage = (event) => {
    if (socket.ws !== ws) return;
    socket.lastMessageAt = Date.now();
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      console.warn('dashboard: unreadable message from /ws', event.data);
      return;
    }
    onMessage(message);
  };
  ws.onclose = (event) => {
    if (socket.ws !== ws) return; // abandoned already
    socket.ws = null;
    scheduleReconnect(event.reason || `closed (code ${event.code})`);
  };
}

function scheduleReconnect(why) {
  const base = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_FIRST_MILLIS * 2 ** Math.min(socket.attempt, 10));
  const delay = Math.round(base * (0.75 + Math.random() * 0.5));
  socket.attempt += 1;
  socket.retryAt = Date.now() + delay;
  socket.why = why;
  renderClosed();
  setTimeout(connect, delay);
}

function renderClosed() {
  const left = Math.max(0, Math.ceil((socket.retryAt - Date.now()) / 1000));
  setConnection('closed', `disconnected: ${socket.why} · retry in ${left} s`);
}

function onMessage(message) {
  if (typeof message.at === 'number') view.clockOffset = message.at - Date.now();
  const data = message.data ?? {};
  switch (message.topic) {
    case 'subscribed':
      goLive();
      break;
    case 'cluster':
      goLive();
      safely('the cluster', () => renderCluster(data, message.at));
      break;
    case 'summary':
      goLive();
      safely('the summary', () => addSummary(data, message.at));
      break;
    case 'lag':
      goLive();
      safely('the lag', () => renderLag(data));
      break;
    case 'history':
      goLive();
      safely('the history', () => addHistory([data]));
      break;
    case 'breaches':
      goLive();
      safely('a breach', () => addBreach(data, message.at));
      break;
    case 'gap':
      // The server dropped history entries while this page read too slowly: read them over HTTP.
      reloadHistory();
      break;
    case 'error':
      notice(`Server: ${data.detail ?? 'error'}`);
      break;
    default:
      break;
  }
}

function goLive() {
  if ($('connection').dataset.state === 'live') return;
  setConnection('live', 'live');
  const reconnected = socket.everLive;
  socket.attempt = 0;
  socket.everLive = true;
  // What happened while the socket was down reaches us only through the HTTP reads.
  if (reconnected) loadSnapshot();
}

/** Once a second: ages that grow between messages, the retry countdown, and the silence watchdog. */
function tick() {
  const state = $('connection').dataset.state;
  if (state === 'closed') renderClosed();
  if (state === 'live' && socket.ws && Date.now() - socket.lastMessageAt > SILENCE_MILLIS) {
    const silent = socket.ws;
    socket.ws = null;
    silent.close();
    scheduleReconnect(`no message for ${SILENCE_MILLIS / 1000} s`);
  }
  if (view.cluster) renderStateAge();
}

async function start() {
  $('history-filter').addEventListener('change', onFilterChange);
  $('chamber-search').addEventListener('submit', onChamberSearch);
  createCharts();
  setInterval(tick, 1000);
  await loadSnapshot();
  connect();
}

start();
