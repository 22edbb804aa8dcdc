"""benchmarks/generate.py: a generated content root is deterministic, complete, parseable and valid.

The generator is run as a subprocess (as `make bench` runs it) against the repository's own content;
the in-process tests load the module from its file to exercise the Turtle writer and the phase mix.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from airegister.rdf.namespaces import ADMS, AI, DEFAULT_BASE, DPV, EU_AIACT, TECH, Base

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "generate.py"
BASE = Base(DEFAULT_BASE)
N = 50

# predicate -> the scheme its values must belong to
SCHEME_OF = {
    ADMS.status: "phase",
    BASE.ns.aiClassification: "ai-watch",
    BASE.ns.geographicExtent: "extent",
    BASE.ns.interaction: "interaction",
    BASE.ns.expectedBenefit: "benefit",
    DPV.hasStatus: "assessment-status",
}
# namespaces whose IRIs must be described somewhere in the content root
DESCRIBED = (f"{BASE.iri}id/", str(AI), str(DPV), str(EU_AIACT))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=600, check=False
    )


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def content_graph(root: Path) -> Graph:
    """Everything a record may point to: schemes, charter, background vocabularies, organisations."""
    graph = Graph()
    for path in sorted(
        [*root.glob("ontology/**/*.ttl"), *root.glob("data/*.ttl"), *root.glob("data/vocabularies/*.ttl")]
    ):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "root"
    result = run(str(N), "--out", str(out), "--seed", "7", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("airegister_benchmarks_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_same_seed_gives_identical_bytes(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run(str(N), "--out", str(again), "--seed", "7", "--quiet")
    assert result.returncode == 0, result.stderr
    assert tree(again) == tree(generated)


def test_another_seed_gives_other_records(generated: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert run(str(N), "--out", str(other), "--seed", "8", "--quiet").returncode == 0
    first, second = tree(generated), tree(other)
    assert first.keys() == second.keys()
    generated_files = [k for k in first if k.startswith("data/projects/gen-")]
    assert sum(first[k] != second[k] for k in generated_files) > N * 0.9


def test_content_root_is_a_copy_plus_generated_files(generated: Path) -> None:
    for folder in ("ontology", "shapes", "data"):
        assert (generated / folder).is_dir()
        source = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and not p.name.startswith((".", "gen-")) and "__pycache__" not in p.parts
        }
        copied = {p.relative_to(generated).as_posix() for p in (generated / folder).rglob("*") if p.is_file()}
        assert source <= copied, f"not copied: {sorted(source - copied)}"
    names = sorted(p.name for p in (generated / "data" / "projects").glob("gen-*.ttl"))
    assert names == [f"gen-{n:06d}.ttl" for n in range(1, N + 1)]
    assert (generated / "data" / "organisations-generated.ttl").is_file()


def test_organisations_follow_the_contract(generated: Path) -> None:
    orgs = Graph().parse(generated / "data" / "organisations-generated.ttl", format="turtle")
    subjects = sorted(s for s in orgs.subjects(RDF.type, ORG.Organization) if isinstance(s, URIRef))
    assert len(subjects) == 5  # N / 20, at least 5
    levels = set(content_graph(generated).subjects(SKOS.inScheme, BASE.thing("level")))
    for org in subjects:
        assert str(org).startswith(f"{BASE.iri}id/organisation/gen-org-")
        assert {"fr", "nl"} <= languages(orgs, org, SKOS.prefLabel)
        assert orgs.value(org, ORG.classification) in levels
        assert (
            org,
            URIRef("http://purl.org/dc/terms/spatial"),
            URIRef("http://publications.europa.eu/resource/authority/country/BEL"),
        ) in orgs


def test_every_record_parses_and_uses_known_concepts(generated: Path) -> None:
    content = content_graph(generated)
    described = set(content.subjects())
    orgs = set(content.subjects(RDF.type, ORG.Organization))
    for path in sorted((generated / "data" / "projects").glob("gen-*.ttl")):
        record = Graph().parse(path, format="turtle")
        subject = BASE.thing("project", path.stem)
        assert (subject, URIRef("http://purl.org/dc/terms/identifier"), Literal(path.stem)) in record
        assert {BASE.ns.AIProject, URIRef("https://w3id.org/airo#AISystem")} <= set(record.objects(subject, RDF.type))
        assert "en" in languages(record, subject, URIRef("http://purl.org/dc/terms/title"))
        assert set(record.objects(subject, TECH.hasDeployer)) <= orgs
        assert len(set(record.objects(subject, TECH.hasDeployer))) == 1
        for _, pred, obj in record:
            if isinstance(obj, URIRef) and str(obj).startswith(DESCRIBED) and pred != TECH.hasDeployer:
                assert obj in described | set(record.subjects()), f"{path.name}: {obj} is described nowhere"
            scheme = SCHEME_OF.get(pred) if isinstance(pred, URIRef) else None
            if scheme:
                assert (obj, SKOS.inScheme, BASE.thing(scheme)) in content, f"{path.name}: {obj}"
            if pred == EU_AIACT.hasRiskLevel:
                assert obj in described


def test_zero_projects_is_a_plain_copy(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    result = run("0", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert {"ontology", "shapes", "data"} <= {p.name for p in out.iterdir()}
    assert not list(out.glob("data/projects/gen-*"))
    assert not (out / "data" / "organisations-generated.ttl").exists()


@pytest.mark.parametrize("bad", ["-3", "abc", "2.5"])
def test_bad_count_exits_with_a_clear_error(tmp_path: Path, bad: str) -> None:
    result = run(bad, "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "N must be" in result.stderr
    assert not (tmp_path / "x").exists()


def test_existing_output_needs_force(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "twice"
    assert run("3", "--out", str(out), "--quiet").returncode == 0
    refused = run("3", "--out", str(out), "--quiet")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert run("2", "--out", str(out), "--quiet", "--force").returncode == 0
    assert len(list(out.glob("data/projects/gen-*.ttl"))) == 2


def test_output_inside_the_source_is_refused(tmp_path: Path) -> None:
    result = run("1", "--out", str(ROOT / "data" / "generated-here"), "--quiet")
    assert result.returncode == 2 and "overlaps" in result.stderr
    assert not (ROOT / "data" / "generated-here").exists()


def test_writer_escapes_literals(generator: ModuleType) -> None:
    tricky = [
        'quote " and backslash \\ and \\n',
        "line\nbreak\r\ttab",
        "bell \x07 del \x7f",
        "accents éàüß « guillemets » „Anführung“ 中文 😀",
        'ends with a quote"',
        "",
    ]
    node = generator.Node([(RDF.type, [DPV.Assessment]), (URIRef("http://ex.org/p"), [Literal(t) for t in tricky])])
    record = generator.Record(
        BASE.thing("project", "gen-000001"),
        [
            (RDF.type, [BASE.ns.AIProject]),
            (URIRef("http://purl.org/dc/terms/title"), [Literal(t, lang="fr") for t in tricky]),
            (URIRef("http://ex.org/n"), [Literal("2021", datatype=XSD.gYear), Literal(True), Literal(False)]),
            (DPV.hasAssessment, [node, generator.Node([(RDF.type, [DPV.Assessment])])]),
        ],
        [generator.Record(URIRef(f"{BASE.thing('project', 'gen-000001')}#a"), [(RDF.type, [DPV.Assessment])])],
    )
    writer = generator.TurtleWriter(dict(generator._PREFIXES) | {str(BASE.ns): "ns"})
    data = writer.record(record)
    assert isomorphic(Graph().parse(data=data, format="turtle"), generator.record_graph(record))
    with pytest.raises(ValueError):
        writer.iri(URIRef("http://ex.org/a b"))


def test_records_look_like_the_register(generator: ModuleType, generated: Path) -> None:
    vocab = generator.load_vocabulary(generated)
    orgs = generator.make_organisations(50, "x", vocab)
    phases: Counter[str] = Counter()
    with_principles = 0
    for n in range(1, 2001):
        record = generator.make_project(n, "x", orgs, vocab)
        props = dict(record.props)
        phases[str(props[ADMS.status][0]).rsplit("/", 1)[-1]] += 1
        graph = generator.record_graph(record)  # every record converts to a graph
        assert BASE.ns.addressesPrinciple not in props  # profile 2: the build derives it
        assessments = set(graph.objects(record.subject, DPV.hasAssessment))
        with_principles += bool(assessments)
        for assessment in assessments:  # dated hash IRIs named after their principle and date (V14)
            principle = graph.value(assessment, DCTERMS.subject)
            date = graph.value(assessment, DCTERMS.date)
            assert str(assessment) == f"{record.subject}#assessment-{str(principle).rsplit('/', 1)[-1]}-{date}"
            assert str(graph.value(assessment, DPV.hasStatus)).startswith(f"{BASE.iri}id/assessment-status/")
    shares = {phase: count / 2000 for phase, count in phases.items()}
    assert abs(shares["production"] - 0.45) < 0.04
    assert abs(shares["pilot"] - 0.30) < 0.04
    assert abs(shares["development"] - 0.20) < 0.04
    assert 0.2 < with_principles / 2000 < 0.4


def test_generated_root_validates(tmp_path: Path) -> None:
    out = tmp_path / "valid"
    assert run("30", "--out", str(out), "--seed", "3", "--quiet").returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "airegister.cli", "validate", "--root", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_missing_scheme_is_named(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, source / folder)
    (source / "ontology" / "schemes" / "cofog.ttl").unlink()
    result = run("3", "--out", str(tmp_path / "out"), "--root", str(source))
    assert result.returncode == 2
    assert "id/cofog" in result.stderr and "ontology/schemes/cofog.ttl" in result.stderr
