"""Entry point of ./pry (see prylib/cli.py). Kept tiny so the launcher's
path to the package is the only thing that depends on where it lives."""
import os
import sys

# No __pycache__ in the source tree (it is not git-ignored, and the tree
# may be read-only in CI containers).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from prylib.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
