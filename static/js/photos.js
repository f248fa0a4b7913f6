// Shrinks photos on the phone before they are uploaded: a 12-megapixel camera photo of
// 3-5 MB goes up as about 0.3 MB, which is minutes less on a weak 3G link. Files the
// browser cannot decode (HEIC on most Android browsers) and PDFs go up as they are.
// The server checks and re-encodes every file anyway: this saves bytes, it guards nothing.
//
// Works on every <input type=file data-max-size> of the page (the server's limit in
// bytes). The shrunk file replaces the chosen one in the input, so a plain form post sends
// it too; pages that send reports themselves read it through window.GaskenPhotos.
(function () {
  "use strict";
  // The server keeps at most 2000 px too; a photo above TARGET bytes is tried again smaller.
  var TARGET = 400000;
  var STEPS = [
    [2000, 0.8],
    [2000, 0.7],
    [2000, 0.6],
    [1600, 0.6],
    [1280, 0.6],
  ];
  var INPUTS = "input[type=file][data-max-size]";

  function megabytes(bytes) {
    var mb = bytes / (1024 * 1024);
    var digits = mb >= 10 ? 0 : mb >= 1 ? 1 : 2;
    return mb.toFixed(digits).replace(".", ",") + " MB";
  }

  // The server's limit as its own messages write it: 10 MB, 2,5 MB.
  function limitText(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "").replace(".", ",") + " MB";
  }

  function isPdf(file) {
    return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
  }

  function decode(file) {
    if (!window.createImageBitmap) return Promise.reject(new Error("createImageBitmap"));
    // Apply the camera's rotation (EXIF orientation); browsers that do not know the
    // option throw, and those apply it by default.
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function (e) {
      if (e && e.name === "TypeError") return createImageBitmap(file);
      throw e;
    });
  }

  function encode(bitmap, side, quality) {
    var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    var ctx = canvas.getContext("2d");
    // Transparent PNGs become white, as on the server.
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(
        function (blob) {
          canvas.width = canvas.height = 0; // give the memory back at once on small phones
          if (blob) resolve(blob);
          else reject(new Error("toBlob"));
        },
        "image/jpeg",
        quality
      );
    });
  }

  function shrink(file) {
    return decode(file).then(function (bitmap) {
      var i = 0;
      function next() {
        var step = STEPS[i++];
        return encode(bitmap, step[0], step[1]).then(function (blob) {
          return blob.size > TARGET && i < STEPS.length ? next() : blob;
        });
      }
      return next().then(
        function (blob) {
          if (bitmap.close) bitmap.close();
          return blob;
        },
        function (e) {
          if (bitmap.close) bitmap.close();
          throw e;
        }
      );
    });
  }

  // What to send for a chosen file: {file, originalSize, note}.
  function prepare(file) {
    var original = { file: file, originalSize: file.size };
    if (isPdf(file)) {
      original.note = "PDF " + megabytes(file.size) + ", dikirim apa adanya";
      return Promise.resolve(original);
    }
    return shrink(file).then(
      function (blob) {
        if (blob.size >= file.size) {
          original.note = "foto " + megabytes(file.size) + ", sudah kecil";
          return original;
        }
        var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
        return {
          file: new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }),
          originalSize: file.size,
          note: "foto diperkecil: " + megabytes(file.size) + " → " + megabytes(blob.size),
        };
      },
      function () {
        original.note =
          "foto " + megabytes(file.size) + " dikirim apa adanya (HP ini tidak bisa memperkecilnya)";
        return original;
      }
    );
  }

  function preview(input) {
    var id = "photo-" + input.name;
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "photo";
      box.setAttribute("aria-live", "polite");
      box.innerHTML = '<img alt="" hidden><span class="help"></span>';
      input.insertAdjacentElement("afterend", box);
    }
    return box;
  }

  function show(input, text, file, isError) {
    var box = preview(input);
    var img = box.querySelector("img");
    var span = box.querySelector("span");
    if (img.src) URL.revokeObjectURL(img.src);
    img.removeAttribute("src");
    img.hidden = true;
    if (file && /^image\/(jpeg|png|webp|gif)$/.test(file.type)) {
      img.src = URL.createObjectURL(file);
      img.hidden = false;
    }
    span.textContent = text;
    span.className = isError ? "errorlist" : "help";
    box.hidden = !text;
  }

  function putInInput(input, file) {
    try {
      var dt = new DataTransfer();
      if (file) dt.items.add(file);
      input.files = dt.files;
    } catch (e) {
      // Old browsers: the input keeps the original; GaskenPhotos.chosen still has the small one.
    }
  }

  function busyButtons(input, busy) {
    var form = input.form;
    // Pages that send themselves wait for GaskenPhotos.ready() instead.
    if (!form || form.dataset.pipeline) return;
    var pending = Array.prototype.some.call(form.querySelectorAll(INPUTS), function (i) {
      return i.gaskenPending;
    });
    Array.prototype.forEach.call(form.querySelectorAll("[type=submit]"), function (b) {
      b.disabled = busy || pending;
    });
  }

  function choose(input) {
    var file = input.files && input.files[0];
    var turn = (input.gaskenTurn || 0) + 1;
    input.gaskenTurn = turn;
    input.gaskenPhoto = null;
    input.gaskenError = null;
    if (!file) {
      input.gaskenPending = null;
      show(input, "");
      announce(input);
      busyButtons(input, false);
      return Promise.resolve(null);
    }
    show(input, "Memperkecil foto…");
    var limit = parseInt(input.dataset.maxSize, 10);
    var pending = prepare(file).then(function (chosen) {
      if (input.gaskenTurn !== turn) return input.gaskenPending; // chosen again meanwhile
      input.gaskenPending = null;
      if (limit && chosen.file.size > limit) {
        input.gaskenError =
          "Berkas " +
          file.name +
          " berukuran " +
          megabytes(chosen.file.size) +
          ", melebihi batas " +
          limitText(limit) +
          ". Pilih foto atau berkas yang lebih kecil.";
        putInInput(input, null);
        show(input, input.gaskenError, null, true);
      } else {
        input.gaskenPhoto = chosen;
        if (chosen.file !== file) putInInput(input, chosen.file);
        show(input, chosen.note, chosen.file);
      }
      announce(input);
      busyButtons(input, false);
      return input.gaskenPhoto;
    });
    input.gaskenPending = pending;
    busyButtons(input, true);
    return pending;
  }

  function announce(input) {
    var detail = input.gaskenPhoto;
    input.dispatchEvent(new CustomEvent("gasken:photo", { bubbles: true, detail: detail }));
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches(INPUTS)) choose(e.target);
  });

  window.GaskenPhotos = {
    megabytes: megabytes,
    // Resolves when every photo of the form is ready; false when one was refused.
    ready: function (form) {
      var inputs = Array.prototype.slice.call(form.querySelectorAll(INPUTS));
      return Promise.all(
        inputs.map(function (i) {
          return i.gaskenPending;
        })
      ).then(function () {
        var refused = inputs.filter(function (i) {
          return i.gaskenError;
        });
        if (refused.length) refused[0].focus();
        return !refused.length;
      });
    },
    // {file, originalSize, note} of the input, or null (also while it is being shrunk).
    chosen: function (input) {
      if (input.gaskenPhoto) return input.gaskenPhoto;
      if (input.gaskenPending || input.gaskenError) return null;
      var file = input.files && input.files[0];
      return file ? { file: file, originalSize: file.size } : null;
    },
    // Put back a photo kept on the phone (a draft, a form shown again with errors).
    restore: function (input, chosen) {
      input.gaskenTurn = (input.gaskenTurn || 0) + 1;
      input.gaskenPending = null;
      input.gaskenError = null;
      input.gaskenPhoto = chosen;
      putInInput(input, chosen ? chosen.file : null);
      show(input, chosen ? chosen.note || chosen.file.name : "", chosen && chosen.file);
    },
  };
})();
