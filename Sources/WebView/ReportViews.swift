/// The report's views: ranking, review, attachments, timeline lanes, answers with diffs, the vote
/// table and graph, the similarity heatmap, usage.
enum ReportViews {
    static let source = #"""
        var KEY_ORDER = ['anonymousID', 'votes', 'testsPassed', 'passedCount', 'diffLines', 'decidedBy'];
        function ranking(sec, entries) {
          var keys = KEY_ORDER.filter(function (k) { return entries.some(function (e) { return k in e; }); });
          var extra = [];
          entries.forEach(function (e) { Object.keys(e).forEach(function (k) { if (keys.indexOf(k) < 0 && extra.indexOf(k) < 0) extra.push(k); }); });
          keys = keys.concat(extra.sort());
          var rows = entries.map(function (e, i) {
            return [i + 1].concat(keys.map(function (k) { var v = e[k]; return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : v; }));
          });
          add(sec, el('h3', null, 'Ranking (what decided it)'));
          add(sec, table(['#'].concat(keys), rows, 'ranking'));
        }
        function review(sec, r) {
          add(sec, el('h3', null, 'Review of ' + r.range));
          var v = add(sec, el('p'));
          add(v, el('span', r.verdict === 'approve' ? 'badge ok' : 'badge fail', r.verdict ? words(r.verdict) : 'no verdict'));
          v.appendChild(document.createTextNode(' ' + short(r.baseCommit) + '..' + short(r.headCommit) + (r.strict ? ' · unanimity required' : ' · majority')
            + (r.exitCode !== undefined && r.exitCode !== null ? ' · exit ' + r.exitCode : '')));
          if (r.findings.length) {
            var rows = r.findings.map(function (f) {
              var sev = el('span', 'sev-' + f.severity, f.severity);
              return [sev, f.path + (f.line ? ':' + f.line : ''), f.text, f.agents.join(', ')];
            });
            add(sec, table(['severity', 'where', 'finding', 'reported by'], rows, 'findings'));
          } else {
            add(sec, el('p', 'mute', 'No findings.'));
          }
          var d = add(sec, el('details', 'answer change'));
          add(d, el('summary', null, 'The change'));
          diff(d, r.diff);
        }
        function attachments(sec, list) {
          add(sec, el('h3', null, 'Attachments'));
          var box = add(sec, el('div', 'attachments'));
          list.forEach(function (a) {
            var f = add(box, el('figure'));
            if (a.thumbnail) { var img = add(f, el('img')); img.src = a.thumbnail; img.alt = a.path; }
            add(f, el('figcaption', 'mono', a.path + ' · ' + a.mime + (a.bytes ? ' · ' + num(a.bytes) + ' bytes' : '')
              + (a.thumbnail || !/^image\//.test(a.mime) ? '' : ' (too large to embed)')));
          });
        }
        var PHASES = ['thinking', 'tool', 'testing', 'voting', 'waiting', 'restarting'];
        var MARKS = ['answer', 'test', 'vote', 'restart', 'rejected'];
        function lanes(sec, t) {
          add(sec, el('h3', null, 'Timeline (' + secs(t.duration) + ')'));
          var legend = add(sec, el('div', 'legend'));
          PHASES.forEach(function (p) { var s = add(legend, el('span')); add(s, el('i', 'ph-' + p)); s.appendChild(document.createTextNode(p)); });
          MARKS.forEach(function (m) { var s = add(legend, el('span')); add(s, el('i', 'mk-' + m)); s.appendChild(document.createTextNode(m)); });
          var box = add(sec, el('div', 'lanes')), span = Math.max(t.duration, 0.001);
          t.lanes.forEach(function (l) {
            var row = add(box, el('div', 'lane'));
            row.dataset.agent = l.agent;
            var agent = t.agents.filter(function (a) { return a.id === l.agent; })[0];
            add(row, el('div', 'who', l.agent + (agent ? ' (' + agent.anonymousID + ')' : '')));
            var track = add(row, el('div', 'track'));
            l.segments.forEach(function (g) {
              var d = add(track, el('div', 'seg ph-' + g.phase));
              d.style.left = pct(g.start / span);
              d.style.width = pct((g.end - g.start) / span);
              d.title = (g.tool || g.phase) + ' ' + secs(g.start) + ' – ' + secs(g.end);
            });
            l.marks.forEach(function (m) {
              var d = add(track, el('div', 'mark mk-' + m.kind));
              d.style.left = pct(m.at / span);
              d.title = secs(m.at) + ' ' + m.label;
              d.dataset.kind = m.kind;
            });
          });
        }
        function answer(sec, a) {
          var d = add(sec, el('details', 'answer' + (a.winner ? ' winner' : '')));
          d.dataset.agent = a.agent;
          d.dataset.iteration = a.iteration;
          d.open = a.winner;
          var s = add(d, el('summary'));
          add(s, el('strong', null, a.agent + ' (' + a.anonymousID + ') answer ' + a.iteration + ' '));
          if (a.winner) add(s, el('span', 'badge ok', 'winner'));
          if (!a.accepted) add(s, el('span', 'badge fail', 'rejected'));
          if (a.test) add(s, el('span', a.test.passed ? 'badge ok' : 'badge fail', a.test.passed ? 'tests pass' : 'tests fail'));
          add(s, el('span', 'mute', ' ' + a.filesChanged + ' files +' + a.insertions + ' −' + a.deletions + ' · ' + short(a.commit)));
          add(d, el('p', null, a.summary));
          if (a.rejection) add(d, el('p', 'fail', 'Rejected: ' + a.rejection));
          if (a.test) {
            var t = a.test, line = (t.passed ? 'Tests pass' : 'Tests fail') + ' · ' + t.passedCount + ' passed, ' + t.failedCount + ' failed · ' + secs(t.seconds);
            add(d, el('div', t.passed ? 'ok' : 'fail', line + (t.failing.length ? ' · failing: ' + t.failing.join(', ') : '')));
            if (t.outputTail) { var o = add(d, el('details')); add(o, el('summary', 'mute', 'test output (end)')); add(o, el('pre', null, t.outputTail)); }
          }
          diff(d, a.diff);
        }
        function diff(parent, df) {
          df.files.forEach(function (f) {
            var det = add(parent, el('details', 'file'));
            det.open = f.lines.length <= 400;
            det.dataset.path = f.path;
            add(det, el('summary', 'mono', f.status + ' ' + f.path + '  +' + f.additions + ' −' + f.deletions + (f.binary ? ' (binary)' : '')));
            var pre = add(det, el('pre', 'diff')), lang = languageOf(f.path);
            f.lines.forEach(function (line) {
              var k = line.charAt(0), cls = k === '+' ? 'add' : k === '-' ? 'del' : k === '@' ? 'hunk' : 'ctx';
              var row = add(pre, el('div', 'line ' + cls));
              if (cls === 'hunk') { row.textContent = line.slice(1); return; }
              row.appendChild(document.createTextNode(k));
              highlight(row, line.slice(1), lang);
            });
            if (f.omittedLines) add(det, el('div', 'note', f.omittedLines + ' more changed lines of this file are not shown.'));
          });
          if (df.note) add(parent, el('div', 'note', df.note));
        }
        function votes(sec, t) {
          add(sec, el('h3', null, 'Votes'));
          add(sec, table(['round', 'voter', 'for', 'reason', 'counted'], t.votes.map(function (v) {
            return [v.round, v.voter + (v.voterAnonymousID ? ' (' + v.voterAnonymousID + ')' : ''),
              v.target + (v.targetAgent ? ' (' + v.targetAgent + ')' : ''), v.reason, v.ignored ? 'no' : 'yes'];
          }), 'votes'));
          var voters = unique(t.votes.map(function (v) { return v.voter; }));
          var targets = unique(t.votes.map(function (v) { return v.target; }));
          var rowH = 34, h = Math.max(voters.length, targets.length) * rowH + 16, w = 600;
          var svg = svgEl('svg', { 'class': 'graph', viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img' });
          var y = function (i) { return 18 + i * rowH; };
          t.votes.forEach(function (v) {
            var line = svgEl('line', { 'class': 'edge' + (v.ignored ? ' ignored' : ''), x1: 190, y1: y(voters.indexOf(v.voter)),
              x2: 410, y2: y(targets.indexOf(v.target)), 'data-voter': v.voter, 'data-target': v.target });
            add(line, svgEl('title', {})).textContent = v.voter + ' → ' + v.target + ': ' + v.reason;
            svg.appendChild(line);
          });
          voters.forEach(function (name, i) {
            svg.appendChild(svgEl('circle', { cx: 190, cy: y(i), r: 5 }));
            add(svg, svgEl('text', { x: 180, y: y(i) + 4, 'text-anchor': 'end' })).textContent = name;
          });
          targets.forEach(function (name, i) {
            var who = t.votes.filter(function (v) { return v.target === name && v.targetAgent; })[0];
            svg.appendChild(svgEl('circle', { cx: 410, cy: y(i), r: 5 }));
            add(svg, svgEl('text', { x: 420, y: y(i) + 4 })).textContent = name + (who ? ' (' + who.targetAgent + ')' : '');
          });
          sec.appendChild(svg);
        }
        function heat(v) { return 'hsl(' + Math.round(210 - 170 * v) + ',75%,' + Math.round(88 - 30 * v) + '%)'; }
        function heatmap(sec, m) {
          add(sec, el('h3', null, 'Similarity of the answers, round ' + m.round + ': ' + m.label));
          var t = el('table', 'heatmap'), head = add(t, el('tr'));
          head.dataset.label = m.label;
          add(head, el('th'));
          m.agents.slice(0, -1).forEach(function (a) { add(head, el('th', null, a)); });
          for (var i = 1; i < m.agents.length; i++) {
            var row = add(t, el('tr'));
            add(row, el('th', null, m.agents[i]));
            for (var j = 0; j < m.agents.length - 1; j++) {
              if (j >= i) { add(row, el('td', 'empty')); continue; }
              var v = (m.matrix[i] || [])[j] || 0, c = add(row, el('td', 'cell', v.toFixed(2)));
              c.dataset.pair = m.agents[j] + '|' + m.agents[i];
              c.style.background = heat(v);
              c.title = m.agents[j] + ' ~ ' + m.agents[i] + ': ' + v.toFixed(3);
            }
          }
          sec.appendChild(t);
          add(sec, el('div', 'mute', 'converged: the answers are nearly the same change; diverse: they differ; mixed: in between (docs/similarity.md).'));
        }
        function usage(sec, t) {
          add(sec, el('h3', null, 'Agents: tokens, cost, time'));
          add(sec, table(['agent', 'model', 'input', 'output', 'cached', 'cost', 'time', 'ended'], t.agents.map(function (a) {
            return [a.id + ' (' + a.anonymousID + ')', [a.backend, a.model].filter(Boolean).join(' '), num(a.inputTokens),
              num(a.outputTokens), num(a.cachedTokens), usd(a.costUSD), secs(a.seconds), a.failure || 'ok'];
          }), 'usage'));
        }

        """#
}
