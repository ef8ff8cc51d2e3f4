"""The extraction cache: stored mentions come back for unchanged texts under the same model only."""

from __future__ import annotations

from paperkg.extract.cache import ExtractionCache, model_identity, text_hash
from paperkg.extract.records import Mention, Paper


def _mention(paper: Paper, start: int, end: int, type_: str = "METHOD") -> Mention:
    text = paper.abstract[start:end]
    return Mention(paper.id, "abstract", start, end, text, type_, 0.75, paper.abstract, text, text, "model")


def _store(tmp_path, model="m1"):
    a = Paper("a", "Title A", "We train BERT on SQuAD.")
    b = Paper("b", "Title B", "Nothing to see here.")
    path = tmp_path / "graph.sqlite"
    with ExtractionCache.create(path, model) as cache:
        cache.add(a, [_mention(a, 9, 13), _mention(a, 17, 22, "DATASET")])
        cache.add(b, [])
    return path, a, b


def test_unchanged_texts_come_back_in_order_with_every_field(tmp_path):
    path, a, b = _store(tmp_path)
    found = ExtractionCache.lookup(path, "m1", [a, b])
    assert found == {"a": [_mention(a, 9, 13), _mention(a, 17, 22, "DATASET")], "b": []}
    assert [m.rule for m in found["a"]] == ["model", "model"]


def test_a_changed_text_or_model_is_a_miss(tmp_path):
    path, a, b = _store(tmp_path)
    edited = Paper("a", "Title A", "We train BERT on SQuAD 2.0.")
    assert ExtractionCache.lookup(path, "m1", [edited, b]) == {"b": []}
    assert ExtractionCache.lookup(path, "m2", [a, b]) == {}


def test_the_same_text_under_another_id_takes_the_new_id(tmp_path):
    path, a, _ = _store(tmp_path)
    moved = Paper("z", a.title, a.abstract)
    assert [m.paper_id for m in ExtractionCache.lookup(path, "m1", [moved])["z"]] == ["z", "z"]


def test_a_missing_or_corrupt_store_is_an_empty_cache(tmp_path):
    a = Paper("a", "T", "x")
    assert ExtractionCache.lookup(tmp_path / "none.sqlite", "m1", [a]) == {}
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert ExtractionCache.lookup(junk, "m1", [a]) == {}


def test_text_hash_reads_title_and_abstract_only():
    a = Paper("a", "T", "x", date="2024-01-01")
    assert text_hash(a) == text_hash(Paper("b", "T", "x"))
    assert text_hash(a) != text_hash(Paper("a", "T", "y"))
    assert text_hash(Paper("a", "ab", "c")) != text_hash(Paper("a", "a", "bc"))


def test_model_identity_changes_with_any_file_and_with_min_score(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "weights.bin").write_bytes(b"1")
    first = model_identity(tmp_path / "m", min_score=None, version="1")
    assert first == model_identity(tmp_path / "m", min_score=None, version="1")
    assert first != model_identity(tmp_path / "m", min_score=0.5, version="1")
    assert first != model_identity(tmp_path / "m", min_score=None, version="2")
    (tmp_path / "m" / "weights.bin").write_bytes(b"2")
    assert first != model_identity(tmp_path / "m", min_score=None, version="1")


def test_model_identity_changes_with_the_extraction_code(monkeypatch, tmp_path):
    import paperkg.extract.cache as cache

    (tmp_path / "m").mkdir()
    first = model_identity(tmp_path / "m", min_score=None, version="1")
    assert f"code={cache.code_digest()}" in first
    # the same version number with other extraction code (a changed decoding) is another extractor
    monkeypatch.setattr(cache, "code_digest", lambda: "0" * 32)
    assert first != model_identity(tmp_path / "m", min_score=None, version="1")


def test_code_digest_covers_the_extraction_code_not_the_readers(monkeypatch, tmp_path):
    import paperkg.extract.cache as cache

    root = tmp_path / "extract"
    for name in ("cache.py", "ner/encoder.py", "read/arxiv.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x = 1\n")
    monkeypatch.setattr(cache, "__file__", str(root / "cache.py"))
    cache.code_digest.cache_clear()
    try:
        first = cache.code_digest()
        (root / "read" / "arxiv.py").write_text("x = 2\n")
        cache.code_digest.cache_clear()
        assert cache.code_digest() == first
        (root / "ner" / "encoder.py").write_text("x = 2\n")
        cache.code_digest.cache_clear()
        assert cache.code_digest() != first
    finally:
        monkeypatch.undo()
        cache.code_digest.cache_clear()
