/* Keyboard shortcuts for the comment desk. Every action is a plain form button, so the desk
   works without this file; the keys only press those buttons. j/k move between cards, a/h/s/t/u
   decide (approve, hold, spam, trash, restore), e edits, r opens the reply box, x ticks the
   card for a bulk action, z presses "Undo" in the message after a decision. They are listed in Wagtail's own shortcuts dialog (?). */
(function () {
  'use strict';

  var ACTION_KEYS = ['a', 'h', 's', 't', 'u', 'e'];
  var HELP = [
    ['Next comment', 'j'],
    ['Previous comment', 'k'],
    ['Approve (keep, on a reported comment)', 'a'],
    ['Hold (back to pending)', 'h'],
    ['Mark as spam', 's'],
    ['Trash', 't'],
    ['Restore (in Spam and Trash)', 'u'],
    ['Edit', 'e'],
    ['Reply as staff', 'r'],
    ['Tick for a bulk action', 'x'],
    ['Undo the decision just made', 'z'],
  ];

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-desk-card]'));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest('[data-desk-card]') : null;
  }

  function focusCard(card) {
    if (!card) return;
    cards().forEach(function (c) { c.classList.toggle('is-current', c === card); });
    card.focus();
    card.scrollIntoView({ block: 'nearest' });
  }

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var index = list.indexOf(current());
    if (index === -1) {
      focusCard(step > 0 ? list[0] : list[list.length - 1]);
      return;
    }
    focusCard(list[Math.min(Math.max(index + step, 0), list.length - 1)]);
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
  }

  function addHelp() {
    // Wagtail's "?" dialog lists the admin's shortcuts; the desk's join them.
    var table = shortcutsTable();
    if (!table) return false;
    if (table.querySelector('#keyboard-shortcut-group-desk')) return true;
    var body = document.createElement('tbody');
    body.id = 'keyboard-shortcut-group-desk';
    body.className = 'w-w-full';
    var head = document.createElement('tr');
    head.className = 'w-keyboard-shortcuts__category';
    var th = document.createElement('th');
    th.className = 'w-h4';
    th.scope = 'rowgroup';
    th.textContent = 'Comment desk';
    head.appendChild(th);
    body.appendChild(head);
    HELP.forEach(function (item) {
      var row = document.createElement('tr');
      row.className = 'w-keyboard_shortcuts__key';
      var name = document.createElement('th');
      name.scope = 'row';
      name.textContent = item[0];
      var key = document.createElement('td');
      var kbd = document.createElement('kbd');
      kbd.textContent = item[1];
      key.appendChild(kbd);
      row.appendChild(name);
      row.appendChild(key);
      body.appendChild(row);
    });
    table.insertBefore(body, table.querySelector('tbody'));
    return true;
  }

  function shortcutsTable() {
    // Wagtail keeps its dialogs in <template> elements until its scripts move them into the
    // page, which may happen before or after this script runs.
    var live = document.querySelector('#keyboard-shortcuts-dialog table');
    if (live) return live;
    var templates = document.querySelectorAll('template');
    for (var i = 0; i < templates.length; i += 1) {
      var found = templates[i].content.querySelector('#keyboard-shortcuts-dialog table');
      if (found) return found;
    }
    return null;
  }

  function openHelp() {
    var trigger = document.querySelector('[data-a11y-dialog-show="keyboard-shortcuts-dialog"]');
    if (trigger) trigger.click();
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (event.target && event.target.closest && event.target.closest('[role="dialog"]')) return;
    var key = event.key;
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      move(key === 'j' ? 1 : -1);
      return;
    }
    if (key === 'z') {
      var undo = document.querySelector('[data-desk-undo]');
      if (undo) {
        event.preventDefault();
        undo.click();
      }
      return;
    }
    var card = current();
    if (!card) return;
    if (ACTION_KEYS.indexOf(key) !== -1) {
      var control = card.querySelector('[data-desk-key="' + key + '"]');
      if (control) {
        event.preventDefault();
        control.click();
      }
    } else if (key === 'r') {
      var reply = card.querySelector('[data-desk-reply]');
      if (reply) {
        event.preventDefault();
        reply.open = true;
        reply.querySelector('textarea').focus();
      }
    } else if (key === 'x') {
      var box = card.querySelector('[data-desk-select]');
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
      }
    }
  });

  function start() {
    if (!addHelp()) {
      var observer = new MutationObserver(function () {
        if (addHelp()) observer.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    }
    var help = document.querySelector('[data-desk-help]');
    if (help) {
      help.hidden = false;
      help.addEventListener('click', openHelp);
    }
    // After an action the page comes back with #card-<id>: the next card to work on.
    var match = /^#card-\d+$/.test(window.location.hash) && document.querySelector(window.location.hash);
    if (match) focusCard(match);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
  // Filtering replaces the results without a page load; the cards are found afresh on each key.
})();
