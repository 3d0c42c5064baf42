"""#r "nuget: …" and #i "nuget: …" in the plain "C#" kernel (stylelab-csharp-plain: nothing preloaded).

tests/kernel/run.sh runs these against the kernel built from the checkout (a registry package);
tests/packages/run.sh runs them again against the kernel of the installed StyleLab.Cli tool, with
STYLELAB_LOCAL_FEED set to artifacts/packages, which adds StyleLab itself from the local feed.
Restore times are printed (pytest -s) for the record."""
import os
import re
import shutil
import tempfile
import time
import unittest

from test_behaviour import KernelSession, SessionTestCase

PLAIN = "stylelab-csharp-plain"
FEED = os.environ.get("STYLELAB_LOCAL_FEED")
VERSION = os.environ.get("STYLELAB_VERSION")


def private_package_cache():
    """A fresh restore cache for the kernel, with a nuget.config that keeps the packages it restores out
    of the user's NuGet folder (a stale StyleLab of the same version there would be used instead of the
    one just packed) while reading everything else in place from it."""
    root = tempfile.mkdtemp(prefix="stylelab-kernel-packages-")
    user = os.environ.get("STYLELAB_USER_PACKAGES") or os.environ.get("NUGET_PACKAGES") or os.path.expanduser("~/.nuget/packages")
    os.environ.pop("NUGET_PACKAGES", None)  # it would override the nuget.config below in the kernel's restores
    fallback = os.path.join(root, "fallback")
    os.makedirs(fallback)
    if os.path.isdir(user):
        for name in os.listdir(user):
            if not name.startswith("stylelab"):
                os.symlink(os.path.join(user, name), os.path.join(fallback, name))
    with open(os.path.join(root, "nuget.config"), "w") as f:
        f.write(f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="{root}/nuget-packages" /></config>
  <fallbackPackageFolders><add key="user" value="{fallback}" /></fallbackPackageFolders>
</configuration>
""")
    return root


class PackageTests(SessionTestCase):
    @classmethod
    def setUpClass(cls):
        cls.cache = private_package_cache()
        cls.k = KernelSession(cwd=cls.cache, env={"STYLELAB_PACKAGE_CACHE": cls.cache}, kernel_name=PLAIN)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.cache, ignore_errors=True)

    def run_cell(self, code, timeout=300):
        start = time.time()
        reply, outputs = self.k.execute(code, timeout=timeout)
        elapsed = time.time() - start
        text = "".join(m["content"].get("text", "") for _, m in outputs if m["msg_type"] == "stream")
        results = [m["content"]["data"]["text/plain"] for _, m in outputs if m["msg_type"] == "execute_result"]
        return reply["content"], text, results, elapsed

    def test_1_plain_kernel_has_nothing_of_stylelab(self):
        _, _, results, _ = self.run_cell(
            'AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name is "StyleLab" or "TorchSharp" or "StyleLab.Interactive")')
        self.assertEqual(results, ["0"])

    def test_2_registry_package_restores_once_and_loads(self):
        reply, text, results, first = self.run_cell(
            '#r "nuget: Humanizer.Core, 2.14.1"\nusing Humanizer;\n"restored_from_the_registry".Humanize()')
        self.assertEqual(reply["status"], "ok", (reply, text))
        self.assertIn("Restored Humanizer.Core 2.14.1", text)
        self.assertEqual([r.lower() for r in results], ["restored from the registry"])
        print(f"\n  restore: #r \"nuget: Humanizer.Core, 2.14.1\" (registry source; files already in the user's NuGet"
              f" cache, read through the fallback folder) cell took {first:.1f} s")

        # The same package again: no second restore, and it is still usable.
        reply, text, results, again = self.run_cell('#r "nuget: Humanizer.Core, 2.14.1"\n3.ToWords()')
        self.assertEqual(reply["status"], "ok", (reply, text))
        self.assertIn("already loaded", text)
        self.assertNotIn("Restoring", text)
        self.assertEqual(results, ["three"])
        self.assertLess(again, first)

        # A second version is refused, with the reason and what to do.
        reply, text, _, _ = self.run_cell('#r "nuget: Humanizer.Core, 2.13.14"\n1')
        self.assertEqual(reply["status"], "error")
        self.assertIn("2.14.1 is already loaded", reply["evalue"])
        self.assertIn("Restart the kernel", reply["evalue"])

    def test_3_unknown_package_reports_the_sdk_error(self):
        reply, text, _, _ = self.run_cell('#r "nuget: StyleLab.No.Such.Package.Anywhere, 1.0.0"\n1')
        self.assertEqual(reply["status"], "error")
        self.assertIn("could not restore", reply["evalue"])
        self.assertRegex(reply["evalue"], r"NU1101|Unable to find package")

    def test_1b_a_version_other_than_the_kernels_own_is_refused(self):
        # The kernel carries Humanizer 2.14 (Roslyn's completion uses it); 2.8 cannot join it.
        reply, _, _, _ = self.run_cell('#r "nuget: Humanizer.Core, 2.8.26"\n1')
        self.assertEqual(reply["status"], "error")
        self.assertIn("refused", reply["evalue"])
        self.assertIn("Humanizer 2.8.0.0 (this kernel has 2.14.0.0)", reply["evalue"])

    def test_4_missing_source_folder_is_named(self):
        reply, _, _, _ = self.run_cell('#i "nuget: no-such-feed-folder"\n1')
        self.assertEqual(reply["status"], "error")
        self.assertIn("no-such-feed-folder", reply["evalue"])
        self.assertIn("does not exist", reply["evalue"])

    @unittest.skipUnless(FEED and VERSION, "STYLELAB_LOCAL_FEED/STYLELAB_VERSION not set (tests/packages/run.sh sets them)")
    def test_5_stylelab_from_the_local_feed(self):
        reply, text, results, elapsed = self.run_cell(
            f'#i "nuget: {FEED}"\n#r "nuget: StyleLab, {VERSION}"\n'
            'using StyleLab.Runtime;\nusing TorchSharp;\n'
            'TorchRuntime.EnsureLoaded();\n'
            'var x = torch.arange(6f).reshape(2, 3);\n'
            '$"{ScalarQuarantine.Status}; sum={x.sum().item<float>()}; version={typeof(TorchRuntime).Assembly.GetName().Version}"',
            timeout=600)
        self.assertEqual(reply["status"], "ok", (reply, text))
        self.assertIn(f"Restored StyleLab {VERSION}", text)
        # The kernel's own copy of StyleLab (the same build) binds when versions agree; see DefaultContextLoader.
        self.assertEqual(results, [f"active; sum=15; version={VERSION}.0"])
        print(f"\n  restore: #r \"nuget: StyleLab, {VERSION}\" (local feed; TorchSharp and libtorch from the user's"
              f" NuGet cache) cell took {elapsed:.1f} s")
