"""Property-based tests: no input a user can type or commit makes platctl crash.

Each property says: the function returns a value of the right shape, or raises
one of platctl's own errors with a one-line message. Anything else (a
traceback) is a defect.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platctl.errors import PlatctlError
from support import REPO_ROOT

MINIMAL = REPO_ROOT / "tests/fixtures/templates/minimal"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one_line(error: PlatctlError) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message


@SETTINGS
@given(st.text(max_size=80))
def test_service_names(name: str) -> None:
    from platctl.scaffold.answers import DNS_LABEL, check_service_name, suggest_service_name

    try:
        check_service_name(name)
    except PlatctlError as error:
        one_line(error)
        assert not DNS_LABEL.match(name)
    else:
        assert DNS_LABEL.match(name)
    suggestion = suggest_service_name(name)
    assert suggestion == "" or DNS_LABEL.match(suggestion)


@SETTINGS
@given(st.lists(st.text(max_size=30), max_size=6))
def test_set_options(pairs: list[str]) -> None:
    from platctl.cli.options import parse_set_options

    try:
        values = parse_set_options(pairs)
    except PlatctlError as error:
        one_line(error)
    else:
        assert all(isinstance(k, str) and k for k in values)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["owner", "flavour", "port", "service_name", "other"]), st.text(max_size=20)))
def test_answers_against_a_template(values: dict[str, str]) -> None:
    from platctl.scaffold.answers import resolve_answers
    from platctl.scaffold.catalog import load_template_dir

    golden_path = load_template_dir(MINIMAL, str(MINIMAL))
    try:
        answers = resolve_answers(golden_path, values)
    except PlatctlError as error:
        one_line(error)
    else:
        assert set(answers) == {"service_name", "owner", "flavour", "port"}
        assert 1024 <= int(answers["port"]) <= 65535


YAMLISH = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.sampled_from(
        [
            b"a: &a [1, 2]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",  # alias fan-out
            b"\xef\xbb\xbfowner: team-a\r\nport: 9000\r\n",  # BOM and CRLF
            b"owner: !!python/object/apply:os.system ['true']\n",  # unsafe tag
            b"- just\n- a list\n",
            b"owner: {nested: map}\n",
            b"golden_path: {source: x}\nanswers: [1]\n",
            b"golden_path: 7\n",
            b"\x00\x01\x02",
            b"owner: team-a\nowner: team-b\n",
        ]
    ),
)


@SETTINGS
@given(YAMLISH)
def test_answers_files(data: bytes) -> None:
    from platctl.scaffold.answers import load_answers_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.yaml"
        path.write_bytes(data)
        try:
            answers = load_answers_file(path)
        except PlatctlError as error:
            one_line(error)
        else:
            assert isinstance(answers, dict)
            assert not any(isinstance(v, (dict, list)) for v in answers.values())


@SETTINGS
@given(YAMLISH)
def test_records(data: bytes) -> None:
    from platctl.scaffold.record import read_record

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".platctl.yaml").write_bytes(data)
        try:
            record = read_record(Path(tmp))
        except PlatctlError as error:
            one_line(error)
        else:
            assert record.source and isinstance(record.answers, dict)


# -- doctor configuration: policy files and the doctor: section with its waivers --------------------------

RULE_NAMES = st.sampled_from(["CI002", "ci002", "actions-pinned", "CI", "ALL", "NOPE9", "", "SEC001", "GP005"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=12), RULE_NAMES,
                    st.dates().map(str), st.just("2000-01-01"), st.just("2999-12-31"))
WAIVERS = st.lists(
    st.dictionaries(st.sampled_from(["rule", "path", "reason", "expires", "extra"]), SCALARS, max_size=5), max_size=3
)
SECTIONS = st.dictionaries(
    st.sampled_from(
        ["select", "extend_select", "ignore", "severity", "per_path_ignores", "waivers", "options", "bogus"]
    ),
    st.one_of(
        SCALARS,
        st.lists(RULE_NAMES, max_size=3),
        WAIVERS,
        st.dictionaries(RULE_NAMES, st.sampled_from(["error", "warning", "info", "fatal", 3]), max_size=2),
    ),
    max_size=4,
)
POLICIES = st.one_of(
    SECTIONS,
    SECTIONS.map(lambda s: {**s, "allow_ignore": False, "locked": ["SEC", "CI002"]}),
    st.fixed_dictionaries(
        {
            "rules": st.lists(
                st.dictionaries(
                    st.sampled_from(["code", "type", "severity", "message", "path", "pattern", "rationale"]),
                    SCALARS,
                    max_size=7,
                ),
                max_size=2,
            )
        }
    ),
)


def _doctor_on(tmp: Path, record_section: object, policy: object | None) -> None:
    import yaml

    from platctl.doctor.api import DoctorOptions, run_doctor

    (tmp / ".platctl.yaml").write_text(
        yaml.safe_dump(
            {
                "golden_path": {"name": "python-service", "source": "bundled:python-service", "version": "1.0.0"},
                "answers": {},
                "doctor": record_section,
            }
        )
    )
    (tmp / "SECURITY.md").write_text("# Security\n")
    policy_file = None
    if policy is not None:
        policy_file = tmp / "policy.yaml"
        policy_file.write_text(yaml.safe_dump(policy))
    try:
        report = run_doctor([tmp], DoctorOptions(policy=policy_file))
    except PlatctlError as error:
        one_line(error)
    else:
        assert all(f.rule and f.path is not None for f in report.findings)


@SETTINGS
@given(SECTIONS)
def test_doctor_sections_and_waivers(section: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _doctor_on(Path(tmp), section, None)


@SETTINGS
@given(POLICIES, SECTIONS)
def test_policy_files(policy: dict[str, object], section: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _doctor_on(Path(tmp), section, policy)
