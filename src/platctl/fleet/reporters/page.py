"""The dashboard's stylesheet and script: inline, small, and the same for every report."""

from __future__ import annotations

# No request leaves the page: everything is inline, and the policy forbids the rest.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--c0:#0969da;--c1:#1a7f37;--c2:#bf8700;--c3:#cf222e;--c4:#8250df;--c5:#57606a;--on:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--card:#151b23;--c0:#4493f8;--c1:#3fb950;--c2:#d29922;--c3:#f85149;--c4:#ab7df8;--c5:#9198a1;--on:#0d1117}}
body{margin:0 auto;max-width:1200px;padding:16px 24px;background:var(--bg);color:var(--fg);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:28px 0 8px}a{color:var(--c0)}
.muted{color:var(--muted)}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:24px}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px}
svg.chart{width:100%;height:auto;font-size:11px}.chart .fg{fill:var(--fg)}.chart .on{fill:var(--on)}
.chart .grid{stroke:var(--line)}.chart .line{fill:none;stroke-width:2}
.s0{fill:var(--c0);stroke:var(--c0)}.s1{fill:var(--c1);stroke:var(--c1)}.s2{fill:var(--c2);stroke:var(--c2)}
.s3{fill:var(--c3);stroke:var(--c3)}.s4{fill:var(--c4);stroke:var(--c4)}.s5{fill:var(--c5);stroke:var(--c5)}
polyline.s0,polyline.s1,polyline.s2,polyline.s3{fill:none}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px}.key i{display:inline-block;width:10px;height:10px;
margin-right:5px;border-radius:2px}.k0{background:var(--c0)}.k1{background:var(--c1)}.k2{background:var(--c2)}
.k3{background:var(--c3)}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;
text-align:left}th{cursor:pointer;user-select:none;position:sticky;top:0;background:var(--bg)}
th.num,td.num{text-align:right}th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
tbody tr{content-visibility:auto;contain-intrinsic-size:auto 27px}
.scroll{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:6px}
input[type=search]{padding:5px 8px;margin:4px 0 8px;width:280px;background:var(--card);color:var(--fg);
border:1px solid var(--line);border-radius:6px}.error{color:var(--c3)}
"""

SCRIPT = """
(function(){
function key(cell,num){var t=cell.textContent.trim();if(!num)return t.toLowerCase();
var n=parseFloat(t);return isNaN(n)?-Infinity:n;}
document.querySelectorAll('table.sortable').forEach(function(table){
  var heads=table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads,function(th,col){th.addEventListener('click',function(){
    var num=th.classList.contains('num');var asc=th.getAttribute('aria-sort')!=='ascending';
    Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
    var body=table.tBodies[0];
    var keyed=Array.prototype.map.call(body.rows,function(r){return [key(r.cells[col],num),r];});
    keyed.sort(function(a,b){return (a[0]<b[0]?-1:a[0]>b[0]?1:0)*(asc?1:-1);});
    var frag=document.createDocumentFragment();keyed.forEach(function(k){frag.appendChild(k[1]);});
    body.appendChild(frag);
  });});
});
document.querySelectorAll('input[data-filter]').forEach(function(input){
  var table=document.getElementById(input.getAttribute('data-filter'));var out=document.getElementById(input.id+'-count');
  input.addEventListener('input',function(){var q=input.value.trim().toLowerCase();var shown=0;
    Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
      if(r._t===undefined){r._t=r.textContent.toLowerCase();}
      var hit=!q||q.split(/\\s+/).every(function(w){return r._t.indexOf(w)>=0;});
      r.hidden=!hit;if(hit){shown++;}});
    if(out){out.textContent=shown;}});
});
})();
"""
