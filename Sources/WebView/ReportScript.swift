/// The report page's script: renders a `ReportDocument` (embedded, or fetched and refreshed
/// from the live event stream). Plain ES2017, no console output, no external resources.
enum ReportScript {
    static let source = prelude + ReportViews.source + ReportHighlighter.source + main

    /// Helpers shared by every view.
    static let prelude = #"""
        (function () {
        'use strict';
        var root = document.getElementById('mg-root');
        function el(tag, cls, text) {
          var e = document.createElement(tag);
          if (cls) e.className = cls;
          if (text !== undefined && text !== null) e.textContent = String(text);
          return e;
        }
        function add(parent, child) { parent.appendChild(child); return child; }
        function svgEl(tag, attrs) {
          var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
          for (var k in attrs) e.setAttribute(k, attrs[k]);
          return e;
        }
        function secs(s) { s = s || 0; return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s'; }
        function usd(v) { return '$' + (v || 0).toFixed(4); }
        function short(c) { return c ? c.slice(0, 10) : ''; }
        function num(v) { return (v || 0).toLocaleString('en'); }
        function pct(f) { return Math.max(0, Math.min(100, f * 100)).toFixed(3) + '%'; }
        function words(s) { return (s || '').replace(/_/g, ' '); }
        function firstLine(s) { var l = (s || '').split('\n')[0]; return l.length > 120 ? l.slice(0, 119) + '…' : l; }
        function unique(list) { var out = []; list.forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); }); return out; }
        function table(head, rows, cls) {
          var t = el('table', cls), tr = add(add(t, el('thead')), el('tr')), body = add(t, el('tbody'));
          head.forEach(function (h) { add(tr, el('th', null, h)); });
          rows.forEach(function (r) {
            var row = add(body, el('tr'));
            r.forEach(function (c) {
              if (c instanceof Node) { add(row, el('td')).appendChild(c); }
              else { add(row, el('td', typeof c === 'number' ? 'num' : null, c)); }
            });
          });
          return t;
        }

        """#

    /// Rendering of the whole document, then either the embedded data or the live connection.
    static let main = #"""
        var live = root.dataset.liveSession ? { session: root.dataset.liveSession, token: root.dataset.token } : null;
        var liveBox = null;
        function render(doc) {
          root.textContent = '';
          var s = doc.session, head = add(root, el('header'));
          var h1 = add(head, el('h1', null, (s.kind === 'review' ? 'mg review ' : 'mg session ') + s.id + ' '));
          if (doc.live) add(h1, el('span', 'badge', 'running'));
          add(head, el('div', 'mute', words(s.status) + ' · started ' + s.startedAt + (s.endedAt ? ' · ended ' + s.endedAt : '')
            + ' · ' + usd(s.costUSD) + (s.mergeMode ? ' · merge mode ' + s.mergeMode : '')));
          add(head, el('p', null, s.task));
          doc.turns.forEach(function (t) { renderTurn(add(root, el('section', 'turn')), t); });
          if (liveBox) root.appendChild(liveBox);
        }
        function renderTurn(sec, t) {
          sec.dataset.turn = t.number;
          add(sec, el('h2', null, 'Turn ' + t.number + ' — ' + firstLine(t.task)));
          add(sec, el('div', 'mute', words(t.status) + ' · ' + secs(t.duration) + (t.baseCommit ? ' · base ' + short(t.baseCommit) : '')));
          var o = t.outcome, rule = add(sec, el('div', 'rule')), facts = [];
          add(rule, el('strong', null, 'Outcome: '));
          rule.appendChild(document.createTextNode(o.rule));
          if (o.roundEnd) facts.push('round ended: ' + words(o.roundEnd));
          if (o.mergeHow) facts.push('landed: ' + o.mergeHow + (o.mergedCommit ? ' ' + short(o.mergedCommit) : ''));
          if (facts.length) add(rule, el('div', 'mute', facts.join(' · ')));
          if (o.ranking.length) ranking(sec, o.ranking);
          if (t.review) review(sec, t.review);
          if (t.attachments.length) attachments(sec, t.attachments);
          lanes(sec, t);
          if (t.answers.length) {
            add(sec, el('h3', null, 'Answers'));
            t.answers.forEach(function (a) { answer(sec, a); });
          }
          if (t.votes.length) votes(sec, t);
          t.similarity.forEach(function (m) { heatmap(sec, m); });
          usage(sec, t);
        }
        if (live) {
          liveBox = el('section', 'live');
          add(liveBox, el('h2', null, 'Live events'));
          var status = add(liveBox, el('span', 'badge', 'connecting'));
          status.id = 'live-status';
          var list = add(liveBox, el('ol', 'mono'));
          list.id = 'live-events';
          var query = '?token=' + encodeURIComponent(live.token), id = encodeURIComponent(live.session);
          var timer = null, over = false;
          var load = function () {
            timer = null;
            fetch('/api/session/' + id + query).then(function (r) { return r.ok ? r.json() : null; })
              .then(function (d) { if (d && !over) render(d); })
              .catch(function () { status.textContent = 'disconnected'; });
          };
          var stream = new EventSource('/api/events/' + id + query);
          stream.onopen = function () { status.textContent = 'following'; };
          stream.onmessage = function (e) {
            var ev;
            try { ev = JSON.parse(e.data); } catch (x) { return; }
            var li = add(list, el('li', null, (ev.time || '').slice(11, 19) + ' ' + ev.event + (ev.agent ? ' ' + ev.agent : '')
              + (ev.target ? ' → ' + ev.target : '') + (ev.detail ? ': ' + firstLine(ev.detail) : '')));
            li.dataset.event = ev.event;
            if (!timer) timer = setTimeout(load, 300);
          };
          stream.addEventListener('snapshot', function (e) {
            over = true;
            stream.close();
            if (timer) { clearTimeout(timer); timer = null; }
            status.textContent = 'session over';
            try { render(JSON.parse(e.data)); } catch (x) { status.textContent = 'unreadable final state'; }
          });
          stream.onerror = function () { if (!over) status.textContent = 'reconnecting'; };
          root.textContent = '';
          root.appendChild(liveBox);
          load();
        } else {
          render(JSON.parse(document.getElementById('mg-data').textContent));
        }
        })();

        """#
}
