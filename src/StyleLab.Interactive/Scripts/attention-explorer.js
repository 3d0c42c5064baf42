// AttentionExplorer: hover the content image; the style image shows the SANet attention of the hovered
// content cell over the style cells (8-bit fractions of the row's maximum), with the top 3 cells boxed.
function (root, data, lib) {
  var colors = lib.unpack(data.colors);
  var levels = data.levels.map(function (level) {
    return { layer: level.layer, content: level.content, style: level.style, rows: lib.unpack(level.rows),
             max: lib.unpack(level.max), perCell: level.stylePositionsPerCell };
  });
  var heat = lib.part('style-heat'), readout = lib.part('readout'), frame = lib.part('content-frame');
  var current = 0, last = null;

  function box(element, grid, x, y) {
    element.style.display = 'block';
    element.style.left = (100 * x / grid.cols) + '%'; element.style.top = (100 * y / grid.rows) + '%';
    element.style.width = (100 / grid.cols) + '%'; element.style.height = (100 / grid.rows) + '%';
  }

  function show(fx, fy) {
    last = [fx, fy];
    var level = levels[current], c = level.content, s = level.style, n = s.cols * s.rows;
    var x = Math.min(c.cols - 1, Math.floor(fx * c.cols)), y = Math.min(c.rows - 1, Math.floor(fy * c.rows));
    var row = (y * c.cols + x) * n;
    heat.width = s.cols; heat.height = s.rows;
    var context = heat.getContext('2d'), pixels = context.createImageData(s.cols, s.rows);
    var order = [];
    for (var q = 0; q < n; q++) {
      var v = level.rows[row + q];
      pixels.data[4 * q] = colors[3 * v]; pixels.data[4 * q + 1] = colors[3 * v + 1]; pixels.data[4 * q + 2] = colors[3 * v + 2];
      pixels.data[4 * q + 3] = Math.min(255, 3 * v);   // unattended cells stay see-through: the painting shows
      order.push(q);
    }
    context.putImageData(pixels, 0, 0);
    order.sort(function (a, b) { return level.rows[row + b] - level.rows[row + a]; });
    var max = level.max[y * c.cols + x], text = [];
    for (var k = 0; k < 3; k++) {
      var q2 = order[k], sx = q2 % s.cols, sy = Math.floor(q2 / s.cols);
      box(lib.part('top' + k), s, sx, sy);
      text.push('(' + sx + ',' + sy + ') ' + (level.rows[row + q2] / 255 * max).toFixed(4));
    }
    box(lib.part('content-marker'), c, x, y);
    readout.textContent = level.layer + '  content cell (' + x + ', ' + y + ')  peak attention ' + max.toFixed(4) +
      ' per style cell (uniform: ' + (1 / n).toFixed(4) + ')  top: ' + text.join('  ');
  }

  frame.addEventListener('mousemove', function (event) {
    var b = frame.getBoundingClientRect();
    show(Math.max(0, Math.min(0.9999, (event.clientX - b.left) / b.width)), Math.max(0, Math.min(0.9999, (event.clientY - b.top) / b.height)));
  });
  Array.prototype.forEach.call(root.querySelectorAll('input[data-level]'), function (input) {
    input.addEventListener('change', function () { current = +input.getAttribute('data-level'); show(last[0], last[1]); });
  });
  // Start at the centre, so the view (and an exported page) shows a map before anyone hovers.
  show(0.5, 0.5);
}
