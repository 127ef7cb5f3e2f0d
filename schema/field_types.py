"""What a field type means: one entry per type in `TYPES`, everything the generator knows.

Each `TypeInfo` holds, for one type of the whitelist: its spellings in a schema, how a
schema value (a default) is checked, which field options apply, and the code each layer of
a generated project prints for it — the Python annotation of the model, of a request and of
a response with the imports each needs, the SQLAlchemy column type, the type in the initial
migration, the zero value existing rows get, valid and invalid values for the generated
tests. Templates and `extensions/` look a type up here; adding a type is adding an entry
(and its name to the builder's list, builder/static/app.js, which a test compares).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .python_code import DT, Code, Import, py

if TYPE_CHECKING:
    from .project import ModelField

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
DEFAULT_STRING_LENGTH = 255
# A JSON number with an exponent (1e-05, 1e+308, as json.dump writes them): YAML 1.1, which
# reads Copier's --data-file, wants a dot and a signed exponent, so it leaves these strings.
EXPONENT_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][-+]?[0-9]+")


class FieldType(StrEnum):
    INT = "int"
    FLOAT = "float"
    STRING = "string"
    TEXT = "text"
    BOOL = "bool"
    DATETIME = "datetime"
    DATE = "date"
    DECIMAL = "decimal"
    ENUM = "enum"
    EMAIL = "email"

    @property
    def info(self) -> TypeInfo:
        return TYPES[self]

    @property
    def is_textual(self) -> bool:
        return LENGTH_OPTIONS <= self.info.options

    @property
    def is_numeric(self) -> bool:
        return BOUND_OPTIONS <= self.info.options


LENGTH_OPTIONS = frozenset({"min_length", "max_length"})
BOUND_OPTIONS = frozenset({"ge", "le"})
SQLALCHEMY = "sqlalchemy"


def _common(name: str) -> Code:
    """An annotation schemas/common.py defines."""
    return Code(name, (Import("schemas.common", name),))


@dataclass(frozen=True)
class TypeInfo:
    """Everything about one field type; the functions take the field (its options)."""

    type: FieldType
    spellings: tuple[str, ...]  # case-insensitive, in a schema
    coerce: Callable[[Any], Any]  # a schema value (a default) as Python; ValueError if not one
    zero: Any  # what a new required column holds in existing rows; the built-in admin's value
    python: Code  # the value in Python: models' Mapped[...]
    input: Code  # what a client sends: Create, Update, list filters
    output: Code  # what the API answers: Read
    column_type: Callable[[ModelField], Code | None]  # mapped_column's type, if not the map's
    sql_type: Callable[[ModelField], str]  # the column's type in the initial migration
    sample: Callable[[ModelField, str], Code]  # a valid value, distinct for each integer `n`
    invalid: Callable[[ModelField], str]  # a JSON value that must answer 422
    capacity: Callable[[ModelField], int | None]  # how many distinct samples, when few
    options: frozenset[str] = frozenset()  # which of min_length/max_length, ge/le apply
    default_max_length: int | None = None  # the longest value when max_length is not given
    # The input annotation's own bounds, replaced by the schema's when it gives ge or le
    # (the field is then the plain Python type with both bounds).
    bounds: tuple[Code, Code] | None = None
    # database.py's `type_annotation_map` entry (Python type -> column type), when
    # SQLAlchemy's own choice is not the one wanted.
    annotation_map: tuple[str, Code] | None = None
    # migrations/env.py: (SQLAlchemy type class, the value existing rows get) for a new
    # required column of this type; the value is an expression of `now`, the migration's time.
    migration_zero: tuple[str, str] | None = None
    # tests/test_migrations.py: a new required column of this type (its SQLAlchemy type in the
    # app's terms) and what existing rows must then hold (`{value}` is a row's value).
    migration_test: tuple[str, str] | None = None
    # schemas/common.py: how `input` is defined, when it is not a library's type.
    definition: Code | None = None
    # The JSON Schema of a value in the API (what the generated OpenAPI document says).
    json_schema: dict[str, Any] = field(default_factory=dict)
    # Annotations that depend on the field (an enum's class, a decimal's places): when given,
    # they replace `python`, `input` and `output` for that field.
    python_for: Callable[[ModelField], Code] | None = None
    input_for: Callable[[ModelField], Code] | None = None
    output_for: Callable[[ModelField], Code] | None = None
    # The zero of a field whose zero depends on it (an enum's first value).
    zero_for: Callable[[ModelField], Any] | None = None
    # Field(...) arguments of a request's annotation beyond lengths and bounds.
    input_constraints: Callable[[ModelField], list[str]] | None = None

    def zero_of(self, f: ModelField) -> Any:
        return self.zero_for(f) if self.zero_for else self.zero

    def python_code(self, f: ModelField) -> Code:
        return self.python_for(f) if self.python_for else self.python

    def input_code(self, f: ModelField) -> Code:
        return self.input_for(f) if self.input_for else self.input

    def output_code(self, f: ModelField) -> Code:
        return self.output_for(f) if self.output_for else self.output


# -- checking schema values ----------------------------------------------------------------


def _coerce_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not an integer")
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(f"{value} is outside the signed 64-bit range")
    return value


def _coerce_float(value: Any) -> float:
    if isinstance(value, str) and EXPONENT_NUMBER.fullmatch(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)


def _coerce_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    if "\x00" in value:
        raise ValueError("strings may not contain the NUL character")
    return value


def _coerce_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _coerce_datetime(value: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 datetime") from None
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is not a datetime")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _coerce_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is a datetime, not a date")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date") from None
    if not isinstance(value, dt.date):
        raise ValueError(f"{value!r} is not a date")
    return value


# -- values for the generated tests ---------------------------------------------------------

# More records than any test run makes: a range this wide needs no wrapping around.
UNBOUNDED = 10**9
# What the samples of dates count from: module-level names of tests/factories.py.
SAMPLE_CONSTANTS = {
    "FIRST_DAY": Code("FIRST_DAY = dt.date(2024, 1, 1)", (DT,)),
    "FIRST_MINUTE": Code("FIRST_MINUTE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)", (DT,)),
}


def _plus(low: float, expression: str) -> str:
    """`low + expression`, or the expression alone when low is zero."""
    return f"{low!r} + {expression}" if low else expression


def _int_sample(f: ModelField, n: str) -> Code:
    """Distinct ints inside [ge, le]: counting from the allowed value nearest 1."""
    low = INT64_MIN if f.ge is None else int(f.ge)
    high = INT64_MAX if f.le is None else int(f.le)
    start = min(max(1, low), high)
    if high - start >= UNBOUNDED:
        return Code(_plus(start, n))
    if start - low >= UNBOUNDED:
        return Code(f"{start} - {n}")
    span = high - low + 1
    return Code(_plus(low, f"{n} % {span}") if span > 1 else str(low))


def _float_window(ge: float | None, le: float | None) -> tuple[float, float]:
    """A finite stretch of [ge, le] to draw floats from: near 0, wide enough to tell apart."""
    low = -math.inf if ge is None else float(ge)
    high = math.inf if le is None else float(le)
    start = min(max(0.0, low), high)
    width = max(1000.0, abs(start) / 2)
    while True:
        if high - start >= width:
            window = (start, start + width)
        elif start - low >= width:
            window = (start - width, start)
        else:
            window = (low, high)
        if math.isfinite((window[1] - window[0]) * 1000):  # samples multiply it by < 997
            return window
        width /= 2  # near the largest float: a narrower stretch keeps samples finite


def _float_sample(f: ModelField, n: str) -> Code:
    low, high = _float_window(f.ge, f.le)
    if high == low:
        return Code(repr(low))
    return Code(_plus(low, f"{high - low!r} * ({n} % 997) / 997"))


def _text_sample(f: ModelField, n: str) -> Code:
    longest = f.value_max_length or 60
    shortest = max(f.min_length or 1, 1)
    # A username is stored lower-cased: its samples already are.
    prefix = f.name.lower() if f.is_username else f.name
    return Code(f"text_value({py(prefix)}, {n}, {shortest}, {longest})")


def _text_invalid(f: ModelField) -> str:
    if f.value_max_length is not None:
        return f'"x" * {f.value_max_length + 1}'
    return '"nul \\x00 byte"'


def _int_capacity(f: ModelField) -> int | None:
    if f.ge is not None and f.le is not None:
        return min(int(f.le) - int(f.ge) + 1, 1000)
    return None


def _text_capacity(f: ModelField) -> int | None:
    longest = f.value_max_length
    if longest is not None and longest < 4:
        return 36**longest if longest < 3 else 1000
    return None


def _no_column_type(f: ModelField) -> Code | None:
    return None


def _few(count: int | None) -> Callable[[ModelField], int | None]:
    return lambda f: count


DECIMAL_OPTIONS = frozenset({"max_digits", "decimal_places"})
DEFAULT_MAX_DIGITS = 12
DEFAULT_DECIMAL_PLACES = 2
ENUM_LENGTH = 64  # the longest value an enum may have
EMAIL_LENGTH = 254  # the longest address SMTP allows
ENUM_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
EMAIL_ADDRESS = re.compile(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f.]+")
_DECIMAL = Code("Decimal", (Import("decimal", "Decimal"),))
_FIXED_PLACES_DEFINITION = Code(
    '''def fixed_places(places: int) -> PlainSerializer:
    """A decimal written as a JSON string with exactly `places` places: "9.90"."""
    quantum = Decimal(1).scaleb(-places)
    return PlainSerializer(
        lambda value: str(value.quantize(quantum)), return_type=str, when_used="json"
    )''',
    (Import("decimal", "Decimal"), Import("pydantic", "PlainSerializer")),
)
_EMAIL_DEFINITION = Code(
    r"""def _as_email(value: str) -> str:
    address = value.strip().lower()
    if not EMAIL_ADDRESS.fullmatch(address):
        raise ValueError("is not an e-mail address")
    return address


# One @, a dot in the domain, no spaces or control characters.
EMAIL_ADDRESS = re.compile(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f.]+")
# An e-mail address, stored trimmed and lower-cased: " Ann@X.io" is "ann@x.io".
Email = Annotated[str, AfterValidator(_as_email)]""",
    (Import("re"), Import("typing", "Annotated"), Import("pydantic", "AfterValidator")),
)


def _coerce_decimal(value: Any) -> Decimal:
    if isinstance(value, str) and EXPONENT_NUMBER.fullmatch(value):
        value = float(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{value!r} is not a number")
    else:
        number = _decimal_from(value)
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _decimal_from(value: int | float | str) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"{value!r} is not a number") from None


def _coerce_email(value: Any) -> str:
    address = _coerce_str(value).strip().lower()
    if not EMAIL_ADDRESS.fullmatch(address):
        raise ValueError(f"{value!r} is not an e-mail address")
    return address


def _enum_class(f: ModelField) -> Code:
    """The StrEnum of an enum field, defined in its model's schemas module."""
    assert f.enum_class is not None and f.module is not None
    return Code(f.enum_class, (Import(f"schemas.{f.module}", f.enum_class),))


def _decimal_whole_numbers(f: ModelField) -> tuple[int, int]:
    """The whole numbers a decimal field allows: inside [ge, le] and its digits."""
    largest = 10 ** (f.digits - f.places) - 1
    low = -largest if f.ge is None else max(-largest, math.ceil(f.ge))
    high = largest if f.le is None else min(largest, math.floor(f.le))
    return low, high


def _decimal_sample(f: ModelField, n: str) -> Code:
    """Distinct whole numbers, as JSON strings: a decimal's input may be one."""
    low, high = _decimal_whole_numbers(f)
    if high < low:  # [ge, le] holds no whole number: its lower end
        exact = Decimal(str(f.ge)).quantize(Decimal(1).scaleb(-f.places), rounding="ROUND_UP")
        return Code(py(str(exact)))
    start = min(max(1, low), high)
    # Written as the API writes it: exactly `places` places.
    places = py("." + "0" * f.places) if f.places else None
    whole = f"str({_plus(start, f'{n} % {high - start + 1}')})"
    return Code(f"{whole} + {places}" if places else whole)


def _decimal_capacity(f: ModelField) -> int | None:
    low, high = _decimal_whole_numbers(f)
    return max(1, min(high - low + 1, 1000)) if high - low < 1000 else None


# -- the table ---------------------------------------------------------------------------------

_STR = Code("Str", (Import("schemas.common", "Str"),))
_STR_DEFINITION = Code(
    "# PostgreSQL refuses the NUL character in text, so no string may hold one.\n"
    'Str = Annotated[str, Field(pattern=r"^[^\\x00]*$")]',
    (Import("typing", "Annotated"), Import("pydantic", "Field")),
)
_TEXTUAL = dict(
    coerce=_coerce_str,
    zero="",
    python=Code("str"),
    input=_STR,
    output=Code("str"),
    sample=_text_sample,
    invalid=_text_invalid,
    capacity=_text_capacity,
    options=LENGTH_OPTIONS,
    migration_zero=("sa.String", '""'),
    definition=_STR_DEFINITION,
    json_schema={"type": "string"},
)

TYPES: dict[FieldType, TypeInfo] = {
    FieldType.INT: TypeInfo(
        FieldType.INT,
        spellings=("int", "integer"),
        coerce=_coerce_int,
        zero=0,
        python=Code("int"),
        input=_common("Int64"),
        output=Code("int"),
        column_type=_no_column_type,
        sql_type=lambda f: "BIG_INTEGER",
        sample=_int_sample,
        invalid=lambda f: str(INT64_MAX + 1) if f.le is None else str(int(f.le) + 1),
        capacity=_int_capacity,
        options=BOUND_OPTIONS,
        bounds=(
            Code("INT64_MIN", (Import("database", "INT64_MIN"),)),
            Code("INT64_MAX", (Import("database", "INT64_MAX"),)),
        ),
        # 64-bit integers everywhere; on SQLite the primary key must be INTEGER to autoincrement.
        annotation_map=(
            "int",
            Code(
                'BigInteger().with_variant(Integer(), "sqlite")',
                (Import(SQLALCHEMY, "BigInteger"), Import(SQLALCHEMY, "Integer")),
            ),
        ),
        migration_test=("sa.BigInteger()", "{value} == 0"),
        migration_zero=("sa.Integer", 'text("0")'),
        definition=Code(
            "Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]",
            (
                Import("typing", "Annotated"),
                Import("pydantic", "Field"),
                Import("database", "INT64_MIN"),
                Import("database", "INT64_MAX"),
            ),
        ),
        json_schema={"type": "integer"},
    ),
    FieldType.FLOAT: TypeInfo(
        FieldType.FLOAT,
        spellings=("float",),
        coerce=_coerce_float,
        zero=0.0,
        python=Code("float"),
        input=Code("FiniteFloat", (Import("pydantic", "FiniteFloat"),)),
        output=Code("float"),
        column_type=_no_column_type,
        sql_type=lambda f: "sa.Double()",
        sample=_float_sample,
        invalid=lambda f: '"not a number"',
        capacity=lambda f: 1 if f.ge is not None and f.ge == f.le else None,
        options=BOUND_OPTIONS,
        annotation_map=("float", Code("Double()", (Import(SQLALCHEMY, "Double"),))),
        migration_test=("sa.Double()", "{value} == 0"),
        migration_zero=("sa.Float", 'text("0")'),
        json_schema={"type": "number"},
    ),
    FieldType.STRING: TypeInfo(
        FieldType.STRING,
        spellings=("string", "str"),
        column_type=lambda f: Code(f"String({f.column_length})", (Import(SQLALCHEMY, "String"),)),
        sql_type=lambda f: f"sa.String(length={f.column_length})",
        default_max_length=DEFAULT_STRING_LENGTH,
        migration_test=("sa.String(40)", '{value} == ""'),
        **_TEXTUAL,  # type: ignore[arg-type]
    ),
    FieldType.TEXT: TypeInfo(
        FieldType.TEXT,
        spellings=("text",),
        column_type=lambda f: Code("Text", (Import(SQLALCHEMY, "Text"),)),
        sql_type=lambda f: "sa.Text()",
        migration_test=("sa.Text()", '{value} == ""'),
        **_TEXTUAL,  # type: ignore[arg-type]
    ),
    FieldType.BOOL: TypeInfo(
        FieldType.BOOL,
        spellings=("bool", "boolean"),
        coerce=_coerce_bool,
        zero=False,
        python=Code("bool"),
        input=Code("bool"),
        output=Code("bool"),
        column_type=_no_column_type,
        sql_type=lambda f: "sa.Boolean()",
        sample=lambda f, n: Code(f"{n} % 2 == 0"),
        invalid=lambda f: '"maybe"',
        capacity=_few(2),
        migration_test=("sa.Boolean()", "{value} is False"),
        migration_zero=("sa.Boolean", "sa.false()"),
        json_schema={"type": "boolean"},
    ),
    FieldType.DATETIME: TypeInfo(
        FieldType.DATETIME,
        spellings=("datetime",),
        coerce=_coerce_datetime,
        zero=dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        python=Code("dt.datetime", (DT,)),
        input=_common("UTCDateTime"),
        output=_common("UTCDateTime"),
        column_type=_no_column_type,
        sql_type=lambda f: "sa.DateTime(timezone=True)",
        sample=lambda f, n: Code(
            f"(FIRST_MINUTE + dt.timedelta(minutes={n})).isoformat()", (DT,), ("FIRST_MINUTE",)
        ),
        invalid=lambda f: '"not a date"',
        capacity=_few(None),
        annotation_map=("datetime", Code("UTCDateTime()")),  # database.py defines it
        migration_test=("database.UTCDateTime()", "isinstance({value}, dt.datetime)"),
        migration_zero=("sa.DateTime", 'now.isoformat(sep=" ", timespec="seconds")'),
        definition=Code(
            "def _as_utc(value: datetime) -> datetime:\n"
            "    if value.tzinfo is None:\n"
            "        return value.replace(tzinfo=UTC)\n"
            "    try:\n"
            "        return value.astimezone(UTC)\n"
            "    except OverflowError:  # 9999-12-31T23:59:59-01:00 is past the last year Python"
            " knows\n"
            '        raise ValueError("is out of range once converted to UTC") from None\n'
            "\n\n"
            "# Input without an offset is UTC; output always carries one: "
            "2024-05-01T12:00:00+00:00.\n"
            "UTCDateTime = Annotated[\n"
            "    datetime, AfterValidator(_as_utc), "
            'PlainSerializer(datetime.isoformat, when_used="json")\n'
            "]",
            (
                Import("typing", "Annotated"),
                Import("datetime", "UTC"),
                Import("datetime", "datetime"),
                Import("pydantic", "AfterValidator"),
                Import("pydantic", "PlainSerializer"),
            ),
        ),
        json_schema={"type": "string", "format": "date-time"},
    ),
    FieldType.DATE: TypeInfo(
        FieldType.DATE,
        spellings=("date",),
        coerce=_coerce_date,
        zero=dt.date(1970, 1, 1),
        python=Code("dt.date", (DT,)),
        input=Code("dt.date", (DT,)),
        output=Code("dt.date", (DT,)),
        column_type=_no_column_type,
        sql_type=lambda f: "sa.Date()",
        sample=lambda f, n: Code(
            f"(FIRST_DAY + dt.timedelta(days={n} % 3000)).isoformat()", (DT,), ("FIRST_DAY",)
        ),
        invalid=lambda f: '"not a date"',
        capacity=_few(None),
        migration_test=("sa.Date()", "isinstance({value}, dt.date)"),
        migration_zero=("sa.Date", "now.date().isoformat()"),
        json_schema={"type": "string", "format": "date"},
    ),
    FieldType.DECIMAL: TypeInfo(
        FieldType.DECIMAL,
        spellings=("decimal",),
        coerce=lambda value: _coerce_decimal(value),
        zero=Decimal(0),
        python=_DECIMAL,
        input=_DECIMAL,
        output=_DECIMAL,
        # JSON output is a string with exactly the field's places: "9.90".
        output_for=lambda f: Code(
            f"Annotated[Decimal, fixed_places({f.places})]",
            (
                *_DECIMAL.imports,
                Import("typing", "Annotated"),
                Import("schemas.common", "fixed_places"),
            ),
        ),
        input_constraints=lambda f: [f"max_digits={f.digits}", f"decimal_places={f.places}"],
        column_type=lambda f: Code(
            f"Numeric({f.digits}, {f.places})", (Import(SQLALCHEMY, "Numeric"),)
        ),
        sql_type=lambda f: f"sa.Numeric(precision={f.digits}, scale={f.places})",
        sample=_decimal_sample,
        invalid=lambda f: '"0.' + "1" * (f.places + 1) + '"',
        capacity=_decimal_capacity,
        options=BOUND_OPTIONS | DECIMAL_OPTIONS,
        migration_test=("sa.Numeric(12, 2)", "{value} == 0"),
        migration_zero=("sa.Numeric", 'text("0")'),
        definition=_FIXED_PLACES_DEFINITION,
        json_schema={"type": "string", "format": "decimal"},
    ),
    FieldType.ENUM: TypeInfo(
        FieldType.ENUM,
        spellings=("enum",),
        coerce=_coerce_str,
        zero="",
        zero_for=lambda f: f.values[0],
        python=Code("str"),
        input=Code("str"),
        output=Code("str"),
        python_for=lambda f: Code("str"),
        input_for=lambda f: _enum_class(f),
        output_for=lambda f: _enum_class(f),
        column_type=lambda f: Code(f"String({ENUM_LENGTH})", (Import(SQLALCHEMY, "String"),)),
        sql_type=lambda f: f"sa.String(length={ENUM_LENGTH})",
        sample=lambda f, n: Code(f"{py(list(f.values))}[{n} % {len(f.values)}]"),
        invalid=lambda f: '"not one of the values"',
        capacity=lambda f: len(f.values),
        options=frozenset({"values"}),
        migration_test=("sa.String(64)", '{value} == ""'),
        migration_zero=("sa.String", '""'),
        json_schema={"type": "string", "enum": []},
    ),
    FieldType.EMAIL: TypeInfo(
        FieldType.EMAIL,
        spellings=("email",),
        coerce=lambda value: _coerce_email(value),
        zero="",
        python=Code("str"),
        input=_common("Email"),
        output=Code("str"),
        column_type=lambda f: Code(f"String({f.column_length})", (Import(SQLALCHEMY, "String"),)),
        sql_type=lambda f: f"sa.String(length={f.column_length})",
        sample=lambda f, n: Code(f'f"user{{{n}}}@example.com"'),
        invalid=lambda f: '"not an address"',
        capacity=_few(None),
        options=LENGTH_OPTIONS,
        default_max_length=EMAIL_LENGTH,
        migration_test=("sa.String(254)", '{value} == ""'),
        migration_zero=("sa.String", '""'),
        definition=_EMAIL_DEFINITION,
        json_schema={"type": "string", "format": "email"},
    ),
}

ALIASES: dict[str, FieldType] = {
    spelling: info.type for info in TYPES.values() for spelling in info.spellings
}


def types_with(option: str) -> list[FieldType]:
    """The types a field option (min_length, ge, ...) applies to."""
    return [info.type for info in TYPES.values() if option in info.options]


def parse_type(spelling: str) -> FieldType:
    """A type from any of its case-insensitive spellings; ValueError for anything else."""
    try:
        return ALIASES[spelling.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown type {spelling!r}; expected one of: {allowed}") from None


def coerce_value(type_: FieldType, value: Any) -> Any:
    """A schema value (a default) as the Python value of `type_`; ValueError when it is not one."""
    if value is None:
        return None
    return TYPES[type_].coerce(value)


def zero_value(type_: FieldType) -> Any:
    """What a new required column without a default holds in existing rows."""
    return TYPES[type_].zero
