// FeatureExplorer: hover the content image; the style image shows the cosine similarity of every
// style position's features to the hovered content position's (unit vectors, so a dot product).
function (root, data, lib) {
  var C = data.channels;
  var content = data.content, style = data.style;
  var cf = lib.unpack(content.features), sf = lib.unpack(style.features), colors = lib.unpack(data.colors);
  var heat = lib.part('style-heat'), readout = lib.part('readout');
  heat.width = style.cols; heat.height = style.rows;
  var context = heat.getContext('2d'), pixels = context.createImageData(style.cols, style.rows);

  // In percent of the frame, so markers need no layout measurements (images may still be decoding).
  function place(marker, grid, x, y) {
    marker.style.display = 'block';
    marker.style.left = (100 * x / grid.cols) + '%'; marker.style.top = (100 * y / grid.rows) + '%';
    marker.style.width = (100 / grid.cols) + '%'; marker.style.height = (100 / grid.rows) + '%';
    marker.style.boxSizing = 'border-box';
  }

  function show(x, y) {
    var p = y * content.cols + x, n = style.cols * style.rows;
    var sims = new Float32Array(n), low = Infinity, high = -Infinity, best = 0;
    for (var q = 0; q < n; q++) {
      var s = 0;
      for (var c = 0; c < C; c++) s += cf[p * C + c] * sf[q * C + c];
      sims[q] = s;
      if (s < low) low = s;
      if (s > high) { high = s; best = q; }
    }
    var span = Math.max(high - low, 1e-6);
    for (var k = 0; k < n; k++) {
      var level = Math.round((sims[k] - low) / span * 255);
      pixels.data[4 * k] = colors[3 * level];
      pixels.data[4 * k + 1] = colors[3 * level + 1];
      pixels.data[4 * k + 2] = colors[3 * level + 2];
      pixels.data[4 * k + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    place(lib.part('content-marker'), content, x, y);
    place(lib.part('style-marker'), style, best % style.cols, Math.floor(best / style.cols));
    readout.textContent = data.layer + '  content (' + x + ', ' + y + ')  cosine ' + low.toFixed(2) + ' … ' +
      high.toFixed(2) + '  best match (' + (best % style.cols) + ', ' + Math.floor(best / style.cols) + ')';
  }

  var frame = lib.part('content-frame');
  frame.addEventListener('mousemove', function (event) {
    var cell = lib.cellAt(event, frame, content.cols, content.rows);
    show(cell.x, cell.y);
  });
  // Start at the centre, so the view (and an exported page) shows a map before anyone hovers.
  show(Math.floor(content.cols / 2), Math.floor(content.rows / 2));
}
