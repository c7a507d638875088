"""nbgrader's ``CheckCellMetadata``, with its JSON schema compiled once.

nbgrader validates every cell's ``metadata.nbgrader`` with
``jsonschema.validate(metadata, schema)``, which first validates the schema
itself against the JSON-schema meta-schema: about a tenth of a second of CPU
per notebook, twice per submission (after sanitizing and after grading).
:class:`CheckCellMetadata` runs nbgrader's own validator unchanged but for
that call: the schema (nbgrader's file, read by nbgrader) is checked once per
process, and each cell is validated as ``jsonschema.validate`` does (the best
matching error is raised).
"""

import functools
import json
import traceback

import jsonschema
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, \
    SchemaTooOldError
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheckCellMetadata


@functools.lru_cache(maxsize=None)
def _compiled(schema_text: str):
    schema = json.loads(schema_text)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


class _CompiledSchema(BaseMetadataValidator):
    """The base validator's checks, with the schema compiled once."""

    def validate_cell(self, cell) -> None:
        if "nbgrader" not in cell.metadata:
            return
        meta = cell.metadata["nbgrader"]
        schema = meta.get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {schema} (expected "
                                    f"{self.schema_version})", schema, self.schema_version)
        if schema > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {schema} (expected "
                                    f"{self.schema_version})", schema, self.schema_version)
        validator = _compiled(json.dumps(self.schema, sort_keys=True))
        error = jsonschema.exceptions.best_match(validator.iter_errors(meta))
        if error is not None:
            raise error


class CompiledMetadataValidator(MetadataValidator, _CompiledSchema):
    """nbgrader's current metadata validator; its base checks use the compiled schema."""


class CheckCellMetadata(NbgraderCheckCellMetadata):
    """nbgrader's ``CheckCellMetadata`` (same checks, same errors), faster."""

    def preprocess(self, nb, resources):
        try:
            CompiledMetadataValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources
