// The kader's report form. Progressive enhancement: without this file the form still
// works (a plain post, a key made by the server for each opened form, photos shrunk by
// the server).
//
// With it, on the form marked data-pipeline="intake", a report is a draft on the phone:
// its idempotency key, what was typed and the shrunk photos live in IndexedDB from the
// moment the form opens until a receipt comes back. A reload, Back, an error page or a
// rescanned QR code keep the same key, so the server never counts a report twice. The
// page sends the report itself (upload progress); a report that cannot be sent (no
// signal, a broken link, a server error) waits in the outbox on the phone and is sent
// again when the signal returns and whenever the page opens.
(function () {
  "use strict";
  let form = document.getElementById("intake-form");
  if (!form) return;

  // --- Village and posyandu lists (the correction form too) --------------------------

  // A form with a village chosen lists only that village's posyandu (all a page without
  // this script needs); the other villages' come in <template id="posyandu-options"> and
  // join the list here, in the order of the village names, before it is filtered.
  function completePosyandu(posyandu) {
    const more = form.querySelector("#posyandu-options");
    if (!more) return;
    const chosen = posyandu.value;
    const groups = Array.from(posyandu.querySelectorAll("optgroup"));
    more.content.querySelectorAll("optgroup").forEach((group) => {
      group.querySelectorAll("option").forEach((o) => {
        o.setAttribute("data-village", group.getAttribute("data-village"));
      });
      groups.push(document.importNode(group, true));
    });
    groups.sort((a, b) => a.label.localeCompare(b.label, "id"));
    const other = posyandu.querySelector('option[value="lain"]');
    groups.forEach((group) => posyandu.insertBefore(group, other));
    posyandu.value = chosen;
    more.remove();
  }

  function filterPosyandu() {
    const village = form.elements.village;
    const posyandu = form.elements.posyandu;
    if (!village || !posyandu) return;
    completePosyandu(posyandu);
    const code = village.value;
    posyandu.querySelectorAll("option[data-village]").forEach((o) => {
      const show = !code || o.getAttribute("data-village") === code;
      o.hidden = !show;
      o.disabled = !show;
      if (!show && o.selected) posyandu.value = "";
    });
    posyandu.querySelectorAll("optgroup").forEach((g) => {
      g.hidden = !g.querySelector("option:not([hidden])");
    });
  }

  function toggleOther() {
    const other = document.getElementById("field-posyandu_other");
    const input = form.elements.posyandu_other;
    if (!other || !input) return;
    other.hidden = form.elements.posyandu.value !== "lain" && !input.value;
  }

  // The mother's form: the fields of a status (hamil, menyusui) show only while it is
  // chosen. Without this script they all show, and the server ignores the other status's.
  function toggleStatus() {
    const checked = form.querySelector("input[name=mother_status]:checked");
    form.querySelectorAll("[data-status]").forEach((input) => {
      const wrapper = input.closest(".field");
      if (wrapper) wrapper.hidden = !checked || input.dataset.status !== checked.value;
    });
  }

  function todayIso() {
    const d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 10);
  }

  // A form kept on the phone may have been rendered days ago, with that day as the latest
  // date allowed; the server checks the real limit.
  function refreshDateLimits() {
    const today = todayIso();
    form.querySelectorAll("input[type=date][max]").forEach((i) => {
      if (i.max < today) i.max = today;
    });
  }

  function sendButton() {
    return form.querySelector("#send");
  }

  function bindLists() {
    form.addEventListener("change", (e) => {
      if (e.target.name === "village") filterPosyandu();
      if (e.target.name === "posyandu") toggleOther();
      if (e.target.name === "mother_status") toggleStatus();
    });
  }

  bindLists();
  filterPosyandu();
  toggleOther();
  toggleStatus();
  refreshDateLimits();

  if (form.dataset.pipeline !== "intake") {
    form.addEventListener("submit", (e) => {
      // After every listener ran: another script may have stopped this send.
      setTimeout(() => {
        const button = sendButton();
        if (e.defaultPrevented || !button) return;
        button.disabled = true;
        button.textContent = "Mengirim…";
      }, 0);
    });
    return;
  }

  // --- The rest is the intake pipeline ----------------------------------------------

  const KADER_FIELDS = ["kader_name", "kader_phone", "village", "posyandu", "posyandu_other"];
  const PLACE_FIELDS = ["village", "posyandu"];
  // The child's and the mother's forms share the kader remembered, the outbox and the list
  // of reports sent; each keeps its own draft, named by the report's name field.
  const NAME_FIELD = form.dataset.nameField || "child_name";
  const DRAFT = form.dataset.draft || "current";
  const KADER_KEY = "gasken:kader";
  const SENT_KEY = "gasken:sent";
  const MAX_SENT = 50; // as many as the status endpoint answers for
  // No progress for this long: the link is dead, keep the report for later.
  const STALL_MS = 45000;
  const Photos = window.GaskenPhotos || {
    ready: () => Promise.resolve(true),
    chosen: (input) => (input.files && input.files[0] ? { file: input.files[0] } : null),
    restore: () => {},
    megabytes: (b) => (b / 1048576).toFixed(1).replace(".", ",") + " MB",
  };
  const buttonText = sendButton().textContent;

  // --- Storage on the phone: IndexedDB, or this page's memory where there is none ----

  const memory = { draft: {}, outbox: {} };
  let database = null;

  function db() {
    if (!database) {
      database = new Promise((resolve) => {
        let req;
        try {
          req = indexedDB.open("gasken", 1);
        } catch (e) {
          resolve(null);
          return;
        }
        req.onupgradeneeded = () => {
          req.result.createObjectStore("draft");
          req.result.createObjectStore("outbox");
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
      });
    }
    return database;
  }

  // store: "draft" (one record, "current") or "outbox" (by idempotency key).
  async function idb(store, op, ...args) {
    const d = await db();
    if (!d) {
      const m = memory[store];
      if (op === "get") return m[args[0]];
      if (op === "getAll") return Object.values(m);
      if (op === "put") m[args[1]] = args[0];
      if (op === "delete") delete m[args[0]];
      return undefined;
    }
    return new Promise((resolve, reject) => {
      const mode = op === "get" || op === "getAll" ? "readonly" : "readwrite";
      const t = d.transaction(store, mode);
      const req = t.objectStore(store)[op](...args);
      t.oncomplete = () => resolve(req.result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  }

  function readLocal(key, fallback) {
    try {
      return JSON.parse(localStorage.getItem(key)) || fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeLocal(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Full or forbidden storage: the device simply remembers less.
    }
  }

  // --- Small DOM helpers --------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    children.forEach((c) => c && node.append(c));
    return node;
  }

  function when(ts) {
    return new Date(ts).toLocaleString("id-ID", {
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function value(name) {
    const field = form.elements[name];
    return field && field.value ? field.value.trim() : "";
  }

  // --- The draft: the report being made, with its key ---------------------------------

  let draft = null;

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function fieldValues() {
    const values = [];
    new FormData(form).forEach((v, k) => {
      if (typeof v === "string" && k !== "csrfmiddlewaretoken" && k !== "idempotency_key") {
        values.push([k, v]);
      }
    });
    return values;
  }

  function chosenFiles() {
    const files = {};
    form.querySelectorAll("input[type=file]").forEach((input) => {
      const chosen = Photos.chosen(input);
      if (chosen) files[input.name] = chosen;
    });
    return files;
  }

  function setKey() {
    let input = form.elements.idempotency_key;
    if (!input) {
      input = el("input", { type: "hidden", name: "idempotency_key" });
      form.prepend(input);
    }
    input.value = draft.key;
    document.documentElement.dataset.draft = draft.key;
  }

  function hasContent(d) {
    const typed = (d.fields || []).some(([k, v]) => k === NAME_FIELD && v.trim());
    return typed || Object.keys(d.files || {}).length > 0;
  }

  let saveTimer = null;
  // Set once the draft got its receipt: a late save must not bring back its used key.
  let ended = false;
  // Other tabs of this form on the phone share the one draft.
  const tabs = "BroadcastChannel" in window ? new BroadcastChannel("gasken-intake") : null;

  function saveDraft() {
    clearTimeout(saveTimer);
    if (ended) return Promise.resolve();
    draft.fields = fieldValues();
    draft.files = chosenFiles();
    return idb("draft", "put", draft, DRAFT).catch(() => {});
  }

  function saveDraftSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 400);
  }

  // The place a posyandu's or a village's own page (its QR code) chose when it was served.
  function preselected(field) {
    if (field.tagName !== "SELECT" || !PLACE_FIELDS.includes(field.name)) return "";
    const option = Array.from(field.options).find((o) => o.defaultSelected && o.value);
    return option ? option.value : "";
  }

  function fill(values) {
    form.querySelectorAll("input, select, textarea").forEach((field) => {
      const name = field.name;
      if (!name || field.type === "file" || field.type === "hidden") return;
      // A kader who scanned a posyandu's code is at that posyandu, whatever an earlier
      // draft on the phone said.
      if (preselected(field)) return;
      const mine = values.filter(([k]) => k === name).map(([, v]) => v);
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = mine.includes(field.value);
      } else if (mine.length) {
        field.value = mine[0];
      }
    });
  }

  function restoreDraft(saved) {
    if (saved.fields) fill(saved.fields);
    form.querySelectorAll("input[type=file]").forEach((input) => {
      const kept = saved.files && saved.files[input.name];
      if (kept) Photos.restore(input, kept);
    });
    filterPosyandu();
    toggleOther();
    toggleStatus();
  }

  // Empties the child's part of the form for the next report; the kader's part stays.
  function clearReport() {
    form.querySelectorAll("input, select, textarea").forEach((field) => {
      if (!field.name || KADER_FIELDS.includes(field.name) || field.type === "hidden") return;
      if (field.type === "radio" || field.type === "checkbox") field.checked = false;
      else if (field.type === "file") Photos.restore(field, null);
      else field.value = "";
    });
    form.querySelectorAll(".has-error").forEach((f) => f.classList.remove("has-error"));
    form.querySelectorAll(".field > .errorlist").forEach((e) => e.remove());
    const errors = document.getElementById("form-errors");
    if (errors) errors.remove();
    toggleStatus();
  }

  async function startNewReport() {
    clearReport();
    draft = { key: newKey(), fields: null, files: {} };
    setKey();
    await saveDraft();
    hideRestored();
  }

  // --- The kader, remembered on this phone ------------------------------------------

  let fromMemory = [];

  function remember(fields) {
    const kader = {};
    fields.forEach(([k, v]) => {
      if (KADER_FIELDS.includes(k)) kader[k] = v;
    });
    writeLocal(KADER_KEY, kader);
  }

  function applyRemembered() {
    const kader = readLocal(KADER_KEY, null);
    if (!kader) return;
    KADER_FIELDS.forEach((name) => {
      const field = form.elements[name];
      if (!field || field.value || !kader[name]) return;
      field.value = kader[name];
      if (field.value === kader[name]) fromMemory.push(name);
      if (name === "village") filterPosyandu();
    });
    // A form that preselects its village (/lapor/desa/<kode>/) drops a remembered
    // posyandu of another village.
    filterPosyandu();
    toggleOther();
    const old = document.getElementById("remembered");
    if (old) old.remove();
    const note = el(
      "p",
      { className: "help", id: "remembered" },
      `Data kader diingat di HP ini${kader.kader_name ? ` (${kader.kader_name})` : ""}. `,
      el("a", { href: "#", id: "not-me", textContent: "Bukan saya" })
    );
    const first = form.querySelector("fieldset");
    if (first) first.append(note);
  }

  function forget() {
    writeLocal(KADER_KEY, null);
    ["kader_name", "kader_phone", "posyandu_other"].forEach((name) => {
      if (form.elements[name]) form.elements[name].value = "";
    });
    fromMemory.forEach((name) => {
      const field = form.elements[name];
      if (field && field.tagName === "SELECT") {
        const preset = Array.from(field.options).find((o) => o.defaultSelected);
        field.value = preset ? preset.value : "";
      }
    });
    fromMemory = [];
    filterPosyandu();
    toggleOther();
    const note = document.getElementById("remembered");
    if (note) note.remove();
    saveDraft();
    form.elements.kader_name.focus();
  }

  // --- The panel above the form: outbox, sent reports, install -----------------------

  let panel = null;

  function buildPanel() {
    panel = el("section", { id: "device-panel", className: "device-panel" });
    panel.append(
      el("div", { id: "notices" }),
      el("section", { id: "outbox", className: "outbox", hidden: true }),
      el("details", { id: "my-reports", hidden: true }),
      el("button", {
        type: "button",
        id: "install",
        className: "button secondary",
        hidden: true,
        textContent: "Tambahkan ke layar utama",
      })
    );
    panel.querySelector("#my-reports").addEventListener("toggle", refreshStatuses);
    placePanel();
  }

  function placePanel() {
    form.parentNode.insertBefore(panel, form);
  }

  function notice(kind, ...parts) {
    const box = el("div", { className: `alert alert-${kind}`, role: "status" }, ...parts);
    document.getElementById("notices").append(box);
    return box;
  }

  function hideRestored() {
    const box = document.getElementById("restored");
    if (box) box.remove();
  }

  function showRestored() {
    const again = el("a", { href: "#", id: "new-report", textContent: "Mulai laporan baru" });
    const box = notice("info", "Isian laporan yang belum terkirim dipulihkan. ", again);
    box.id = "restored";
  }

  async function renderOutbox() {
    const items = await idb("outbox", "getAll").catch(() => []);
    items.sort((a, b) => a.queuedAt - b.queuedAt);
    const box = document.getElementById("outbox");
    box.textContent = "";
    box.hidden = !items.length;
    if (!items.length) return;
    box.append(
      el("h2", { textContent: `Menunggu dikirim (${items.length})` }),
      el("p", {
        className: "help",
        textContent:
          "Laporan ini tersimpan di HP ini bersama fotonya dan dikirim otomatis saat ada " +
          "sinyal. Jangan hapus data browser.",
      })
    );
    const list = el("ul", { className: "outbox-list" });
    items.forEach((item) => {
      const row = el(
        "li",
        { className: item.state === "check" ? "check" : "" },
        el("strong", { textContent: item.child || "(tanpa nama)" }),
        ` · disimpan ${when(item.queuedAt)}`
      );
      row.dataset.key = item.key;
      if (item.error) row.append(el("span", { className: "help", textContent: item.error }));
      const actions = el("span", { className: "actions" });
      if (item.state === "check" && (item.draft || "current") === DRAFT) {
        actions.append(
          el("button", { type: "button", className: "link", textContent: "Buka dan perbaiki" })
        );
        actions.lastChild.dataset.open = item.key;
      } else if (item.state === "check") {
        // A report of the other form (child or mother) is fixed on its own page.
        actions.append(el("a", { href: item.url, textContent: "Buka formulirnya" }));
      }
      actions.append(el("button", { type: "button", className: "link", textContent: "Hapus" }));
      actions.lastChild.dataset.remove = item.key;
      row.append(actions);
      list.append(row);
    });
    box.append(
      list,
      el("button", {
        type: "button",
        id: "outbox-send",
        className: "button secondary",
        textContent: "Kirim sekarang",
      })
    );
  }

  function renderSent() {
    const list = readLocal(SENT_KEY, []);
    const box = document.getElementById("my-reports");
    box.textContent = "";
    box.append(el("summary", { textContent: `Laporan saya (${list.length})` }));
    box.hidden = !list.length;
    const ul = el("ul", { className: "sent-list" });
    list.forEach((s) => {
      const status = el("span", { className: "status", textContent: "…" });
      status.dataset.code = s.code;
      ul.append(
        el(
          "li",
          {},
          el("a", { href: s.url, className: "code-link", textContent: s.formatted || s.code }),
          " ",
          el("span", { textContent: s.child }),
          " ",
          status
        )
      );
    });
    box.append(
      el("p", {
        className: "help",
        textContent: "Laporan yang dikirim dari HP ini. Ketuk kode untuk melihat tanda terima.",
      }),
      ul
    );
    if (box.open) refreshStatuses();
  }

  async function refreshStatuses() {
    const list = readLocal(SENT_KEY, []);
    if (!list.length || !document.getElementById("my-reports").open) return;
    const query = list.map((s) => "kode=" + encodeURIComponent(s.code)).join("&");
    let labels = null;
    try {
      const r = await fetch(`${form.dataset.statusUrl}?${query}`, { cache: "no-store" });
      labels = await r.json();
    } catch (e) {
      // No signal now; the list still shows the codes.
    }
    document.querySelectorAll("#my-reports [data-code]").forEach((span) => {
      if (!labels) span.textContent = "status perlu sinyal";
      else span.textContent = labels[span.dataset.code] || "tidak ditemukan";
    });
  }

  function addSent(item, data) {
    const entry = {
      code: data.code,
      formatted: data.formatted_code,
      url: data.url,
      child: item.child,
      at: Date.now(),
    };
    const list = readLocal(SENT_KEY, []).filter((s) => s.code !== entry.code);
    writeLocal(SENT_KEY, [entry].concat(list).slice(0, MAX_SENT));
  }

  // --- Sending ------------------------------------------------------------------------

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const field = form.elements.csrfmiddlewaretoken;
    return field ? field.value : "";
  }

  function post(report, onProgress) {
    return new Promise((resolve) => {
      const data = new FormData();
      report.fields.forEach(([k, v]) => data.append(k, v));
      // A form kept on the phone may carry an old token; the cookie has the current one.
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("idempotency_key", report.key);
      Object.keys(report.files).forEach((name) => {
        const file = report.files[name].file;
        data.append(name, file, file.name);
      });
      const xhr = new XMLHttpRequest();
      let timer = null;
      const done = (result) => {
        clearTimeout(timer);
        resolve(result);
      };
      const alive = () => {
        clearTimeout(timer);
        timer = setTimeout(() => xhr.abort(), STALL_MS);
      };
      xhr.open("POST", report.url);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = (e) => {
        alive();
        if (onProgress && e.lengthComputable) onProgress(e.loaded, e.total);
      };
      xhr.onprogress = alive;
      xhr.onload = () => done(outcome(xhr));
      xhr.onerror = () => done({ kind: "retry", reason: "Koneksi terputus." });
      xhr.onabort = () => done({ kind: "retry", reason: "Sinyal terlalu lemah, waktu habis." });
      alive();
      xhr.send(data);
    });
  }

  function outcome(xhr) {
    const type = xhr.getResponseHeader("Content-Type") || "";
    if (xhr.status === 200 && type.startsWith("application/json")) {
      try {
        const data = JSON.parse(xhr.responseText);
        if (data.code) return { kind: "receipt", data };
      } catch (e) {
        // fall through: not our answer (a proxy's page)
      }
    }
    if (xhr.status === 403) return { kind: "forbidden" };
    const html = type.startsWith("text/html") && xhr.responseText.includes('id="intake-form"');
    if (xhr.status < 500 && html) {
      return { kind: "errors", html: xhr.responseText };
    }
    // A server error, a proxy's page, a refused size: keep the report and try again later.
    return { kind: "retry", reason: `Server belum menerima laporan (kode ${xhr.status}).` };
  }

  async function send(report, onProgress) {
    let result = await post(report, onProgress);
    if (result.kind === "forbidden") {
      // The CSRF cookie is gone (browser data cleared, a form kept for long): get a new one.
      try {
        await fetch(report.url, { credentials: "same-origin", cache: "no-store" });
      } catch (e) {
        return { kind: "retry", reason: "Koneksi terputus." };
      }
      result = await post(report, onProgress);
      if (result.kind === "forbidden") result = { kind: "retry", reason: "Server menolak (403)." };
    }
    return result;
  }

  function progress(loaded, total) {
    let box = document.getElementById("send-progress");
    if (!box) {
      box = el("div", { id: "send-progress", className: "progress" }, el("progress"), el("span"));
      box.firstChild.max = 100;
      sendButton().after(box);
    }
    const percent = Math.floor((loaded / total) * 100);
    box.firstChild.value = percent;
    sendButton().textContent = `Mengirim… ${percent}%`;
    box.lastChild.textContent =
      percent < 100
        ? `Mengirim… ${percent}% (${Photos.megabytes(loaded)} dari ${Photos.megabytes(total)})`
        : "Terkirim, menunggu tanda terima…";
  }

  function hideProgress() {
    const box = document.getElementById("send-progress");
    if (box) box.remove();
  }

  function report() {
    return {
      key: draft.key,
      url: location.pathname,
      fields: fieldValues(),
      files: chosenFiles(),
      // The name shown in the outbox and the sent list: the child's or the mother's.
      child: value(NAME_FIELD),
      draft: DRAFT,
    };
  }

  async function queue(item, reason) {
    item.state = "waiting";
    item.error = reason;
    item.queuedAt = Date.now();
    await idb("outbox", "put", item, item.key);
    if (tabs) tabs.postMessage({ done: item.key });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    await startNewReport();
    notice(
      "warn",
      el("strong", { textContent: `Laporan ${item.child} disimpan di HP ini. ` }),
      "Laporan akan dikirim otomatis saat ada sinyal; kode tanda terima muncul di sini."
    );
    await renderOutbox();
    document.getElementById("outbox").scrollIntoView();
    retryLater();
  }

  let starting = null;
  let busy = false;

  async function onSubmit(e) {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const button = sendButton();
    button.disabled = true;
    let leaving = false;
    try {
      await starting;
      if (window.GaskenChecks && !(await window.GaskenChecks.validate(form))) return;
      button.textContent = "Menyiapkan foto…";
      if (!(await Photos.ready(form))) return;
      await saveDraft();
      const item = report();
      remember(item.fields);
      if (!navigator.onLine) {
        await queue(item, "Tidak ada sinyal saat dikirim.");
        return;
      }
      const result = await send(item, progress);
      if (result.kind === "receipt") {
        addSent(item, result.data);
        ended = true;
        await idb("draft", "delete", DRAFT);
        if (tabs) tabs.postMessage({ done: item.key });
        leaving = true;
        location.assign(result.data.url);
      } else if (result.kind === "errors") {
        showServerPage(result.html);
      } else {
        await queue(item, result.reason);
      }
    } catch (err) {
      notice("error", "Laporan belum terkirim: " + err + ". Coba kirim lagi.");
    } finally {
      busy = false;
      hideProgress();
      if (!leaving) {
        const b = sendButton();
        b.disabled = false;
        b.textContent = buttonText;
      }
    }
  }

  // The server's page with its messages, for the form the kader is looking at. The form
  // element itself stays (with whatever listens to it); the photos kept on the phone go
  // back into their fields, so nothing has to be chosen again.
  function showServerPage(html) {
    const files = chosenFiles();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const freshMain = doc.querySelector("main");
    const freshForm = doc.getElementById("intake-form");
    const main = form.closest("main");
    panel.remove();
    if (freshForm.parentNode === freshMain && form.parentNode === main) {
      form.innerHTML = freshForm.innerHTML;
      Array.from(main.childNodes).forEach((n) => n !== form && n.remove());
      let before = true;
      Array.from(freshMain.childNodes).forEach((n) => {
        if (n === freshForm) before = false;
        else if (before) main.insertBefore(document.importNode(n, true), form);
        else main.append(document.importNode(n, true));
      });
    } else {
      main.innerHTML = freshMain.innerHTML;
      form = document.getElementById("intake-form");
      bindLists();
      bind();
    }
    form.querySelectorAll("input[type=file]").forEach((input) => {
      if (files[input.name]) Photos.restore(input, files[input.name]);
    });
    setKey();
    filterPosyandu();
    toggleOther();
    toggleStatus();
    refreshDateLimits();
    applyRemembered();
    placePanel();
    document.dispatchEvent(new CustomEvent("gasken:form-replaced", { detail: { form } }));
    const errors = document.getElementById("form-errors") || form.querySelector(".has-error");
    if (errors) {
      errors.setAttribute("tabindex", "-1");
      errors.focus();
      errors.scrollIntoView();
    }
  }

  // --- The outbox: sent again until a receipt comes back ------------------------------

  let flushing = false;
  let retryTimer = null;
  let retryDelay = 15000;

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5 * 60 * 1000);
  }

  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    clearTimeout(retryTimer);
    try {
      // One page at a time sends (two open tabs would only send twice, harmlessly).
      if (navigator.locks) {
        await navigator.locks.request("gasken-outbox", { ifAvailable: true }, (lock) =>
          lock ? sendQueued() : null
        );
      } else {
        await sendQueued();
      }
    } finally {
      flushing = false;
    }
  }

  async function sendQueued() {
    const items = (await idb("outbox", "getAll")).filter((i) => i.state !== "check");
    items.sort((a, b) => a.queuedAt - b.queuedAt);
    for (const item of items) {
      const row = document.querySelector(`#outbox li[data-key="${item.key}"]`);
      const status = row && row.appendChild(el("span", { className: "help" }));
      const result = await send(item, (loaded, total) => {
        if (status) status.textContent = `Mengirim… ${Math.floor((loaded / total) * 100)}%`;
      });
      if (result.kind === "receipt") {
        addSent(item, result.data);
        await idb("outbox", "delete", item.key);
        notice(
          "ok",
          `Terkirim: ${item.child}. Kode tanda terima `,
          el("a", {
            href: result.data.url,
            className: "code",
            textContent: result.data.formatted_code,
          })
        );
      } else if (result.kind === "errors") {
        item.state = "check";
        item.error = "Ada isian yang perlu diperbaiki. Buka, periksa, lalu kirim lagi.";
        await idb("outbox", "put", item, item.key);
      } else {
        item.error = result.reason;
        item.tries = (item.tries || 0) + 1;
        await idb("outbox", "put", item, item.key);
        await renderOutbox();
        renderSent();
        retryLater();
        return;
      }
    }
    retryDelay = 15000;
    await renderOutbox();
    renderSent();
  }

  async function removeQueued(key) {
    const item = await idb("outbox", "get", key);
    if (!item) return;
    const ask =
      `Hapus laporan ${item.child || ""} yang belum terkirim? ` +
      "Data dan fotonya hilang dari HP ini dan tidak sampai ke kecamatan.";
    if (!confirm(ask)) return;
    await idb("outbox", "delete", key);
    await renderOutbox();
  }

  // A queued report the server sent back with messages becomes the draft again (same key).
  async function openQueued(key) {
    const item = await idb("outbox", "get", key);
    if (!item) return;
    await saveDraft();
    if (hasContent(draft) && !confirm("Isian formulir sekarang akan diganti. Lanjutkan?")) return;
    clearReport();
    draft = { key: item.key, fields: item.fields, files: item.files };
    restoreDraft(draft);
    setKey();
    await saveDraft();
    await idb("outbox", "delete", key);
    await renderOutbox();
    if (form.requestSubmit) form.requestSubmit();
  }

  // --- Wiring -------------------------------------------------------------------------

  function bind() {
    form.addEventListener("input", saveDraftSoon);
    form.addEventListener("change", saveDraftSoon);
    form.addEventListener("gasken:photo", () => saveDraft());
    form.addEventListener("submit", onSubmit);
  }

  document.addEventListener("click", async (e) => {
    const t = e.target;
    if (t.id === "not-me") {
      e.preventDefault();
      forget();
    } else if (t.id === "new-report") {
      e.preventDefault();
      if (confirm("Hapus isian ini dan mulai laporan baru?")) await startNewReport();
    } else if (t.id === "outbox-send") {
      flush();
    } else if (t.dataset && t.dataset.remove) {
      removeQueued(t.dataset.remove);
    } else if (t.dataset && t.dataset.open) {
      openQueued(t.dataset.open);
    }
  });

  let installPrompt = null;
  window.addEventListener("beforeinstallprompt", (e) => {
    e.preventDefault();
    installPrompt = e;
    const button = document.getElementById("install");
    if (button) button.hidden = false;
  });
  document.addEventListener("click", (e) => {
    if (e.target.id !== "install" || !installPrompt) return;
    installPrompt.prompt();
    installPrompt = null;
    e.target.hidden = true;
  });

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !form.dataset.worker) return;
    navigator.serviceWorker.addEventListener("message", (e) => {
      if (e.data && e.data.type === "kept") document.documentElement.dataset.offline = "ready";
    });
    navigator.serviceWorker
      .register(form.dataset.worker)
      .then(() => navigator.serviceWorker.ready)
      .then((reg) => {
        // This page and what it loaded, so it opens with no signal next time.
        const assets = Array.from(
          document.querySelectorAll("link[rel~=stylesheet], link[rel~=icon], script[src]"),
          (node) => node.href || node.src
        );
        reg.active.postMessage({ type: "keep", page: location.pathname, assets });
      })
      .catch(() => {});
  }

  async function start() {
    buildPanel();
    let saved = null;
    try {
      saved = await idb("draft", "get", DRAFT);
    } catch (e) {
      saved = null;
    }
    draft = saved || { key: newKey(), fields: null, files: {} };
    if (saved) restoreDraft(saved);
    setKey();
    applyRemembered();
    if (saved && hasContent(saved)) showRestored();
    else await saveDraft();
    await renderOutbox();
    renderSent();
    flush();
  }

  if (tabs) {
    tabs.onmessage = async (e) => {
      const key = e.data && e.data.done;
      if (!key) return;
      // Sent or queued from another tab: this tab's copy of that draft is finished too.
      if (draft && draft.key === key && !busy) {
        await startNewReport();
        notice(
          "info",
          "Laporan ini sudah dikirim atau menunggu dikirim dari tab lain. " +
            "Formulir siap untuk laporan baru."
        );
      }
      await renderOutbox();
      renderSent();
    };
  }

  bind();
  starting = start();
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  // Back and Forward may show this page from memory: the draft may have been sent meanwhile.
  window.addEventListener("pageshow", async (e) => {
    if (!e.persisted) return;
    const saved = await idb("draft", "get", DRAFT).catch(() => null);
    if (!saved || saved.key !== draft.key) {
      await startNewReport();
      applyRemembered();
    }
    await renderOutbox();
    renderSent();
    flush();
  });
  if (document.readyState === "complete") registerWorker();
  else window.addEventListener("load", registerWorker);
})();
