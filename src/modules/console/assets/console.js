// The console's only script (the CSP allows no inline script): it opens confirmation dialogs as
// modals, so Enter confirms (OK has autofocus) and Esc cancels, whether the dialog came with the
// page or was added by htmx.
(function () {
  'use strict';

  function cancel(dialog) {
    var href = dialog.getAttribute('data-cancel-href');
    if (href) window.location.assign(href);
    else dialog.remove();
  }

  function open(root) {
    var dialogs = (root || document).querySelectorAll('dialog[data-confirm]:not([data-ready])');
    dialogs.forEach(function (dialog) {
      dialog.setAttribute('data-ready', '');
      // A confirmation page renders its dialog open (usable without script); reopen it as a modal.
      if (dialog.open) dialog.close();
      dialog.addEventListener('cancel', function (event) {
        event.preventDefault();
        dialog.close();
        cancel(dialog);
      });
      dialog.querySelectorAll('[data-close]').forEach(function (control) {
        control.addEventListener('click', function (event) {
          event.preventDefault();
          dialog.close();
          cancel(dialog);
        });
      });
      dialog.showModal();
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    open(document);
  });
  document.addEventListener('htmx:load', function (event) {
    open(event.target.parentNode || document);
  });
})();
