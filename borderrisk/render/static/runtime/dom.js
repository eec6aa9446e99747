/* borderrisk map runtime: building the page's elements. Text is only ever set as text nodes,
 * so no input becomes markup. */
(function (br) {
  "use strict";

  /* An element with a class and text (set as text, never as HTML). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* A Leaflet control in a corner, its element made by build(map). */
  function control(position, build) {
    var C = L.Control.extend({ options: { position: position }, onAdd: build });
    return new C();
  }

  Object.assign(br, { el: el, control: control });
})(window.borderrisk);
