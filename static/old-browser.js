// Runs only where JavaScript modules do not (nomodule): such a browser is far too old for the
// app, and boot.js would never run to say so. ES3 on purpose.
(function () {
  var splash = document.getElementById('splash');
  var message = document.getElementById('unsupported');
  if (splash) splash.setAttribute('hidden', '');
  if (message) message.removeAttribute('hidden');
})();
