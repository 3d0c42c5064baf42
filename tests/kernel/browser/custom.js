// Loaded by the classic Notebook (JUPYTER_CONFIG_DIR/custom/custom.js) in test_browser.py: runs every
// cell as a user pressing "Run All" would, waits until each has its prompt number, records what the
// page rendered (images that loaded, error outputs) in the notebook's metadata, and saves it.
require(['base/js/namespace', 'base/js/events'], function (Jupyter, events) {
    function runAll() {
        var notebook = Jupyter.notebook;
        notebook.execute_all_cells();
        var timer = setInterval(function () {
            var cells = notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
            var finished = cells.every(function (c) {
                return typeof c.input_prompt_number === 'number';
            });
            if (!finished) return;
            clearInterval(timer);
            var images = Array.prototype.slice.call(document.querySelectorAll('.output_subarea img'));
            notebook.metadata.browser_check = {
                images: images.length,
                loaded: images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length,
                errors: document.querySelectorAll('.output_error').length,
                user_agent: navigator.userAgent,
            };
            notebook.save_notebook();
        }, 250);
    }
    if (Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()) runAll();
    else events.one('kernel_ready.Kernel', runAll);
});
