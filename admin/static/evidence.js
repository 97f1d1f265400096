/* The evidence field refuses a file over the limit before it is sent: the server would
   refuse the whole request (too large) and the note typed beside it would be lost. */
(function () {
  "use strict";
  var field = document.querySelector("input[type=file][data-max-bytes]");
  if (!field) { return; }
  field.addEventListener("change", function () {
    var max = parseInt(field.dataset.maxBytes, 10);
    var file = field.files && field.files[0];
    field.setCustomValidity(file && file.size > max ? field.dataset.tooLarge : "");
    field.reportValidity();
  });
}());
