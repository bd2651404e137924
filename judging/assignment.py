"""Assigning judges to entries: balanced, conflict-free, deterministic and calibratable.

Pure functions over ids: no ORM, no I/O.

Design (see ``assign``):

1. **Order.** Inputs are de-duplicated and sorted; entries are then visited in the order of
   a keyed hash of ``(seed, entry)``. Every tie between equally loaded judges is broken by
   a keyed hash of ``(seed, judge, load)``, i.e. a fresh pseudo-random permutation of the
   judges at each load level (a reshuffled round-robin). The seed is keyed with BLAKE2b and
   the per-pick hashes use the SplitMix64 finaliser. Nothing depends on the callers'
   ordering or on Python's per-process ``hash()`` salt; another seed gives another design.
2. **Spine.** Calibration (z-scores, the leniency model) can only compare judges whose
   co-occurrence graph is connected. When that is achievable, ``entries * (k - 1) >=
   judges - 1``, the first entries are laid out as a chain: each takes one judge already in
   the connected group plus ``k - 1`` judges not yet in it, so ``ceil((J - 1) / (k - 1))``
   entries connect every judge; spine loads stay within 1..2.
3. **Least-loaded greedy.** Every other pick is the least-loaded eligible judge from a heap
   keyed ``(load, hash, judge)``; among equally loaded candidates one from a different
   component of the judge graph is preferred while the graph is still disconnected (the
   search is capped at ``_MERGE_SCAN`` candidates and, after a miss, paused until the load
   level or the number of components changes, to keep picks cheap). Picking the ``k``
   least-loaded distinct judges keeps all loads within one of each other.
4. **Rebalance.** Conflicts can make the greedy leave a judge two or more above another;
   a local search then moves a pair ``(entry, heavy)`` to an eligible ``light`` judge while
   ``load[light] <= load[heavy] - 2`` (each move lowers the sum of squared loads, so it
   terminates).

Guarantees (tested): no conflicted pair is created; every entry gets
``min(k, unconflicted judges)`` distinct judges, counting kept ``existing`` ones; for every
newly created pair ``(entry, j)`` and every judge ``i`` that could replace ``j`` on that entry
(not conflicted, not already on it) ``load[i] >= load[j] - 1``, which without conflicts and
without ``existing`` means all loads are within one; without conflicts or ``existing`` and
with ``2 <= k`` and ``entries * (k - 1) >= judges - 1`` the judge graph is connected.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

_MERGE_SCAN = 64
"""How many equally loaded candidates to inspect when looking for a graph-merging judge."""

_HeapItem = tuple[int, int, int]
"""(load, tie-break hash, judge)."""


@dataclass(frozen=True)
class AssignmentResult:
    """``pairs``: judges per entry (sorted, kept ``existing`` ones included); ``loads``:
    entries per judge; ``unfilled``: how many judges each short entry lacks; ``problems``:
    codes ``"unfilled"``, ``"disconnected"`` (k >= 2 and the judge graph is not connected),
    ``"unbalanced"`` (loads differ by more than one), ``"existing_conflict"``."""

    pairs: dict[int, tuple[int, ...]]
    loads: dict[int, int]
    unfilled: dict[int, int]
    problems: list[str]


_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def _digest(seed: int | str) -> int:
    """64-bit key of the seed; ``repr`` keeps ``0`` and ``"0"`` apart."""
    return int.from_bytes(hashlib.blake2b(repr(seed).encode(), digest_size=8).digest(), "big")


def _mix(value: int) -> int:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a cheap, well-spread 64-bit hash.

    Used instead of a cryptographic hash per pick because it is called for every
    (judge, load) and (entry) key; keyed by ``_digest(seed)`` it is still seed-dependent.
    """
    value = (value + _GAMMA) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def _blocked(conflicts: Collection[tuple[int, int]]) -> AbstractSet[tuple[int, int]]:
    # Conflicts grow with entries x judges; a set passed in is used as is, not copied.
    return conflicts if isinstance(conflicts, AbstractSet) else frozenset(conflicts)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.count = 0

    def find(self, node: int) -> int:
        if node not in self.parent:
            self.parent[node] = node
            self.count += 1
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union_all(self, nodes: Sequence[int]) -> None:
        if not nodes:
            return
        first = self.find(nodes[0])
        for node in nodes[1:]:
            root = self.find(node)
            if root != first:
                self.parent[root] = first
                self.count -= 1


@dataclass
class _State:
    seed: int | str
    blocked: AbstractSet[tuple[int, int]]
    judges: list[int]
    fixed: dict[int, tuple[int, ...]]
    loads: dict[int, int]
    new: dict[int, list[int]] = field(default_factory=dict)
    graph: _UnionFind = field(default_factory=_UnionFind)
    salt: dict[int, int] = field(default_factory=dict)
    merge_miss: tuple[int, int] | None = None

    def key(self, judge: int) -> _HeapItem:
        # A fresh pseudo-random order of the judges at every load level.
        load = self.loads[judge]
        return (load, _mix((self.salt[judge] + load * _GAMMA) & _MASK), judge)

    def on_entry(self, entry: int) -> list[int]:
        return [*self.fixed.get(entry, ()), *self.new.get(entry, ())]

    def eligible(self, judge: int, entry: int, exclude: Collection[int]) -> bool:
        return judge not in exclude and (judge, entry) not in self.blocked


def _start(
    judges: Iterable[int],
    fixed: Mapping[int, tuple[int, ...]],
    blocked: AbstractSet[tuple[int, int]],
    seed: int | str,
) -> _State:
    judge_ids = sorted(set(judges))
    loads = dict.fromkeys(judge_ids, 0)
    state = _State(seed, blocked, judge_ids, dict(fixed), loads)
    key = _digest(seed)
    for judge in judge_ids:
        state.graph.find(judge)
        state.salt[judge] = _mix(key ^ _mix(judge & _MASK))
    for entry_judges in fixed.values():
        for judge in entry_judges:
            loads[judge] = loads.get(judge, 0) + 1
        state.graph.union_all(entry_judges)
    return state


def _entry_order(entries: Iterable[int], seed: int | str) -> list[int]:
    key = _mix(_digest(seed) ^ 0x5EED)
    return sorted(entries, key=lambda entry: (_mix(key ^ (entry & _MASK)), entry))


def assign(
    entries: Sequence[int],
    judges: Sequence[int],
    k: int,
    conflicts: Collection[tuple[int, int]],
    seed: int | str = 0,
    existing: Mapping[int, Collection[int]] | None = None,
) -> AssignmentResult:
    """Give each entry ``k`` distinct judges: balanced, conflict-free and calibratable.

    ``conflicts`` holds ``(judge, entry)`` pairs that must never be assigned. ``existing``
    judges are kept (and counted towards ``k`` and the loads); entries of ``existing`` that
    are not in ``entries`` are ignored. Entries that cannot get ``k`` judges are reported
    in ``unfilled`` instead of raising. Deterministic for a given seed and independent of
    input order. Algorithm and guarantees: see the module docstring — keyed-hash
    permutations (a stateless stand-in for a seeded Fisher–Yates shuffle, so the order of
    one level does not depend on how many draws came before), a spanning-chain "spine" for
    connectivity, least-loaded greedy on a heap, local-search rebalancing.
    """
    if k < 0:
        raise ValueError("k must not be negative")
    entry_ids = sorted(set(entries))
    fixed = _kept_existing(entry_ids, existing)
    state = _start(judges, fixed, _blocked(conflicts), seed)
    order = _entry_order(entry_ids, seed)
    heap = [state.key(judge) for judge in state.judges]
    heapq.heapify(heap)
    if not fixed and _spine_possible(len(entry_ids), len(state.judges), k):
        order, heap = _lay_spine(state, order, k, heap)
    for entry in order:
        _fill(state, heap, entry, k - len(fixed.get(entry, ())))
    _rebalance(state)
    return _result(state, entry_ids, k)


def _kept_existing(
    entry_ids: Sequence[int], existing: Mapping[int, Collection[int]] | None
) -> dict[int, tuple[int, ...]]:
    if not existing:
        return {}
    return {e: tuple(sorted(set(existing[e]))) for e in entry_ids if existing.get(e)}


def _spine_possible(entry_count: int, judge_count: int, k: int) -> bool:
    return k >= 2 and judge_count > 1 and entry_count * (k - 1) >= judge_count - 1


def _lay_spine(
    state: _State, order: list[int], k: int, outside: list[_HeapItem]
) -> tuple[list[int], list[_HeapItem]]:
    # ``connected`` holds judges already joined into one component, ``outside`` the rest.
    connected: list[_HeapItem] = []
    for index, entry in enumerate(order):
        if not outside:
            return order[index:], connected
        exclude: set[int] = set()
        old = _pop_eligible(state, connected, entry, exclude, min(1, k))
        new = _pop_eligible(state, outside, entry, exclude, k - len(old))
        rest = _pop_eligible(state, connected, entry, exclude, k - len(old) - len(new))
        _commit(state, connected, entry, [*old, *new, *rest])
    merged = connected + outside
    heapq.heapify(merged)
    return [], merged


def _fill(state: _State, heap: list[_HeapItem], entry: int, need: int) -> None:
    if need <= 0:
        return
    exclude = set(state.on_entry(entry))
    _commit(state, heap, entry, _pop_eligible(state, heap, entry, exclude, need, merge=True))


def _pop_eligible(
    state: _State,
    heap: list[_HeapItem],
    entry: int,
    exclude: set[int],
    need: int,
    merge: bool = False,
) -> list[int]:
    """Pop up to ``need`` least-loaded eligible judges; the caller re-pushes them."""
    chosen: list[int] = []
    skipped: list[_HeapItem] = []
    while heap and len(chosen) < need:
        item = heapq.heappop(heap)
        if not state.eligible(item[2], entry, exclude):
            skipped.append(item)
            continue
        if merge:
            item = _prefer_merging(state, heap, item, entry, exclude)
        chosen.append(item[2])
        exclude.add(item[2])
    for item in skipped:
        heapq.heappush(heap, item)
    return chosen


def _prefer_merging(
    state: _State, heap: list[_HeapItem], item: _HeapItem, entry: int, exclude: set[int]
) -> _HeapItem:
    # ``exclude`` holds exactly the judges already on this entry, kept and just picked.
    if state.graph.count <= 1 or not exclude:
        return item
    # After a fruitless scan, wait for the load level or the components to change: a
    # component that balance keeps out of reach (say, all its judges are busier) would
    # otherwise cost a full scan on every pick.
    if state.merge_miss == (item[0], state.graph.count):
        return item
    roots = {state.graph.find(judge) for judge in exclude}
    if state.graph.find(item[2]) not in roots:
        return item
    passed: list[_HeapItem] = []
    found = item
    while heap and heap[0][0] == item[0] and len(passed) < _MERGE_SCAN:
        other = heapq.heappop(heap)
        passed.append(other)
        if state.eligible(other[2], entry, exclude) and state.graph.find(other[2]) not in roots:
            found = other
            break
    for other in [*passed, item]:
        if other is not found:
            heapq.heappush(heap, other)
    if found is item:
        state.merge_miss = (item[0], state.graph.count)
    return found


def _commit(state: _State, heap: list[_HeapItem], entry: int, chosen: list[int]) -> None:
    for judge in chosen:
        state.loads[judge] += 1
        heapq.heappush(heap, state.key(judge))
    state.new.setdefault(entry, []).extend(chosen)
    if state.graph.count > 1:
        state.graph.union_all(state.on_entry(entry))


def _rebalance(state: _State) -> None:
    """Move new pairs from heavy to light judges until no move helps by two or more."""
    if not state.judges:
        return
    holders: dict[int, set[int]] = {}
    for entry, chosen in state.new.items():
        for judge in chosen:
            holders.setdefault(judge, set()).add(entry)
    while _rebalance_pass(state, holders):
        pass


def _rebalance_pass(state: _State, holders: dict[int, set[int]]) -> bool:
    loads = state.loads
    lowest = min(loads[j] for j in state.judges)
    heavy = [j for j in holders if loads[j] >= lowest + 2]
    moved = False
    for judge in sorted(heavy, key=lambda j: (-loads[j], state.key(j))):
        light = sorted((i for i in state.judges if loads[i] <= loads[judge] - 2), key=state.key)
        for entry in sorted(holders[judge]):
            target = _lighter_eligible(state, entry, judge, light)
            if target is not None:
                _move(state, holders, entry, judge, target)
                moved = True
    return moved


def _lighter_eligible(state: _State, entry: int, judge: int, light: list[int]) -> int | None:
    exclude = set(state.on_entry(entry))
    for candidate in light:
        lighter = state.loads[candidate] <= state.loads[judge] - 2
        if lighter and state.eligible(candidate, entry, exclude):
            return candidate
    return None


def _move(state: _State, holders: dict[int, set[int]], entry: int, judge: int, target: int) -> None:
    chosen = state.new[entry]
    chosen[chosen.index(judge)] = target
    holders[judge].discard(entry)
    holders.setdefault(target, set()).add(entry)
    state.loads[judge] -= 1
    state.loads[target] += 1


def _result(state: _State, entry_ids: Sequence[int], k: int) -> AssignmentResult:
    pairs = {e: tuple(sorted(state.on_entry(e))) for e in entry_ids}
    unfilled = {e: k - len(js) for e, js in pairs.items() if len(js) < k}
    problems = []
    if unfilled:
        problems.append("unfilled")
    if k >= 2 and not is_connected(pairs):
        problems.append("disconnected")
    counted = [state.loads[j] for j in state.judges]
    if counted and max(counted) - min(counted) > 1:
        problems.append("unbalanced")
    if any((j, e) in state.blocked for e, js in state.fixed.items() for j in js):
        problems.append("existing_conflict")
    return AssignmentResult(pairs, dict(sorted(state.loads.items())), unfilled, problems)


def replace_judge(
    result_pairs: Mapping[int, Collection[int]],
    leaving_judge: int,
    judges: Sequence[int],
    conflicts: Collection[tuple[int, int]],
    seed: int | str = 0,
) -> dict[int, tuple[int, ...]]:
    """Hand the leaving judge's entries to other judges; nothing else changes.

    Each affected entry (visited in keyed-hash order) gets the least-loaded judge from
    ``judges`` that is not conflicted and not already on it; the replacements are then
    rebalanced among themselves as in ``assign``, so for every replacement pair the same
    "no eligible judge is two lighter" guarantee holds. An entry with no eligible judge
    simply loses the leaving judge (its tuple gets shorter).
    """
    kept = {e: tuple(sorted(set(js) - {leaving_judge})) for e, js in result_pairs.items()}
    affected = [e for e, js in result_pairs.items() if leaving_judge in js]
    candidates = set(judges) - {leaving_judge}
    state = _start(candidates, kept, _blocked(conflicts), seed)
    heap = [state.key(judge) for judge in state.judges]
    heapq.heapify(heap)
    for entry in _entry_order(affected, seed):
        _fill(state, heap, entry, 1)
    _rebalance(state)
    return {e: tuple(sorted(state.on_entry(e))) for e in sorted(result_pairs)}


def is_connected(pairs: Mapping[int, Collection[int]]) -> bool:
    """Whether the judge co-occurrence graph (judges linked when they share an entry) is
    connected; judges with no entries are not part of it. True when there are no judges."""
    graph = _UnionFind()
    for entry_judges in pairs.values():
        judges = list(entry_judges)
        for judge in judges:
            graph.find(judge)
        graph.union_all(judges)
    return graph.count <= 1
