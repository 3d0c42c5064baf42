// What every StyleLab explorer script gets as `lib`. Vanilla JavaScript, no network:
// explorers must work offline and inside exported notebooks.
function (root) {
  return {
    // The element of this explorer marked data-part="name".
    part: function (name) { return root.querySelector('[data-part="' + name + '"]'); },

    // A PackedArray (see PackedArray.cs) as a Float32Array (uint8 stays a Uint8Array), with .shape.
    unpack: function (packed) {
      var text = atob(packed.base64), bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      // PackedArray.DType serialises as "dType" (camel case of "DType"); accept both spellings.
      var dtype = packed.dtype || packed.dType, out;
      if (dtype === 'float32') out = new Float32Array(bytes.buffer);
      else if (dtype === 'uint8') out = bytes;
      else {
        var q = new Int8Array(bytes.buffer);
        out = new Float32Array(q.length);
        for (var k = 0; k < q.length; k++) out[k] = q[k] * packed.scale;
      }
      out.shape = packed.shape;
      return out;
    },

    // The grid cell under a mouse event, for an element showing a cols × rows grid.
    cellAt: function (event, element, cols, rows) {
      var box = element.getBoundingClientRect();
      var x = Math.floor((event.clientX - box.left) / box.width * cols);
      var y = Math.floor((event.clientY - box.top) / box.height * rows);
      return { x: Math.max(0, Math.min(cols - 1, x)), y: Math.max(0, Math.min(rows - 1, y)) };
    }
  };
}
