# mmddl: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python
PYTEST_ARGS ?=

.PHONY: install test demo help

help:
	@echo "make demo   install if needed, then run the end-to-end demo"
	@echo "make test   install if needed, then run the whole test suite"
	@echo "make install   install mmddl and its dependencies (idempotent)"

install:
	PYTHON=$(PYTHON) bash tools/misc/install_deps.sh

test: install
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)

demo: install
	$(PYTHON) tools/demo.py
