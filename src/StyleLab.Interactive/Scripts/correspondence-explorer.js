// CorrespondenceExplorer: hover one image; a marker shows the hovered pixel and another its match in
// the other image, read from the nearest-neighbour field sampled on a grid.
function (root, data, lib) {
  var sides = { left: data.left, right: data.right }, other = { left: 'right', right: 'left' };
  var fields = { left: lib.unpack(data.left.match), right: lib.unpack(data.right.match) };
  var readout = lib.part('readout');

  // Percent of the frame: no layout measurements needed.
  function place(marker, x, y, width, height) {
    marker.style.display = 'block';
    marker.style.left = (100 * (x + 0.5) / width) + '%';
    marker.style.top = (100 * (y + 0.5) / height) + '%';
  }

  // The match of pixel (x, y) of `side`, through the field sampled on its grid.
  function match(side, x, y) {
    var f = sides[side];
    var c = Math.min(f.cols - 1, Math.round(x / Math.max(f.width - 1, 1) * (f.cols - 1)));
    var r = Math.min(f.rows - 1, Math.round(y / Math.max(f.height - 1, 1) * (f.rows - 1)));
    var k = 2 * (r * f.cols + c);
    return { x: fields[side][k], y: fields[side][k + 1] };
  }

  function show(side, x, y) {
    var f = sides[side], q = match(side, x, y), back = match(other[side], q.x, q.y);
    place(lib.part(side + '-marker'), x, y, f.width, f.height);
    place(lib.part(other[side] + '-marker'), q.x, q.y, f.targetWidth, f.targetHeight);
    var names = side === 'left' ? data.names : [data.names[1], data.names[0]];
    var error = Math.sqrt((back.x - x) * (back.x - x) + (back.y - y) * (back.y - y));
    readout.textContent = names[0] + ' (' + x + ', ' + y + ') → ' + names[1] + ' (' + q.x + ', ' + q.y + ')' +
      '   round trip back to (' + back.x + ', ' + back.y + '), off by ' + error.toFixed(1) + ' px';
  }

  ['left', 'right'].forEach(function (side) {
    var frame = lib.part(side + '-frame'), f = sides[side];
    frame.addEventListener('mousemove', function (event) {
      var cell = lib.cellAt(event, frame, f.width, f.height);
      show(side, cell.x, cell.y);
    });
  });
  lib.part('show-fields').addEventListener('change', function (event) {
    ['left', 'right'].forEach(function (side) {
      lib.part(side + '-field').style.display = event.target.checked ? 'block' : 'none';
    });
  });
  // Start at the centre of the left image so the page shows a correspondence before anyone hovers.
  show('left', Math.floor(data.left.width / 2), Math.floor(data.left.height / 2));
}
