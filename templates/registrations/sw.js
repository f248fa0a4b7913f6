// GASKEN service worker, scope {{ form_url }}: the kader's form opens with no signal once
// it has been opened on this phone. It keeps each form page the kader opened (one per
// posyandu address) and the static files those pages use. Reports are sent by the page
// itself (static/js/intake.js), which keeps unsent ones in IndexedDB: only GET requests
// pass through here.
"use strict";

const CACHE = "gasken-form-1";
const FORM_URL = "{{ form_url }}";
const STATIC_URL = "{{ static_url }}";
// Past this, a weak signal loses to the copy on the phone; the copy is refreshed anyway.
const NETWORK_WAIT_MS = 4000;

// /lapor/, /lapor/<posyandu>/ and /lapor/desa/<kode>/, and the mother's form at each of
// them plus ibu/; not the receipts under /lapor/status/ nor the printable poster
// /lapor/poster/.
function isFormPage(path) {
  if (path === FORM_URL) return true;
  const rest = path.startsWith(FORM_URL) ? path.slice(FORM_URL.length) : "";
  if (rest === "ibu/") return true;
  if (/^desa\/[0-9.]+\/(ibu\/)?$/.test(rest)) return true;
  const place = rest.replace(/\/ibu\/$/, "/");
  return /^[A-Za-z0-9_-]+\/$/.test(place) && !["status/", "poster/", "desa/"].includes(place);
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isFormPage(url.pathname)) {
    event.respondWith(formPage(event, url));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staticFile(event, request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

// Fresh from the network when it answers in time, else the copy kept on the phone.
function formPage(event, url) {
  const key = url.origin + url.pathname;
  const network = fetch(event.request);
  event.waitUntil(
    network
      .then((response) => {
        // A page with a query (?dari=…) carries someone's details: keep only the plain one.
        if (!response.ok || response.redirected || url.search) return;
        const copy = response.clone();
        return caches.open(CACHE).then((cache) => cache.put(key, copy));
      })
      .catch(() => null)
  );
  return (async () => {
    const cache = await caches.open(CACHE);
    // The kecamatan-wide form may stand in for any kept form; a posyandu's form may not
    // (it would preselect another posyandu): the offline page lists the kept ones instead.
    let kept = await cache.match(key);
    if (!kept && url.pathname === FORM_URL) {
      const forms = await keptForms(cache);
      if (forms.length) kept = await cache.match(forms[0]);
    }
    if (!kept) return network.catch(() => offlinePage());
    const timeout = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_WAIT_MS));
    // A server error shows the kept form too: its reports wait in the outbox.
    const answer = network.then((r) => (r.status >= 500 ? kept : r), () => kept);
    return Promise.race([answer, timeout]);
  })();
}

// Files named with their content hash (collectstatic) never change: the phone's copy is
// used. Others (a development server) are refreshed behind the copy for the next visit.
const HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;

function staticFile(event, request) {
  return caches.open(CACHE).then(async (cache) => {
    const kept = await cache.match(request);
    const fresh = () =>
      fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    if (!kept) return fresh();
    if (!HASHED.test(new URL(request.url).pathname)) event.waitUntil(fresh().catch(() => null));
    return kept;
  });
}

async function keptForms(cache) {
  const keys = await cache.keys();
  return keys.filter((r) => isFormPage(new URL(r.url).pathname));
}

async function offlinePage() {
  const forms = await keptForms(await caches.open(CACHE));
  const links = forms.map((r) => {
    const path = new URL(r.url).pathname;
    return `<li><a href="${path}">${path}</a></li>`;
  });
  const kept = links.length
    ? "<p>Formulir laporan yang tersimpan di HP ini bisa dibuka tanpa sinyal:</p>" +
      `<ul>${links.join("")}</ul>`
    : "<p>Belum ada formulir laporan yang tersimpan di HP ini. Buka formulir sekali saat " +
      "ada sinyal; setelah itu formulir bisa dibuka tanpa sinyal.</p>";
  const html = `<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidak ada sinyal – GASKEN</title><link rel="stylesheet" href="{{ css_url }}"></head>
<body><header class="top"><strong>GASKEN</strong></header><main>
<h1>Tidak ada sinyal</h1>
<p>Halaman ini belum tersimpan di HP ini.</p>
${kept}
<p>Laporan yang belum terkirim tersimpan di HP dan dikirim otomatis saat ada sinyal.</p>
</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// The page tells what it is and what it loaded; keep whatever is missing, then drop
// static files no kept page uses any more (older versions after an update).
self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type !== "keep") return;
  event.waitUntil(
    keep(msg.page, msg.assets || []).then(() => {
      if (event.source) event.source.postMessage({ type: "kept" });
    })
  );
});

async function keep(page, assets) {
  const cache = await caches.open(CACHE);
  const origin = self.location.origin;
  const wanted = assets.filter((a) => a.startsWith(origin + STATIC_URL));
  if (isFormPage(page)) wanted.push(origin + page);
  await Promise.all(
    wanted.map(async (url) => {
      if (await cache.match(url)) return;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) await cache.put(url, response);
      } catch (e) {
        // No signal right now: kept on a later visit.
      }
    })
  );
  await prune(cache);
}

async function prune(cache) {
  const keys = await cache.keys();
  const pages = keys.filter((r) => isFormPage(new URL(r.url).pathname));
  if (!pages.length) return;
  const used = new Set();
  for (const page of pages) {
    const html = await (await cache.match(page)).text();
    for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      used.add(new URL(m[1].replace(/&amp;/g, "&"), page.url).href);
    }
  }
  const stale = keys.filter(
    (r) => new URL(r.url).pathname.startsWith(STATIC_URL) && !used.has(r.url)
  );
  await Promise.all(stale.map((r) => cache.delete(r)));
}
