// The live page of a run folder: /events streams its metrics.csv rows, samples, model and checkpoints;
// /generate streams characters drawn from a checkpoint. window.charrnn holds what the page has drawn.
(function () {
  "use strict";
  var state = window.charrnn = { rows: [], samples: 0, points: 0, model: null, plan: null };
  var byMinutes = false;
  var $ = function (id) { return document.getElementById(id); };

  function duration(s) {
    if (!(s >= 0)) return "–";
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }

  var chart = new uPlot({
    width: Math.min(window.innerWidth - 80, 1000), height: 320,
    scales: { x: { time: false } },
    axes: [{ label: "iterations" }, { label: "nats per character" }],
    series: [
      {},
      { label: "training (mean of the windows since the previous point)", stroke: "#3366cc", width: 1.5 },
      { label: "held out", stroke: "#dc3912", width: 2, points: { show: true, size: 5 }, spanGaps: true }
    ]
  }, [[], [], []], $("chart"));

  function redraw() {
    var xs = [], train = [], val = [];
    state.rows.forEach(function (r) {
      xs.push(byMinutes ? r[5] / 60 : r[0] + 1);
      train.push(r[6]);   // the windows' mean since the previous row (metrics.csv's smooth loss lags behind)
      val.push(r[3]);
    });
    chart.axes[0].label = byMinutes ? "minutes of training" : "iterations";
    chart.setData([xs, train, val]);
    state.points = xs.length;
  }
  document.querySelectorAll("input[name=x]").forEach(function (radio) {
    radio.addEventListener("change", function () { byMinutes = radio.value === "minutes" && radio.checked; redraw(); });
  });

  function stats() {
    var r = state.rows[state.rows.length - 1];
    if (!r) {
      ["iteration", "speed", "elapsed", "eta", "val"].forEach(function (id) { $(id).textContent = "–"; });
      return;
    }
    $("iteration").textContent = r[0].toLocaleString();
    $("speed").textContent = Math.round(r[4]).toLocaleString() + " chars/s";
    $("elapsed").textContent = duration(r[5]);
    var last = state.rows.filter(function (x) { return x[3] !== null; }).pop();
    $("val").textContent = last ? last[3].toFixed(4) + " nats/char" : "–";
    var eta = "–";
    if (state.plan && state.plan.maxIterations && state.rows.length > 1) {
      var first = state.rows[0], perIteration = (r[5] - first[5]) / Math.max(1, r[0] - first[0]);
      eta = duration((state.plan.maxIterations - r[0] - 1) * perIteration);
    }
    $("eta").textContent = eta;
  }

  function reset() {
    state.rows = []; state.samples = 0; state.model = null;
    $("sampleList").innerHTML = ""; $("notes").innerHTML = ""; $("model").innerHTML = "";
    redraw(); stats();
  }

  function note(text) {
    var div = document.createElement("div");
    div.textContent = "note: " + text;
    $("notes").appendChild(div);
  }

  function showModel(m) {
    state.model = m;
    $("modelFile").textContent = m.file + ", iteration " + m.iteration;
    var opt = m.optimizer || {};
    var rows = [
      ["cell", m.cell || "rnn (min-char-rnn)"], ["layers", m.layers || 1], ["hidden size", m.hiddenSize],
      ["input", m.embeddingSize ? "embedding " + m.embeddingSize : "one-hot"], ["vocabulary", m.vocabSize],
      ["streams", m.batchSize || 1], ["window", m.seqLength],
      ["optimizer", (opt.name || "adagrad") + " lr " + (opt.learningRate || m.learningRate)],
      ["dtype", m.dtype || "float64"], ["dropout", m.dropout || 0]
    ];
    var table = $("model");
    table.innerHTML = "";
    rows.forEach(function (r) {
      var tr = table.insertRow();
      tr.insertCell().textContent = r[0];
      tr.insertCell().textContent = r[1] === undefined ? "–" : r[1];
    });
  }

  var events = new EventSource("events");
  events.addEventListener("hello", function (e) {
    reset();   // (a reconnection replays the whole run: start over rather than draw it twice)
    var hello = JSON.parse(e.data);
    $("folder").textContent = hello.name;
    $("folder").title = hello.path;
    $("status").textContent = "live";
  });
  events.onerror = function () { $("status").textContent = "disconnected; retrying…"; };
  events.addEventListener("reset", reset);
  events.addEventListener("row", function (e) {
    state.rows.push(JSON.parse(e.data));
    redraw(); stats();
  });
  events.addEventListener("sample", function (e) {
    var s = JSON.parse(e.data);
    var div = document.createElement("div");
    div.className = "sample";
    var head = document.createElement("div");
    head.className = "muted";
    head.textContent = "iteration " + s.iteration;
    var pre = document.createElement("pre");
    pre.textContent = s.text;
    div.appendChild(head); div.appendChild(pre);
    $("sampleList").insertBefore(div, $("sampleList").firstChild);
    state.samples++;
  });
  events.addEventListener("model", function (e) { showModel(JSON.parse(e.data)); });
  events.addEventListener("plan", function (e) { state.plan = JSON.parse(e.data); stats(); });
  events.addEventListener("note", function (e) { note(JSON.parse(e.data)); });
  events.addEventListener("checkpoints", function (e) {
    var select = $("checkpoint"), chosen = select.value;
    select.innerHTML = "";
    JSON.parse(e.data).slice().reverse().forEach(function (name) {
      var o = document.createElement("option");
      o.value = o.textContent = name;
      select.appendChild(o);
    });
    if (chosen) select.value = chosen;
    if (!select.value && select.options.length) select.value = "latest.npz";
  });

  var generation = null;
  var click = 0;   // the generation the buttons belong to: a stopped one's late answer is dropped
  function endGeneration(text) {
    click++;
    if (generation) generation.close();
    generation = null;
    $("go").disabled = false; $("stop").disabled = true;
    if (text) $("genStatus").textContent = text;
  }
  $("go").addEventListener("click", function () {
    var q = new URLSearchParams({
      start: $("start").value, length: $("length").value, temperature: $("temperature").value,
      topK: $("topK").value || "0", topP: $("topP").value || "1",
      seed: $("seed").value, checkpoint: $("checkpoint").value || "latest.npz"
    });
    $("output").textContent = $("start").value;
    $("genStatus").textContent = "drawing…";
    $("go").disabled = true; $("stop").disabled = false;
    var mine = ++click;
    // a bad request is a 400 with its reason: ask once as a plain request to show it, then stream
    fetch("generate?" + q + "&length=1").then(function (r) {
      if (mine !== click) return;
      if (r.status !== 200) return r.text().then(function (t) { endGeneration(t); $("output").textContent = ""; });
      generation = new EventSource("generate?" + q);
      generation.addEventListener("start", function (e) {
        var s = JSON.parse(e.data);
        $("genStatus").textContent = "drawing from " + s.checkpoint + " (iteration " + s.iteration + ")…";
      });
      generation.addEventListener("char", function (e) { $("output").textContent += JSON.parse(e.data); });
      generation.addEventListener("done", function () { endGeneration("done"); });
      generation.onerror = function () { endGeneration(generation ? "the connection ended" : ""); };
    }).catch(function () { if (mine === click) endGeneration("the page's server did not answer"); });
  });
  $("stop").addEventListener("click", function () { endGeneration("stopped"); });
})();
