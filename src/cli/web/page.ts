/** The browser stepper's one page: HTML, CSS and script inline, so that it works with no network at all. */
import { PAGE_SCRIPT } from './page-script.js';

const STYLE = `
:root { --bg: #fbfbf8; --fg: #1d1d1b; --muted: #6b6b66; --line: #d9d8d0; --chg: #fff0a8; --diff: #ffd0d0; --cur: #d8ebff; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); background: #fff; position: sticky; top: 0; }
header h1 { font-size: 14px; margin: 0 12px 0 0; }
button { font: inherit; padding: 3px 10px; border: 1px solid #999; border-radius: 3px; background: #f3f3ef; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
button#fail { border-color: #b33; color: #a00; }
input { font: inherit; padding: 2px 4px; }
input#count { width: 4.5em; }
main { padding: 10px 12px; }
#failover { background: #ffe7c2; border: 1px solid #e0a040; padding: 6px 10px; margin-bottom: 10px; }
#replicas { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.replica { border: 1px solid var(--line); background: #fff; padding: 8px 10px; }
.replica.failed { background: #f4f0f0; color: #777; }
.replica h2 { font-size: 14px; margin: 0 0 4px; }
.role { padding: 0 6px; border-radius: 8px; background: #e4eefc; font-weight: normal; }
.status { color: var(--muted); font-weight: normal; }
.facts span { margin-right: 14px; }
.disasm { list-style: none; padding: 0; margin: 6px 0; border: 1px solid var(--line); }
.disasm li { padding: 0 6px; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.disasm li.current { background: var(--cur); font-weight: bold; }
.regs { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1px 8px; margin: 6px 0; }
.reg i { display: inline-block; width: 4.2em; color: var(--muted); font-style: normal; }
.csrs { grid-template-columns: repeat(3, 1fr); }
.changed { background: var(--chg); }
.differs { background: var(--diff); outline: 1px solid #d66; }
.traps div { margin: 1px 0; }
#channel, #timeline { margin-top: 12px; border: 1px solid var(--line); background: #fff; padding: 6px 10px; }
#channel ol { margin: 0; padding-left: 22px; max-height: 12em; overflow: auto; }
h3 { font-size: 13px; margin: 0 0 4px; }
svg text { font: 12px ui-monospace, monospace; fill: var(--fg); }
rect.epoch { fill: #9ec5f0; } rect.epoch.wfi { fill: #b8e0b0; } rect.epoch.drain { fill: #e8c7f0; } rect.epoch.halt { fill: #c0c0c0; } rect.epoch.fault { fill: #f09090; }
rect.now { fill: #204080; } rect.now.failed { fill: #c00; }
#log { margin-top: 12px; height: 10em; overflow: auto; background: #1d1d1b; color: #e8e8e0; padding: 6px 10px; white-space: pre-wrap; }
`;

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>shadowvm step</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body data-ready="false">
<header>
  <h1>shadowvm step</h1>
  <button id="step" class="run" title="s">step</button><input id="count" type="number" min="1" value="1" aria-label="instructions to step">
  <button id="epoch" class="run" title="e">run to next epoch</button>
  <input id="target" placeholder="address or symbol" aria-label="address or symbol"><button id="goto" class="run">run to</button>
  <button id="cont" class="run">run to the end</button>
  <button id="fail">fail the primary here</button>
</header>
<main>
  <div id="failover" hidden></div>
  <div id="replicas"></div>
  <div id="timeline"></div>
  <div id="channel"></div>
  <pre id="log"></pre>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
