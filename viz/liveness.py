"""How many sessions and models the app's server holds: the figure behind "a closed session frees its memory".

Every `viz.session.Session` and every `LabourMarketModel` a session builds, and every workshop room
(`viz.room.state.Room`) with its two models, is registered here in a weak set, which holds no reference: an
object counts as long as something else keeps it alive. `counts()` first collects garbage, so what it reports is
what is really reachable.

With PLM_APP_DIAGNOSTICS=1 in its environment (the memory tests, `benchmarks/app_memory.py` and
`benchmarks/room_load.py` set it), the app's server answers GET /_plm/live with these counts, the number of Solara
kernels (one per open browser tab), its resident memory, where that memory is (`heap`) and whether the
server's warm-up (`viz.warmup`) is done, as JSON;
/_plm/live?why=sessions (or rooms, or models) adds what keeps the first live one reachable (`roots`), the
diagnostic that found issue 11's leak. Without it the route does not exist.
"""

from __future__ import annotations

import gc
import os
import weakref
from typing import Any

_LIVE: dict[str, weakref.WeakSet] = {kind: weakref.WeakSet() for kind in ("sessions", "rooms", "models")}
ROUTE = "/_plm/live"


def track(kind: str, obj: Any) -> None:
    """Count `obj` as a live `kind` ("sessions", "rooms" or "models") for as long as it is reachable."""
    _LIVE[kind].add(obj)


def counts(collect: bool = True) -> dict[str, int]:
    """{"sessions": n, "rooms": r, "models": m} now reachable (after a full garbage collection unless `collect`
    is False)."""
    if collect:
        gc.collect()
    return {kind: len(objs) for kind, objs in _LIVE.items()}


def release() -> None:
    """After a session or a room closed (or a page's kernel was culled): collect its cycles now (a model's agents
    refer to the model) and ask the C allocator to give free memory back to the system (glibc's malloc_trim, which
    trims every arena; a no-op elsewhere), so that the server's resident memory falls, not only its live
    objects."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def heap() -> dict[str, int]:
    """Where the process's memory is, to tell "still referenced" from "freed but not returned to the system":
    the interpreter's allocated blocks (`sys.getallocatedblocks`) and gc-tracked objects, and glibc's heap
    (`mallinfo2`, summed over every arena): bytes in use, bytes free but kept, and bytes in mmapped chunks.
    Python's own small-object arenas are mmapped directly and are in none of the malloc figures."""
    import sys

    out = {"python_blocks": sys.getallocatedblocks(), "gc_objects": len(gc.get_objects())}
    try:
        import ctypes

        class MallInfo2(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                             "usmblks", "fsmblks", "uordblks", "fordblks",
                                                             "keepcost")]

        fn = ctypes.CDLL("libc.so.6").mallinfo2
        fn.restype = MallInfo2
        m = fn()
        out.update({"malloc_in_use_bytes": m.uordblks, "malloc_free_bytes": m.fordblks,
                    "malloc_mmap_bytes": m.hblkhd})
    except (OSError, AttributeError):
        pass
    return out


def rss_bytes() -> int:
    """The process's resident memory now (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def wait_warm(url: str, timeout: float = 900.0) -> str:
    """Wait until the server at `url` (started with PLM_APP_DIAGNOSTICS=1) has finished its warm-up
    (`viz.warmup`, which holds a small room and session for a few seconds after start); returns its final state.
    The memory tests and benchmarks count from there."""
    import json
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url.rstrip("/") + ROUTE, timeout=120) as resp:
            state = json.loads(resp.read().decode()).get("warmup", "off")
        if state not in ("pending", "running"):
            return state
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server's warm-up did not end within {timeout:.0f} s")
        time.sleep(0.5)


def enabled() -> bool:
    return os.environ.get("PLM_APP_DIAGNOSTICS", "") == "1"


def install_route() -> None:
    """Add GET /_plm/live to the running Solara server (only with PLM_APP_DIAGNOSTICS=1)."""
    if not enabled():
        return
    from solara.server import kernel_context
    from solara.server import starlette as server
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from viz import warmup

    async def live(request):
        data = counts()
        data["kernels"] = len(kernel_context.contexts)
        data["rss_bytes"] = rss_bytes()
        data["warmup"] = warmup.state()
        data.update(heap())
        if request.query_params.get("why") in _LIVE:
            data["why"] = roots(request.query_params["why"])
        return JSONResponse(data)

    routes = server.app.router.routes
    if not any(getattr(r, "path", None) == ROUTE for r in routes):
        routes.insert(0, Route(ROUTE, endpoint=live))


def roots(kind: str = "sessions", depth: int = 25, limit: int = 20000) -> list[str]:
    """Breadth-first over referrers from the first live `kind` to the objects that keep it: every path that ends
    at a module's dict, a frame or an object that nothing on the Python heap refers to (a C-level root such as
    a thread's state)."""
    import sys
    import types
    from collections import deque

    gc.collect()
    objs = list(_LIVE[kind])
    if not objs:
        return []
    start = objs[0]
    del objs
    me = sys._getframe()
    parent: dict[int, tuple[int, Any]] = {id(start): (0, None)}
    keep = {id(start): start}
    queue = deque([(start, 0)])
    ends = []
    ignore = {id(me), id(queue), id(parent), id(keep), id(_LIVE[kind].data)}

    def desc(o: Any) -> str:
        d = type(o).__qualname__
        if isinstance(o, dict):
            d += " keys=" + ",".join(str(k)[:30] for k in list(o)[:6])
        elif isinstance(o, types.FrameType):
            d += f" {o.f_code.co_filename.split('site-packages/')[-1]}:{o.f_lineno} {o.f_code.co_name}"
        elif isinstance(o, types.FunctionType):
            d += f" {o.__module__}.{o.__qualname__}"
        elif isinstance(o, (list, tuple)):
            d += f" len={len(o)} of " + ",".join(type(x).__qualname__ for x in list(o)[:4])
        return d

    def path(o: Any) -> str:
        out = []
        while o is not None:
            out.append(desc(o))
            o = parent[id(o)][1]
        return " <- ".join(reversed(out))

    while queue and len(parent) < limit:
        obj, d = queue.popleft()
        if d >= depth:
            continue
        refs = [r for r in gc.get_referrers(obj) if id(r) not in ignore and r is not queue]
        if not refs or isinstance(obj, types.FrameType) or (isinstance(obj, dict) and "__name__" in obj
                                                            and "__builtins__" in obj):
            ends.append(path(obj))
            if len(ends) >= 12:
                break
            continue
        for r in refs:
            if id(r) not in parent:
                parent[id(r)] = (d + 1, obj)
                keep[id(r)] = r
                queue.append((r, d + 1))
    return ends
