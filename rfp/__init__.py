"""rfp: vendor selection and RFP scoring for customer-service outsourcing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application factory: configuration, extensions, blueprints, error pages."""
    from flask import Flask

    from rfp.core.config import instance_path, load_config

    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        instance_relative_config=False,
    )
    app.config.update(load_config(test_config))
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security(app)
    return app


def register_extensions(app: Flask) -> None:
    from rfp.core import redaction
    from rfp.core.extensions import csrf, init_database, init_jobs, login_manager
    from rfp.core.finite_json import FiniteJSONProvider
    from rfp.core.result_cache import init_result_cache

    app.json = FiniteJSONProvider(app)
    redaction.install()
    database = init_database(app)
    init_jobs(app, database)
    init_result_cache(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    from rfp.core.throttle import init_limiter

    init_limiter(app)


def register_blueprints(app: Flask) -> None:
    from rfp.areas import register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    from rfp.core.errors import register_errorhandlers as register_handlers

    register_handlers(app)

    from rfp.core.unit_of_work import register_refusal_handler

    register_refusal_handler(app)


def register_template_helpers(app: Flask) -> None:
    from rfp.core.templating import register_filters

    register_filters(app)


def register_security(app: Flask) -> None:
    from rfp.core.security import register_address_check, register_security_headers

    register_security_headers(app)
    register_address_check(app)
