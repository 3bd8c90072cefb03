// The live saga board: draws what /operator/board/stream sends. Every value is put into the page as text, never
// as HTML, since order ids, user ids and raw messages come from outside.

const MAX_ORDERS = 100;
const MAX_LOG = 300;

const $ = (id) => document.getElementById(id);
const orders = new Map();
let envelopes = [];
let dashboardUrl = null;
let token = null;
let drawScheduled = false;
let helloReceived = false;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function readToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("ordersaga-board-token", fromHash);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("ordersaga-board-token");
}

function showSignIn(message) {
  $("sign-in").hidden = false;
  $("board").hidden = true;
  $("demo").disabled = true;
  $("sign-in-error").textContent = message ?? "";
}

function setConnection(text, live) {
  $("connection").textContent = text;
  $("connection").classList.toggle("live", live);
}

async function connect() {
  token = readToken();
  if (!token) {
    showSignIn();
    return;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      setConnection("connecting…", false);
      const response = await fetch("/operator/board/stream", { headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" } });
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem("ordersaga-board-token");
        showSignIn(response.status === 401 ? "That token was not accepted (expired, or signed with another key)." : "That token has no admin role.");
        return;
      }
      if (!response.ok) throw new Error(`the stream answered ${response.status}`);
      attempt = 0;
      $("sign-in").hidden = true;
      $("board").hidden = false;
      $("demo").disabled = false;
      setConnection("live", true);
      await readEvents(response.body);
    } catch (error) {
      console.warn("board stream", error);
    }
    setConnection("reconnecting…", false);
    await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt)));
  }
}

async function readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) type = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) handle(type, JSON.parse(data.join("\n")));
    }
  }
}

function handle(type, data) {
  switch (type) {
    case "hello":
      dashboardUrl = data.dashboard_url;
      for (const order of [...data.orders].reverse()) {
        const row = orderRow(order.order_id);
        row.user = order.user_id;
        row.createdAt = Date.parse(order.created_at);
        for (const step of order.steps) row.steps[step.type] = Date.parse(step.occurred_at);
        row.status = order.status;
        row.reason = order.cancel_reason;
        row.rank = order.status_rank;
      }
      $("dead-letters").replaceChildren();
      for (const letter of [...data.dead_letters].reverse()) addDeadLetter(letter);
      showStatistics(data.statistics);
      helloReceived = true;
      break;
    case "envelope":
      addEnvelope(data);
      break;
    case "dead-letter":
      addDeadLetter(data);
      break;
    case "statistics":
      showStatistics(data);
      break;
  }
  scheduleDraw();
}

function orderRow(id) {
  let row = orders.get(id);
  if (!row) {
    row = { id, user: "", status: "CREATED", reason: null, rank: 0, steps: {}, createdAt: Date.now(), traceId: null };
    orders.set(id, row);
    if (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value);
  }
  return row;
}

// The api says which status an event leads to and how far along the lifecycle that is; the row only moves forward.
function applyStep(row, envelope) {
  row.steps[envelope.type] = Date.parse(envelope.occurred_at);
  const leads = envelope.leads;
  if (leads && leads.rank > row.rank) {
    row.status = leads.status;
    row.reason = leads.cancel_reason;
    row.rank = leads.rank;
  }
}

function addEnvelope(envelope) {
  envelopes.unshift(envelope);
  if (envelopes.length > MAX_LOG) envelopes.length = MAX_LOG;
  if (!envelope.order_id || !envelope.json) return;
  const row = orderRow(envelope.order_id);
  if (envelope.type === "OrderCreated") row.user = envelope.json.payload.user_id;
  row.traceId ??= envelope.trace_id;
  applyStep(row, envelope);
}

function addDeadLetter(letter) {
  const item = element("li");
  const details = element("details");
  const h = letter.headers ?? {};
  details.append(element("summary", `${letter.parked_at} · p${letter.partition}@${letter.offset} · ${h["dlq-consumer-group"] ?? "?"} · ${h["dlq-reason"] ?? "?"} · ${letter.key ?? ""}`));
  details.append(element("pre", Object.entries(h).map(([name, value]) => `${name}: ${value}`).join("\n")));
  details.append(element("pre", letter.value));
  item.append(details);
  $("dead-letters").prepend(item);
  while ($("dead-letters").childElementCount > MAX_LOG) $("dead-letters").lastElementChild.remove();
}

function showStatistics(statistics) {
  const outcomes = statistics.outcomes ?? {};
  $("count-shipped").textContent = outcomes.SHIPPED ?? 0;
  $("count-out-of-stock").textContent = outcomes.OUT_OF_STOCK ?? 0;
  $("count-declined").textContent = outcomes.PAYMENT_DECLINED ?? 0;
  $("count-in-flight").textContent = statistics.in_flight;
  $("count-stuck").textContent = statistics.stuck;
  $("count-dead-letters").textContent = statistics.dead_letters;
  $("count-sampled").textContent = statistics.sampled_out;
  $("stock").replaceChildren(...statistics.stock.map((product) => {
    const tr = element("tr");
    tr.append(element("td", product.product_id), element("td", product.name), element("td", product.stock, "number"));
    return tr;
  }));
}

function duration(from, to) {
  return from && to ? `${Math.max(0, Math.round(to - from))} ms` : "";
}

function scheduleDraw() {
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(() => {
    drawScheduled = false;
    drawOrders();
    drawEnvelopes();
  });
}

function drawOrders() {
  const rows = [...orders.values()].sort((a, b) => (b.steps.OrderCreated ?? b.createdAt) - (a.steps.OrderCreated ?? a.createdAt));
  $("orders").replaceChildren(...rows.map((row) => {
    const s = row.steps;
    const tr = element("tr");
    tr.tabIndex = 0;
    tr.dataset.orderId = row.id;
    tr.dataset.status = row.status;
    const status = element("td");
    status.append(element("span", row.reason ? `${row.status} · ${row.reason}` : row.status, `status ${row.status}`));
    const end = s.OrderShipped ?? s.InventoryReleased ?? s.InventoryFailed;
    tr.append(
      element("td", `…${row.id.slice(-12)}`),
      element("td", row.user),
      status,
      element("td", duration(s.OrderCreated, s.InventoryReserved ?? s.InventoryFailed), "number"),
      element("td", duration(s.InventoryReserved, s.PaymentCompleted ?? s.PaymentFailed), "number"),
      element("td", duration(s.PaymentCompleted, s.OrderShipped), "number"),
      element("td", duration(s.OrderCreated, end), "number"));
    tr.addEventListener("click", () => showDetail(row));
    tr.addEventListener("keydown", (event) => { if (event.key === "Enter") showDetail(row); });
    return tr;
  }));
  // Tells a watcher (and the browser test) that the rows on screen include the orders the stream began with.
  if (helloReceived) $("orders").dataset.loaded = "true";
}

function drawEnvelopes() {
  const orderFilter = $("filter-order").value.trim().toLowerCase();
  const typeFilter = $("filter-type").value;
  const shown = envelopes.filter((e) => (!orderFilter || (e.order_id ?? "").toLowerCase().includes(orderFilter)) && (!typeFilter || e.type === typeFilter));
  $("envelopes").replaceChildren(...shown.map((e) => {
    const item = element("li");
    item.dataset.type = e.type;
    item.dataset.orderId = e.order_id ?? "";
    const details = element("details");
    details.append(element("summary", `p${e.partition}@${e.offset} · ${e.type} · ${e.order_id ?? ""}`));
    details.append(element("pre", e.json ? JSON.stringify(e.json, null, 2) : e.text));
    item.append(details);
    return item;
  }));
}

async function showDetail(row) {
  $("detail").hidden = false;
  $("detail-id").textContent = row.id;
  const trace = $("detail-trace");
  trace.replaceChildren();
  if (row.traceId && dashboardUrl) {
    const link = element("a", `trace ${row.traceId.slice(0, 12)}… in the Aspire dashboard`);
    link.href = `${dashboardUrl.replace(/\/$/, "")}/traces/detail/${row.traceId}`;
    link.target = "_blank";
    link.rel = "noopener";
    trace.append(link);
  } else if (row.traceId) {
    trace.textContent = `trace ${row.traceId}`;
  }
  const trail = $("detail-trail");
  trail.replaceChildren(element("li", "loading…"));
  const response = await fetch(`/operator/orders/${encodeURIComponent(row.id)}/events`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    trail.replaceChildren(element("li", `the audit trail answered ${response.status}`));
    return;
  }
  const events = await response.json();
  trail.replaceChildren(...events.map((e) => element("li", `${e.occurred_at} ${e.type} ${JSON.stringify(e.payload)}`)));
}

async function placeDemoOrders() {
  $("demo").disabled = true;
  try {
    await fetch("/operator/demo-orders", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  } finally {
    $("demo").disabled = false;
  }
}

$("demo").addEventListener("click", placeDemoOrders);
document.addEventListener("keydown", (event) => {
  if (event.key === "d" && !$("demo").disabled && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)) placeDemoOrders();
});
$("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
$("filter-order").addEventListener("input", scheduleDraw);
$("filter-type").addEventListener("change", scheduleDraw);
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("ordersaga-board-token", $("token").value.trim());
  connect();
});

connect();
