// "Print" buttons (data-print): a file, not an inline script, for the Content-Security-Policy.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
