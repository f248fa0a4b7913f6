// Checks of the kader form before anything is sent, with the server's own rules and
// messages (rendered into data- attributes by registrations/forms.py and validators.py),
// shown with the same markup as the server's errors. Progressive enhancement only: the
// form works without this file and the server checks everything again.
//
// API for the page's submit pipeline:
//   window.GaskenChecks.validate(form) -> Promise<boolean>
//   true: the form may be sent; false: errors are shown, or the kader is asked to confirm
//   an implausible measurement ("Sudah benar, kirim" submits the form again).
// This file submits the form itself unless form.dataset.pipeline is set.
(function () {
  "use strict";

  // The intake form's fields that /lapor/cek-ukur/ needs, by its parameter names.
  var MEASUREMENT = {
    jenis_kelamin: "child_sex",
    tanggal_lahir: "birth_date",
    tanggal_ukur: "measured_on",
    berat: "weight_kg",
    tinggi: "height_cm",
    cara_ukur: "measurement_position"
  };
  var CHECK_TIMEOUT_MS = 6000;

  // --- Values --------------------------------------------------------------------------

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoDate(y, m, d) {
    var date = new Date(y, m - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) {
      return null;
    }
    return y + "-" + pad(m) + "-" + pad(d);
  }

  // The formats the server accepts: YYYY-MM-DD (date picker), DD/MM/YYYY, DD-MM-YYYY.
  function parseDate(text) {
    var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (m) return isoDate(+m[1], +m[2], +m[3]);
    m = /^(\d{1,2})([\/-])(\d{1,2})\2(\d{4})$/.exec(text);
    if (m) return isoDate(+m[4], +m[3], +m[1]);
    return null;
  }

  function phoneToday() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Completed months between two ISO dates, as registrations.validators.completed_months.
  function completedMonths(start, end) {
    var s = start.split("-").map(Number);
    var e = end.split("-").map(Number);
    var months = (e[0] - s[0]) * 12 + e[1] - s[1];
    if (e[2] < s[2]) months -= 1;
    return months;
  }

  // "12,5" -> "12.5"; null when not a number with at most one decimal.
  function decimalText(value) {
    var text = value.replace(/ /g, "").replace(/,/g, ".");
    return /^[0-9]+(\.[0-9])?$/.test(text) ? text : null;
  }

  function tenths(text) {
    return Math.round(parseFloat(text) * 10);
  }

  // A birth weight in whole grams, as registrations.validators.parse_birth_weight: grams
  // (2800, 2.800) or, below 10, kilograms (2,8). NaN when it is neither.
  function grams(value) {
    var text = value.replace(/ /g, "");
    if (/^[0-9]([.,][0-9]{1,3})?$/.test(text)) {
      return Math.round(parseFloat(text.replace(",", ".")) * 1000);
    }
    if (/^([0-9]{1,3}(\.[0-9]{3})?|[0-9]+)$/.test(text)) return parseInt(text.replace(".", ""), 10);
    return NaN;
  }

  // Whether the field `name` has `value`: chosen among its radios or checkboxes, or typed.
  function fieldHas(form, name, value) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    if (!inputs.length) return false;
    if (inputs[0].type === "radio" || inputs[0].type === "checkbox") {
      return Array.prototype.some.call(inputs, function (i) {
        return i.checked && i.value === value;
      });
    }
    return inputs[0].value === value;
  }

  function requiredIf(form, data) {
    if (!data.requiredIf) return false;
    var condition = data.requiredIf.split("=");
    return fieldHas(form, condition[0], condition[1]);
  }

  // --- The rules of one field ----------------------------------------------------------

  function inputsOf(wrapper) {
    return wrapper.querySelectorAll("input[name], select[name], textarea[name]");
  }

  // Returns {message, value}: the error message or null, and the cleaned value.
  function checkField(form, wrapper) {
    var el = inputsOf(wrapper)[0];
    var data = el.dataset;
    if (el.type === "radio") {
      var checked = wrapper.querySelector("input[type=radio]:checked");
      if (!checked && el.required) return { message: data.msgRequired };
      return { message: null, value: checked ? checked.value : "" };
    }
    if (el.type === "checkbox" && inputsOf(wrapper).length > 1) {
      var ticked = wrapper.querySelectorAll("input[type=checkbox]:checked");
      var values = Array.prototype.map.call(ticked, function (i) {
        return i.value;
      });
      return { message: !values.length && requiredIf(form, data) ? data.msgRequired : null, value: values };
    }
    if (el.type === "checkbox") {
      return { message: el.required && !el.checked ? data.msgRequired : null };
    }
    if (el.type === "file") {
      var other = data.oneOf && form.elements[data.oneOf];
      var none = !(el.files && el.files.length) && !(other && other.files && other.files.length);
      return { message: data.oneOf && none ? data.msgOneOf : null };
    }

    var value = el.value.trim();
    if (!value) {
      var needed = el.required || requiredIf(form, data);
      return { message: needed ? data.msgRequired : null, value: "" };
    }
    if (data.digits) {
      var digits = value.replace(/ /g, "");
      if (!/^[0-9]+$/.test(digits) || digits.length !== +data.digits) {
        return { message: data.msgDigits.replace("{n}", Array.from(digits).length) };
      }
    }
    if (data.phone) {
      var number = value.replace(/[\s\-.()\/]/g, "");
      if (number.charAt(0) === "+") number = number.slice(1);
      if (number.charAt(0) === "0") number = "62" + number.slice(1);
      else if (number.charAt(0) === "8") number = "62" + number;
      if (!new RegExp(data.phone).test(number)) return { message: data.msgPhone };
    }
    if ("date" in data) {
      var date = parseDate(value);
      if (!date) return { message: data.msgInvalid };
      // The later of the server's and the phone's today: a page kept open overnight or a
      // phone clock that is off must not refuse a date the server accepts.
      var today = el.max && el.max > phoneToday() ? el.max : phoneToday();
      if (data.msgFuture && date > today) return { message: data.msgFuture };
      value = date;
    }
    if ("grams" in data) {
      var g = grams(value);
      if (isNaN(g)) return { message: data.msgNumber };
      if (g < +data.min || g > +data.max) return { message: data.msgRange };
      value = g;
    }
    if ("decimal" in data) {
      var text = decimalText(value);
      if (text === null) return { message: data.msgNumber };
      if (tenths(text) < tenths(data.min) || tenths(text) > tenths(data.max)) {
        return { message: data.msgRange };
      }
      value = text;
    }
    return { message: null, value: value };
  }

  // Rules between fields, run only when both fields are valid (as the server's clean()).
  function checkRelations(form, results) {
    checkBirthWeight(form, results);
    checkDates(form, results);
  }

  // A birth weight at or above the limit with "berat lahir < 2.500 g" ticked is refused;
  // one below it is that factor (intake ticks it as it is typed).
  function checkBirthWeight(form, results) {
    var input = form.elements.birth_weight_g;
    var weight = results.birth_weight_g;
    if (!input || !weight || weight.message || weight.value === "") return;
    var factor = input.dataset.lowFactor.split("=");
    var low = weight.value < +input.dataset.lowBelow;
    var factors = results[factor[0]];
    if (!low && fieldHas(form, factor[0], factor[1])) {
      weight.message = input.dataset.msgNotLow;
    } else if (low && factors && factors.message) {
      factors.message = null;
    }
  }

  function checkDates(form, results) {
    var birthInput = form.elements.birth_date;
    var measuredInput = form.elements.measured_on;
    var birth = results.birth_date;
    var measured = results.measured_on;
    if (!birthInput || !measuredInput || !birth || !measured) return;
    if (birth.message || measured.message || !birth.value || !measured.value) return;
    if (measured.value < birth.value) {
      measured.message = measuredInput.dataset.msgNotBefore;
    } else if (
      birthInput.dataset.ageLimitMonths &&
      completedMonths(birth.value, measured.value) >= +birthInput.dataset.ageLimitMonths
    ) {
      birth.message = birthInput.dataset.msgAgeLimit;
    }
  }

  // --- Showing errors, as templates/registrations/_field.html and _error_summary.html ---

  function clearErrors(form) {
    var old = document.getElementById("form-errors");
    if (old) old.parentNode.removeChild(old);
    Array.prototype.forEach.call(form.querySelectorAll(".field.has-error"), function (w) {
      w.classList.remove("has-error");
      Array.prototype.forEach.call(w.querySelectorAll(".errorlist"), function (ul) {
        ul.parentNode.removeChild(ul);
      });
      Array.prototype.forEach.call(inputsOf(w), function (el) {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      });
      var group = w.querySelector("[role=radiogroup], [role=group]");
      if (group) group.removeAttribute("aria-describedby");
    });
  }

  function showFieldError(wrapper, message) {
    var errorId = wrapper.dataset.errorId;
    wrapper.classList.add("has-error");
    var ul = document.createElement("ul");
    ul.className = "errorlist";
    ul.id = errorId;
    var li = document.createElement("li");
    li.textContent = message;
    ul.appendChild(li);
    wrapper.appendChild(ul);
    var inputs = inputsOf(wrapper);
    Array.prototype.forEach.call(inputs, function (el) {
      el.setAttribute("aria-invalid", "true");
    });
    var group = wrapper.querySelector("[role=radiogroup], [role=group]");
    if (group) group.setAttribute("aria-describedby", errorId);
    else inputs[0].setAttribute("aria-describedby", errorId);
    return inputs[0].id;
  }

  function showSummary(form, errors) {
    var template = document.getElementById("form-errors-template");
    if (!template) return null;
    var summary = template.content.firstElementChild.cloneNode(true);
    summary.querySelector(".error-count").textContent = errors.length;
    var list = summary.querySelector(".error-summary");
    errors.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + e.inputId;
      a.textContent = e.label;
      li.appendChild(a);
      li.appendChild(document.createTextNode(": " + e.message));
      list.appendChild(li);
    });
    template.parentNode.insertBefore(summary, template);
    return summary;
  }

  function showErrors(form, errors) {
    errors.forEach(function (e) {
      e.inputId = showFieldError(e.wrapper, e.message);
    });
    var summary = showSummary(form, errors);
    if (summary) {
      summary.scrollIntoView();
      summary.focus({ preventScroll: true });
    } else {
      showInput(document.getElementById(errors[0].inputId));
    }
  }

  function showInput(input) {
    var wrapper = input.closest(".field");
    // The label sits above the input: bring the whole field into view, then focus.
    (wrapper || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  // --- Implausible measurements --------------------------------------------------------

  function measurementValues(form, results) {
    var values = {};
    for (var param in MEASUREMENT) {
      var result = results[MEASUREMENT[param]];
      if (!result || !result.value) return null;
      values[param] = result.value;
    }
    return values;
  }

  function signature(values) {
    return Object.keys(MEASUREMENT)
      .map(function (param) {
        return values[param];
      })
      .join("|");
  }

  // What the phone can tell without the server: a baby under 9 months measured standing.
  function localFlags(form, values) {
    var radio = form.querySelector("[name=" + MEASUREMENT.cara_ukur + "]");
    var young = radio && radio.dataset.youngMonths;
    var age = completedMonths(values.tanggal_lahir, values.tanggal_ukur);
    if (young && values.cara_ukur === "standing" && age < +young) {
      return [{ code: "standing_under_9_months", message: radio.dataset.msgYoung }];
    }
    return [];
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(new Error("timeout"));
      }, ms);
      promise.then(
        function (value) {
          clearTimeout(timer);
          resolve(value);
        },
        function (error) {
          clearTimeout(timer);
          reject(error);
        }
      );
    });
  }

  // The server's flags, or none when the phone is offline or the check fails: the server
  // flags the values again on the receipt.
  function serverFlags(form, values) {
    var url = form.dataset.checkUrl;
    if (!url || !window.fetch || navigator.onLine === false) return Promise.resolve([]);
    var query = Object.keys(values)
      .map(function (k) {
        return encodeURIComponent(k) + "=" + encodeURIComponent(values[k]);
      })
      .join("&");
    var request = fetch(url + "?" + query, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
    return withTimeout(request, CHECK_TIMEOUT_MS).then(
      function (body) {
        return body.flags || [];
      },
      function () {
        return [];
      }
    );
  }

  function removeById(id) {
    var el = document.getElementById(id);
    if (el) el.parentNode.removeChild(el);
  }

  function showChecking(form) {
    var template = document.getElementById("checking-template");
    var button = form.querySelector("[type=submit]");
    if (template && button) {
      button.parentNode.insertBefore(template.content.firstElementChild.cloneNode(true), button);
    }
  }

  function askToConfirm(form, flags, confirmed) {
    var template = document.getElementById("measurement-check-template");
    var button = form.querySelector("[type=submit]");
    if (!template || !button) return;
    var panel = template.content.firstElementChild.cloneNode(true);
    var list = panel.querySelector(".measurement-flags");
    flags.forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = f.message;
      list.appendChild(li);
    });
    panel.querySelector("#measurement-confirm").addEventListener("click", function () {
      form.elements.measurement_confirmed.value = confirmed;
      removeById("measurement-check");
      // Through the submit listeners again (this file's or the pipeline's): the other
      // fields are checked once more, the confirmed values no longer are.
      if (form.requestSubmit) form.requestSubmit();
      else validate(form).then(function (ok) { if (ok) form.submit(); });
    });
    panel.querySelector("#measurement-fix").addEventListener("click", function () {
      removeById("measurement-check");
      showInput(form.elements[MEASUREMENT.berat]);
    });
    button.parentNode.insertBefore(panel, button);
    panel.scrollIntoView();
    panel.focus({ preventScroll: true });
  }

  function checkMeasurement(form, values) {
    var hidden = form.elements.measurement_confirmed;
    var key = signature(values);
    if (!hidden || hidden.value === key) return Promise.resolve(true);
    showChecking(form);
    return serverFlags(form, values).then(function (flags) {
      removeById("checks-status");
      var codes = flags.map(function (f) {
        return f.code;
      });
      localFlags(form, values).forEach(function (f) {
        if (codes.indexOf(f.code) < 0) flags.push(f);
      });
      if (!flags.length) return true;
      askToConfirm(form, flags, key);
      return false;
    });
  }

  // --- The API -------------------------------------------------------------------------

  function validate(form) {
    removeById("measurement-check");
    clearErrors(form);
    var results = {};
    var wrappers = form.querySelectorAll(".field");
    Array.prototype.forEach.call(wrappers, function (wrapper) {
      var inputs = inputsOf(wrapper);
      // A field hidden with its status (the mother's form) is not sent as hers.
      if (!inputs.length || wrapper.hidden) return;
      results[inputs[0].name] = checkField(form, wrapper);
      results[inputs[0].name].wrapper = wrapper;
    });
    checkRelations(form, results);
    var errors = [];
    Array.prototype.forEach.call(wrappers, function (wrapper) {
      var inputs = inputsOf(wrapper);
      var result = inputs.length && results[inputs[0].name];
      if (result && result.message) {
        errors.push({ wrapper: wrapper, label: wrapper.dataset.label, message: result.message });
      }
    });
    if (errors.length) {
      showErrors(form, errors);
      return Promise.resolve(false);
    }
    var values = measurementValues(form, results);
    return values ? checkMeasurement(form, values) : Promise.resolve(true);
  }

  window.GaskenChecks = { validate: validate };

  // --- Sending, unless the page's pipeline does -----------------------------------------

  var approved = false;
  var busy = false;

  function submit(form) {
    // Not from within the submit event being dispatched (a promise may settle before its
    // listeners are done): the browser ignores requestSubmit() there.
    setTimeout(function () {
      if (form.requestSubmit) {
        approved = true;
        form.requestSubmit(); // fires submit again, for the page's other listeners
      } else {
        form.submit();
      }
    }, 0);
  }

  function onSubmit(e) {
    var form = e.target;
    // Set (even later, by another script): that script calls validate() itself.
    if (form.dataset.pipeline) return;
    if (approved) {
      approved = false;
      return;
    }
    e.preventDefault();
    if (busy) return;
    busy = true;
    validate(form).then(
      function (ok) {
        busy = false;
        if (ok) submit(form);
      },
      function () {
        // A fault in this file must not stop a report: the server checks it anyway.
        busy = false;
        submit(form);
      }
    );
  }

  // The question is about the values it shows: changing one of them withdraws it.
  function onEdit(e) {
    for (var param in MEASUREMENT) {
      if (e.target.name === MEASUREMENT[param]) removeById("measurement-check");
    }
  }

  // --- Risk factors implied by what is typed, as the server's IntakeForm._clean_reason --

  // Ticks the factor `name=value` while `implied`; unticks it again only if it was ticked
  // here (a kader's own tick stays).
  function imply(form, condition, implied) {
    var parts = condition.split("=");
    var box = form.querySelector("[name='" + parts[0] + "'][value='" + parts[1] + "']");
    if (!box) return null;
    if (implied && !box.checked) {
      box.checked = true;
      box.dataset.implied = "";
    } else if (!implied && "implied" in box.dataset) {
      box.checked = false;
      delete box.dataset.implied;
    }
    return box;
  }

  function onReasonEdit(e) {
    var form = e.currentTarget;
    var input = e.target;
    if (input.name === "birth_weight_g" && input.dataset.lowFactor) {
      var g = grams(input.value.trim());
      var low = !isNaN(g) && g >= +input.dataset.min && g < +input.dataset.lowBelow;
      var box = imply(form, input.dataset.lowFactor, low);
      var note = input.parentNode.querySelector(".field-note");
      if (note) note.hidden = !(low && box && "implied" in box.dataset);
    } else if (input.name === "risk_other_text") {
      imply(form, input.dataset.requiredIf, input.value.trim() !== "");
    } else if (input.type === "checkbox" && "implied" in input.dataset) {
      delete input.dataset.implied; // the kader's choice from now on
    }
  }

  // The note under the birth weight saying which factor its value ticked.
  function addLowWeightNote(form) {
    var input = form.elements.birth_weight_g;
    if (!input || !input.dataset.msgLow) return;
    var note = document.createElement("p");
    note.className = "field-note";
    note.setAttribute("role", "status");
    note.hidden = true;
    note.textContent = input.dataset.msgLow;
    input.parentNode.insertBefore(note, input.nextSibling);
  }

  // A note under a value below a limit that means something (the mother's form: LiLA
  // below 23,5 cm is KEK, Hb below 11 g/dL anaemia): said as it is typed, never refused.
  function addBelowNotes(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-below]"), function (input) {
      var note = document.createElement("p");
      note.className = "field-note";
      note.id = input.id + "_note";
      note.setAttribute("role", "status");
      note.textContent = input.dataset.msgBelow;
      input.parentNode.insertBefore(note, input.nextSibling);
      showBelow(input);
    });
  }

  function showBelow(input) {
    var note = document.getElementById(input.id + "_note");
    if (!note) return;
    var text = decimalText(input.value.trim());
    note.hidden =
      text === null ||
      tenths(text) < tenths(input.dataset.min) ||
      tenths(text) >= tenths(input.dataset.below);
  }

  function onBelowEdit(e) {
    if (e.target.dataset && "below" in e.target.dataset) showBelow(e.target);
  }

  var form = document.getElementById("intake-form");
  if (form) {
    // Capture: runs before the page's other submit listeners, which see defaultPrevented.
    form.addEventListener("submit", onSubmit, true);
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("input", onReasonEdit);
    form.addEventListener("change", onReasonEdit);
    addLowWeightNote(form);
    form.addEventListener("input", onBelowEdit);
    addBelowNotes(form);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("#form-errors a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    e.preventDefault();
    showInput(input);
  });

  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
