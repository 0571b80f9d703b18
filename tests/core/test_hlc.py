"""Property tests for the hybrid logical clock (core/sync/hlc.py)."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.errors import OrchardError
from core.sync.hlc import (
    COUNTER_DIGITS,
    COUNTER_MAX,
    DEFAULT_MAX_DRIFT_MS,
    MAX_NODE_LEN,
    WALL_DIGITS,
    WALL_MAX,
    ClockDriftError,
    HybridClock,
    Timestamp,
    receive,
    tick,
)

# Leave head-room below WALL_MAX so long runs of ticks never exhaust the encoding.
HEADROOM = 10**9
NODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF-_.:é店"

nodes = st.text(alphabet=NODE_ALPHABET, min_size=1, max_size=MAX_NODE_LEN)
walls = st.integers(min_value=0, max_value=WALL_MAX - HEADROOM)
counters = st.integers(min_value=0, max_value=COUNTER_MAX)
# Physical readings: anything from "before 1970" to far future, so sequences contain
# huge backward (and forward) steps.
physical = st.integers(min_value=-(10**13), max_value=WALL_MAX - HEADROOM)
timestamps = st.builds(Timestamp, walls, counters, nodes)
drifts = st.integers(min_value=0, max_value=10**9)


def key(ts: Timestamp) -> tuple[int, int]:
    return (ts.wall_ms, ts.counter)


# --- tick ------------------------------------------------------------------------


@given(st.lists(physical, min_size=1, max_size=60), nodes, st.none() | timestamps)
def test_ticks_strictly_increase_and_encodings_sort(times, node, seed):
    last = seed
    for now in times:
        ts = tick(last, now, node)
        if last is not None:
            assert key(ts) > key(last)
            assert ts > last  # (wall, counter) dominates, whatever the seed's node
            assert ts.encode() > last.encode()
        last = ts


@given(st.lists(physical, min_size=2, max_size=60), nodes)
def test_encoded_ticks_are_lexicographically_increasing(times, node):
    last = None
    encoded = []
    for now in times:
        last = tick(last, now, node)
        encoded.append(last.encode())
    assert all(a < b for a, b in zip(encoded, encoded[1:]))
    assert sorted(encoded) == encoded


@given(st.lists(physical, min_size=1, max_size=60), nodes)
def test_stamp_never_lags_physical_time(times, node):
    last = None
    for now in times:
        last = tick(last, now, node)
        assert last.wall_ms >= now
        assert last.node == node


@given(physical, nodes)
def test_first_tick_is_physical_time(now, node):
    ts = tick(None, now, node)
    assert ts == Timestamp(max(now, 0), 0, node)


@given(walls, nodes)
def test_counter_overflow_borrows_next_millisecond(wall, node):
    last = Timestamp(wall, COUNTER_MAX, node)
    ts = tick(last, wall, node)
    assert ts == Timestamp(wall + 1, 0, node)
    assert ts > last and ts.encode() > last.encode()
    assert len(ts.encode()) == len(last.encode())


def test_counter_overflow_in_receive():
    last = Timestamp(1_000, COUNTER_MAX, "a")
    remote = Timestamp(1_000, COUNTER_MAX - 1, "b")
    ts = receive(last, remote, 500, "a")
    assert ts == Timestamp(1_001, 0, "a")


def test_tick_refuses_to_leave_the_encoding():
    with pytest.raises(ValueError):
        tick(Timestamp(WALL_MAX, COUNTER_MAX, "a"), 0, "a")
    with pytest.raises(ValueError):
        tick(None, WALL_MAX + 1, "a")


# --- receive ---------------------------------------------------------------------


@given(
    st.none() | timestamps,
    timestamps,
    st.integers(min_value=0, max_value=10**12),
    drifts,
    nodes,
    st.lists(physical, max_size=20),
)
def test_receive_exceeds_last_and_remote(last, remote, slack, max_drift, node, later):
    # Physical time anywhere from "remote is exactly at the drift limit" to far later.
    now = max(0, remote.wall_ms - max_drift) + slack
    assume(now <= WALL_MAX - HEADROOM)
    ts = receive(last, remote, now, node, max_drift_ms=max_drift)
    assert ts.node == node
    assert key(ts) > key(remote)
    if last is not None:
        assert key(ts) > key(last)
    assert ts.wall_ms >= now
    for t in later:
        nxt = tick(ts, t, node)
        assert key(nxt) > key(ts) > key(remote)
        ts = nxt


@given(st.none() | timestamps, walls, counters, nodes, drifts, st.integers(1, 10**12), nodes)
def test_drift_beyond_max_raises(last, now, r_counter, r_node, max_drift, excess, node):
    r_wall = now + max_drift + excess
    assume(r_wall <= WALL_MAX)
    remote = Timestamp(r_wall, r_counter, r_node)
    with pytest.raises(ClockDriftError) as info:
        receive(last, remote, now, node, max_drift_ms=max_drift)
    err = info.value
    assert isinstance(err, OrchardError)
    assert err.ahead_ms == max_drift + excess
    # Only the amount varies: no node id, no stamp, nothing else from the remote.
    assert re.fullmatch(r"a remote clock is \d+ m?s ahead of this one; refusing the change", str(err))


@given(walls, counters, nodes, st.integers(0, DEFAULT_MAX_DRIFT_MS))
def test_drift_within_default_max_is_accepted(now, r_counter, r_node, ahead):
    remote = Timestamp(now + ahead, r_counter, r_node)
    ts = receive(None, remote, now, "local")
    assert key(ts) > key(remote)


def test_drift_message_matches_house_style():
    remote = Timestamp(1_000_000 + 742_000, 0, "store-42")
    with pytest.raises(ClockDriftError, match=r"^a remote clock is 742 s ahead of this one; refusing the change$"):
        receive(None, remote, 1_000_000, "hq")


def test_receive_with_equal_walls_takes_max_counter():
    last = Timestamp(5_000, 3, "a")
    remote = Timestamp(5_000, 9, "b")
    assert receive(last, remote, 4_000, "a") == Timestamp(5_000, 10, "a")
    assert receive(remote, last, 4_000, "a") == Timestamp(5_000, 10, "a")
    # physical time ahead of both resets the counter
    assert receive(last, remote, 6_000, "a") == Timestamp(6_000, 0, "a")


# --- encoding ----------------------------------------------------------------------


@given(timestamps)
def test_encode_decode_round_trip(ts):
    text = ts.encode()
    assert Timestamp.decode(text) == ts
    assert text[:WALL_DIGITS].isdigit() and len(text) == WALL_DIGITS + COUNTER_DIGITS + 2 + len(ts.node)


@given(timestamps, timestamps)
def test_encoding_order_equals_tuple_order(a, b):
    assert (a < b) == (a.encode() < b.encode())
    assert (a == b) == (a.encode() == b.encode())


@given(st.text(max_size=40))
def test_decode_arbitrary_text_round_trips_or_raises_value_error(text):
    try:
        ts = Timestamp.decode(text)
    except ValueError:
        return
    assert ts.encode() == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "000000000001000-000001",  # no node
        "000000000001000-000001-",  # empty node
        "1000-1-node",  # not fixed width
        "0000000000010000-000001-node",  # wall too wide
        "000000000001000-0000001-node",  # counter too wide
        "000000000001000_000001_node",  # wrong separators
        "-00000000001000-000001-node",  # sign
        "000000000001000-000001-no de",  # whitespace in node
        "000000000001000-000001-node\n",  # trailing newline
        "00000000000１000-000001-node",  # non-ASCII digit
        "000000000001000-000001-" + "x" * (MAX_NODE_LEN + 1),  # node too long
    ],
)
def test_decode_rejects_malformed(text):
    with pytest.raises(ValueError):
        Timestamp.decode(text)


def test_decode_rejects_non_str():
    with pytest.raises(ValueError):
        Timestamp.decode(b"000000000001000-000001-node")  # type: ignore[arg-type]


def test_nodes_with_separator_round_trip():
    ts = Timestamp(1_700_000_000_000, 7, "store-0042-a")
    assert ts.encode() == "001700000000000-000007-store-0042-a"
    assert Timestamp.decode(ts.encode()) == ts


@pytest.mark.parametrize(
    "args",
    [(-1, 0, "a"), (WALL_MAX + 1, 0, "a"), (0, -1, "a"), (0, COUNTER_MAX + 1, "a"), (0, 0, ""), (0, 0, "a b")],
)
def test_timestamp_rejects_out_of_range(args):
    with pytest.raises(ValueError):
        Timestamp(*args)


def test_timestamp_rejects_wrong_types():
    with pytest.raises(TypeError):
        Timestamp(1.5, 0, "a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Timestamp(True, 0, "a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Timestamp(0, 0, 7)  # type: ignore[arg-type]


# --- HybridClock -------------------------------------------------------------------


def scripted_wall(readings):
    it = iter(readings)
    return lambda: next(it)


@given(st.lists(physical, min_size=1, max_size=60), nodes)
def test_clock_with_backward_steps_is_strictly_increasing(readings, node):
    clock = HybridClock(node, wall=scripted_wall(readings))
    assert clock.last is None
    stamps = [clock.now() for _ in readings]
    assert all(a < b for a, b in zip(stamps, stamps[1:]))
    assert all(s.wall_ms >= r for s, r in zip(stamps, readings))
    assert clock.last == stamps[-1]


@given(
    st.lists(physical, min_size=1, max_size=30),
    st.lists(physical, min_size=1, max_size=30),
    nodes,
)
def test_clock_seeded_from_persisted_state_continues_above_it(before, after, node):
    first = HybridClock(node, wall=scripted_wall(before))
    for _ in before:
        first.now()
    persisted = first.last.encode()  # what the app writes to its database

    # "Restart": a new process whose physical clock may now be far behind.
    second = HybridClock(node, wall=scripted_wall(after), last=Timestamp.decode(persisted))
    prev = second.last
    for _ in after:
        ts = second.now()
        assert ts > prev and ts.encode() > persisted
        prev = ts


@given(timestamps, st.lists(physical, min_size=1, max_size=10), nodes)
def test_clock_update_then_now_stays_above_remote(remote, readings, node):
    readings = [remote.wall_ms] + readings  # the update happens "now", within drift
    clock = HybridClock(node, wall=scripted_wall(readings))
    merged = clock.update(remote)
    assert key(merged) > key(remote)
    for _ in readings[1:]:
        assert key(clock.now()) > key(merged)


def test_clock_update_with_drift_leaves_clock_unchanged():
    clock = HybridClock("hq", wall=lambda: 1_000_000, max_drift_ms=1_000)
    before = clock.now()
    with pytest.raises(ClockDriftError):
        clock.update(Timestamp(1_000_000 + 1_001, 0, "s1"))
    assert clock.last == before
    assert clock.update(Timestamp(1_000_000 + 1_000, 0, "s1")) == Timestamp(1_001_000, 1, "hq")


def test_clock_reads_the_clock_seam_by_default():
    from datetime import datetime, timezone

    from core import clock
    with clock.pinned(datetime(2028, 2, 29, 12, tzinfo=timezone.utc)):
        assert HybridClock("n1").now() == Timestamp(1_835_438_400_000, 0, "n1")


def test_clock_is_thread_safe():
    clock = HybridClock("n1", wall=lambda: 42)  # frozen wall: only the counter moves
    results: list[Timestamp] = []
    lock = threading.Lock()

    def work():
        local = [clock.now() for _ in range(500)]
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 8 * 500
    assert clock.last == max(results) == Timestamp(42, 8 * 500 - 1, "n1")


def test_clock_rejects_bad_arguments():
    with pytest.raises(ValueError):
        HybridClock("")
    with pytest.raises(TypeError):
        HybridClock("n1", last="001-1-x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HybridClock("n1", max_drift_ms=-1)
