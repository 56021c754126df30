// Optional: saves each answer as it is tapped and keeps the "n / 25" count current. The forms work
// the same without it (each page is saved when posted).
(function () {
  'use strict';
  var form = document.querySelector('form[data-save]');
  if (!form) return;
  var counter = document.querySelector('[data-answered]');
  function count() {
    var names = {};
    form.querySelectorAll('input[type=radio]:checked').forEach(function (i) { names[i.name] = true; });
    return Object.keys(names).length;
  }
  form.addEventListener('change', function (e) {
    var input = e.target;
    if (!input || input.type !== 'radio') return;
    if (counter) counter.textContent = String(count());
    var body = new URLSearchParams();
    body.set('csrf', form.querySelector('input[name=csrf]').value);
    body.set(input.name, input.value);
    fetch(form.getAttribute('data-save'), {
      method: 'POST', body: body, credentials: 'same-origin', referrerPolicy: 'no-referrer',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'}
    }).catch(function () { /* the page is saved again when posted */ });
  });
})();
