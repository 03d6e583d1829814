"""Cards and panels of one composed page share what they read (asn_portal.registry.shared, issue #13)."""

from types import SimpleNamespace

from asn_portal import registry


def test_a_shared_value_is_computed_once_per_holder_and_key() -> None:
    calls: list[str] = []

    def compute(name: str) -> list[str]:
        calls.append(name)
        return [name]

    first, second = SimpleNamespace(), SimpleNamespace()
    assert registry.shared(first, "predikat", lambda: compute("a")) == ["a"]
    assert registry.shared(first, "predikat", lambda: compute("b")) == ["a"]  # the first panel's read, not again
    assert registry.shared(first, "jp", lambda: compute("c")) == ["c"]
    assert registry.shared(second, "predikat", lambda: compute("d")) == ["d"]  # another request, another read
    assert calls == ["a", "c", "d"]


def test_timeline_rows_are_read_once_per_employee_and_each_caller_gets_its_own_list(monkeypatch) -> None:
    reads: list[int] = []

    def source(employee: object) -> list[dict[str, object]]:
        reads.append(1)
        return [{"date": 1, "kind": "x"}]

    monkeypatch.setattr(registry.registry, "timeline_sources", [source])
    emp = SimpleNamespace()
    rows = registry.timeline_rows(emp)
    rows.append({"date": 2})
    assert registry.timeline_rows(emp) == [{"date": 1, "kind": "x"}] and reads == [1]
