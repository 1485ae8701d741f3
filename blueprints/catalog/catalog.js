// Search and filters of the catalog's index: the page is complete without this script, which only
// hides the cards that do not match. The state is kept in the address (?q=…&domain=…), so a
// filtered list can be shared.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var list = document.getElementById('products');
  if (!form || !list) {
    return;
  }
  var cards = Array.prototype.slice.call(list.children);
  var search = document.getElementById('search');
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
  var shown = document.getElementById('shown');
  var noMatch = document.getElementById('no-match');

  function values(card, name) {
    var value = card.getAttribute('data-' + name) || '';
    return value.charAt(0) === '[' ? JSON.parse(value) : [value];
  }

  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    // Toggled out of the document: with thousands of cards, toggling them in place costs the
    // browser seconds of style work; detached, it is one layout.
    var parent = list.parentNode;
    var next = list.nextSibling;
    parent.removeChild(list);
    cards.forEach(function (card) {
      var text = card.getAttribute('data-search') || '';
      var match = words.every(function (word) { return text.indexOf(word) >= 0; });
      selects.forEach(function (select) {
        if (match && select.value) {
          match = values(card, select.getAttribute('data-filter')).indexOf(select.value) >= 0;
        }
      });
      card.hidden = !match;
      count += match ? 1 : 0;
    });
    parent.insertBefore(list, next);
    shown.textContent = count + ' of ' + cards.length + ' data products';
    noMatch.hidden = count > 0;
  }

  function remember() {
    var params = new URLSearchParams();
    if (search.value) {
      params.set('q', search.value);
    }
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.name, select.value);
      }
    });
    var query = params.toString();
    history.replaceState(null, '', query ? '?' + query : location.pathname);
  }

  var params = new URLSearchParams(location.search);
  search.value = params.get('q') || '';
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && Array.prototype.some.call(select.options, function (option) { return option.value === wanted; })) {
      select.value = wanted;
    }
  });

  form.hidden = false;
  form.addEventListener('input', function () { apply(); remember(); });
  form.addEventListener('change', function () { apply(); remember(); });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  apply();
})();
