from sfoqa.memo import Memo


def test_the_memo_keeps_what_was_used_most_recently_up_to_its_size():
    memo = Memo(size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "b" is now the least recently used
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)
    assert len(memo) == 2
    memo.put("a", 4)  # kept again under the same key: replaced, not added
    assert memo.get("a") == 4 and len(memo) == 2
    memo.clear()
    assert len(memo) == 0 and memo.get("a") is None
