// Verifies the audit log's hash chain in the browser, from the raw entries: each entry's hash
// must be the SHA-256 of its content and the hash before it, as the server computes it
// (kiosk.server.audit), and the last must be the head the server recorded.
(function () {
  "use strict";
  var button = document.getElementById("verify");
  var result = document.getElementById("verify-result");
  if (!button || !result) { return; }

  // The server hashes json.dumps(content, ensure_ascii=False): items joined by ", ".
  function canonical(e) {
    var content = [e.at, e.staff_id, e.kiosk_id, e.resident_id, e.purpose, e.fields, e.prev_hash];
    if (e.consent_id) { content.push(e.consent_id); }
    return "[" + content.map(function (v) { return JSON.stringify(v); }).join(", ") + "]";
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // SHA-256 (FIPS 180-4) for pages served without TLS, where crypto.subtle is missing.
  var K = [];
  (function () {
    var n = 2, found = 0;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) >>> 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (prime) { K.push(frac(Math.pow(n, 1 / 3))); found++; }
      n++;
    }
  }());
  function sha256(bytes) {
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 4, (length * 8) >>> 0);
    view.setUint32(padded.length - 8, Math.floor(length / 536870912));
    var w = new Array(64);
    function rotr(x, r) { return (x >>> r) | (x << (32 - r)); }
    for (var off = 0; off < padded.length; off += 64) {
      for (var i = 0; i < 16; i++) { w[i] = view.getUint32(off + i * 4); }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        h = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      H = [H[0] + a, H[1] + b, H[2] + c, H[3] + d, H[4] + e, H[5] + f, H[6] + g, H[7] + h].map(function (x) { return x >>> 0; });
    }
    return H.map(function (x) { return ("0000000" + x.toString(16)).slice(-8); }).join("");
  }

  function digest(text) {
    var bytes = new TextEncoder().encode(text);
    if (window.crypto && window.crypto.subtle) {
      return window.crypto.subtle.digest("SHA-256", bytes).then(hex);
    }
    return Promise.resolve(sha256(bytes));
  }

  function page(after) {
    return fetch("/console/audit/chain?after=" + after, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { if (!answer.ok) { throw new Error("status " + answer.status); } return answer.json(); });
  }

  function verify() {
    var previous = "0".repeat(64), checked = 0;
    result.textContent = button.getAttribute("data-busy");
    function walk(after) {
      return page(after).then(function (doc) {
        var chain = Promise.resolve(null);
        doc.entries.forEach(function (e) {
          chain = chain.then(function (problem) {
            if (problem !== null) { return problem; }
            return digest(canonical(e)).then(function (h) {
              if (h !== e.hash || e.prev_hash !== previous) { return e.id; }
              previous = e.hash; checked++; return null;
            });
          });
        });
        return chain.then(function (problem) {
          if (problem !== null) { return { bad: problem }; }
          if (doc.more) { return walk(doc.entries[doc.entries.length - 1].id); }
          return doc.head === previous ? { ok: checked } : { bad: "end" };
        });
      });
    }
    walk(0).then(function (outcome) {
      if (outcome.ok !== undefined) {
        result.textContent = button.getAttribute("data-ok").replace("{n}", String(outcome.ok));
        result.className = "done";
      } else {
        result.textContent = button.getAttribute("data-bad").replace("{entry}", String(outcome.bad));
        result.className = "problem";
      }
    }).catch(function () {
      result.textContent = button.getAttribute("data-unavailable");
      result.className = "problem";
    });
  }
  button.addEventListener("click", verify);
}());
