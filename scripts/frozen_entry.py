"""The frozen app's entry point (``build.spec`` builds the executable from it).

It only hands over to :func:`logbook.app.main`, so the frozen app, ``uv run logbook`` and an
installed ``logbook`` command start the same way (``--smoke-test`` included).
"""

import sys

from logbook.app import main

if __name__ == "__main__":
    sys.exit(main())
