"""``python -m parley_spec.annotations``: prints CONTRIBUTING.md's table of the vocabulary."""

from . import vocabulary_table

print(vocabulary_table())
