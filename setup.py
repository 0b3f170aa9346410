"""Package discovery that pyproject.toml cannot express on its own.

Data folders (each area's templates, static files, fonts, the demo) are namespace
packages so that every file in them is shipped. Everything else is declared in
pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

DATA_FILES = [
    *("*.html", "*.json", "*.css", "*.js", "*.svg", "*.mako", "*.ttf", "*.txt", "*.png"),
    *("*.pdf", "*.xlsx"),  # the demo's documents
]

setup(
    packages=find_namespace_packages(include=["rfp", "rfp.*"]),
    package_data={"": DATA_FILES},
)
