"""The 'Using zhibiao from Python' snippet of the README (readme_snippet.py) runs and prints what it says."""

import os
import subprocess
import sys
import unittest

import support

SNIPPET = os.path.join(support.HERE, "readme_snippet.py")
EXPECTED = """20 (1 of 2 towns reported)
100
3.64
{'A': Decimal('20'), 'B': Decimal('5')}
28
"""


class ReadmeSnippet(unittest.TestCase):
    def test_short(self):
        with open(SNIPPET, encoding="utf-8") as f:
            self.assertLessEqual(len(f.read().splitlines()), 15)

    def test_runs_from_the_repository_root(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = support.PYTHON_DIR + os.pathsep + env.get("PYTHONPATH", "")
        r = subprocess.run([sys.executable, SNIPPET], cwd=support.SOURCE_DIR, env=env, capture_output=True,
                           text=True, encoding="utf-8", timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, EXPECTED)


if __name__ == "__main__":
    unittest.main()
