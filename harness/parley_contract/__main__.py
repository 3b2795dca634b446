"""`python -m parley_contract [URL]`: the same as `parley contract-test [URL]`."""

from parley_contract.cli import contract_test

if __name__ == "__main__":
    contract_test()
