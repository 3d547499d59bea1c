"""``python -m ipyreport`` runs the command line."""

import sys

from ipyreport.cli import main

if __name__ == "__main__":
    sys.exit(main())
