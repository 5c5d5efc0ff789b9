"""The end-to-end demo behind ``make demo``.

Not yet available: it lands with the synthetic dataset, the weights-free mask
builder and the training configs (see the issue tracker). Until then it says
so and exits with status 0 so that ``make demo`` is always a valid command.
"""
import argparse
import sys


def main():
    argparse.ArgumentParser(description=__doc__.split('\n')[0]).parse_args()
    print('mmddl demo: not yet available. It will generate a synthetic '
          'dataset, build its masks, train C3DSU + DDL and print the AUCs. '
          'Meanwhile: `make test`.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
