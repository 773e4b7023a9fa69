/// The report's stylesheet (inline, small, light and dark).
enum ReportStyle {
    static let css = """
        :root{--bg:#fff;--fg:#1d2024;--mute:#68707a;--line:#d9dde2;--card:#f6f8fa;--add:#e6ffec;--del:#ffebe9;
        --addfg:#116329;--delfg:#a40e26;--acc:#0b62d6;--win:#1f883d;--bad:#cf222e;font-family:system-ui,sans-serif}
        @media (prefers-color-scheme:dark){:root{--bg:#0f1216;--fg:#e4e7eb;--mute:#9aa3ad;--line:#30363d;--card:#161b22;
        --add:#12351d;--del:#3d1418;--addfg:#7ee2a0;--delfg:#ffa8a8;--acc:#58a6ff}}
        body{margin:0;background:var(--bg);color:var(--fg);font-size:14px;line-height:1.45}
        main{max-width:1200px;margin:0 auto;padding:16px 20px 60px}
        h1{font-size:20px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}.mute{color:var(--mute)}.mono,pre,code{font-family:ui-monospace,monospace;font-size:12.5px}
        .badge{display:inline-block;padding:1px 7px;border-radius:10px;background:var(--card);border:1px solid var(--line);font-size:12px}
        .ok{color:var(--win)}.fail{color:var(--bad)}.rule{background:var(--card);border-left:4px solid var(--acc);padding:8px 12px;margin:8px 0}
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
        th{background:var(--card);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .lanes{border:1px solid var(--line);border-radius:6px;padding:8px}.lane{display:flex;align-items:center;margin:4px 0}
        .lane .who{width:140px;flex:none;font-weight:600;overflow:hidden;text-overflow:ellipsis}
        .track{position:relative;flex:1;height:22px;background:var(--card);border-radius:4px}
        .seg{position:absolute;top:3px;height:16px;border-radius:3px;opacity:.85;min-width:2px}
        .ph-thinking{background:#8fb8ef}.ph-tool{background:#b9a6e8}.ph-testing{background:#f1c46b}.ph-voting{background:#79d1a2}
        .ph-waiting{background:#d5d9de}.ph-restarting{background:#f19a8f}
        .mark{position:absolute;top:0;width:4px;height:22px;margin-left:-2px;border-radius:2px;cursor:help}
        .mk-answer{background:#0b62d6}.mk-rejected{background:#777}.mk-test{background:#bf8700}.mk-vote{background:#1f883d}
        .mk-restart{background:#cf222e}.mk-done,.mk-failed{background:#444;width:2px}
        .legend span{margin-right:10px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:3px;border-radius:2px}
        details.answer{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px}
        details.answer.winner{border-color:var(--win);box-shadow:0 0 0 1px var(--win)}summary{cursor:pointer}
        details.file{margin:6px 0}pre.diff{margin:4px 0;overflow:auto;background:var(--card);border-radius:4px;padding:4px 0}
        .line{white-space:pre;padding:0 8px}.line.add{background:var(--add)}.line.del{background:var(--del)}
        .line.hunk{color:var(--mute);background:transparent;font-style:italic}
        .tk-k{color:#cf222e}.tk-s{color:#0a3069}.tk-c{color:var(--mute);font-style:italic}.tk-n{color:#0550ae}
        @media (prefers-color-scheme:dark){.tk-k{color:#ff7b72}.tk-s{color:#a5d6ff}.tk-n{color:#79c0ff}}
        .note{color:var(--mute);font-style:italic}svg.graph{max-width:100%;height:auto}
        svg text{fill:var(--fg);font-size:12px}line.edge{stroke:var(--acc);stroke-width:2}line.edge.ignored{stroke-dasharray:4 3;opacity:.5}
        table.heatmap td.cell{width:54px;text-align:center;color:#000}figure{display:inline-block;margin:4px 10px 4px 0}
        figure img{max-width:180px;max-height:140px;border:1px solid var(--line);display:block}
        .sev-critical,.sev-major{color:var(--bad);font-weight:600}#live-status{float:right}
        """
}
