from hypothesis import given, strategies as st

from pipeline.split import assign

ids = st.lists(st.text("abcdefgh-", min_size=1, max_size=10), unique=True, max_size=40)


@given(existing=ids, new=ids)
def test_split_is_a_partition_and_never_moves_a_document(existing, new):
    first = assign(existing, {})
    second = assign(existing + new, first)
    placed = [d for split in second.values() for d in split]
    assert sorted(placed) == sorted(set(existing + new))
    for split, members in first.items():
        assert set(members) <= set(second[split])
