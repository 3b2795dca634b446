"""A client generated from ``openapi.yaml`` with some of Parley's template overrides, for tests.

``scripts/regenerate`` uses every override that ``generator-templates/build_templates.py``
builds; a test that shows what one of them does generates a client without it, into a
temporary folder, with the same pinned generator and ``generator-config.yml``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate_client(package: Path, *, templates: Collection[str]) -> Path:
    """Generates the client package ``package`` (a folder) from ``openapi.yaml``.

    Args:
        package: The package folder to write, such as ``tmp/parley_client``.
        templates: The overrides to use, by template name (``model.py.jinja``,
            ``endpoint_module.py.jinja``, ``types.py.jinja``); empty for the plain generator.

    Returns:
        ``package``.

    Raises:
        subprocess.CalledProcessError: The build step or the generator failed.
    """
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as work:
        built = Path(work) / "templates"
        script = ROOT / "generator-templates" / "build_templates.py"
        subprocess.run([sys.executable, str(script), str(built)], check=True, capture_output=True)
        for path in built.iterdir():
            if path.name not in templates:
                path.unlink()
        command = [str(bin_dir / "openapi-python-client"), "generate", "--path", "openapi.yaml"]
        command += ["--config", "generator-config.yml", "--meta", "none"]
        command += ["--output-path", str(package)]
        if templates:
            command += ["--custom-template-path", str(built)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=180)
    return package
