"""The build hook: compile the message catalogs (`.po` to `.mo`) whenever the package is built.

Runs for a wheel, an sdist's build and an editable install (`pip install -e .`, which `make` uses), so a
fresh checkout needs nothing else before `make demo`. Everything else about the package is in pyproject.toml.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        from bot.i18n.catalogs import compile_catalogs

        compile_catalogs()
        # The package data was listed before the .mo files existed on a fresh checkout.
        self.__dict__.pop("data_files", None)
        super().run()


setup(cmdclass={"build_py": BuildPyWithCatalogs})
