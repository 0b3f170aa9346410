"""Package discovery that pyproject.toml cannot express on its own.

The Jinja templates live at the top of the repository (`templates/`, as the design's
layout has it) and are installed inside the package as `rfp/templates`, so that a plain
`pip install .` serves them. Data folders (templates, static files, fonts, the demo)
are namespace packages so that every file in them is shipped. Everything else is
declared in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

DATA_FILES = ["*.html", "*.json", "*.css", "*.js", "*.svg", "*.mako", "*.ttf", "*.txt", "*.png"]

setup(
    packages=[
        *find_namespace_packages(include=["rfp", "rfp.*"], exclude=["rfp.templates*"]),
        "rfp.templates",
        *(f"rfp.templates.{name}" for name in find_namespace_packages(where="templates")),
    ],
    package_dir={"rfp.templates": "templates"},
    package_data={"": DATA_FILES},
)
