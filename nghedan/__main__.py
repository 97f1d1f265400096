"""`python -m nghedan …`: the `nghedan` console script (how `nghedan worker --processes N`
starts its sibling processes whatever the command was started as)."""

from nghedan.cli import main

main()
