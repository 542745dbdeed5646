import threading

import hotjit

SQUARE = "define i32 @f(i32 %x) {\n  %r = mul i32 %x, %x\n  ret i32 %r\n}\n"
CUBE = "define i32 @f(i32 %x) {\n  %s = mul i32 %x, %x\n  %r = mul i32 %s, %x\n  ret i32 %r\n}\n"

with hotjit.Engine(opt_level=2) as engine:
    engine.add("math", ir=SQUARE)
    f = engine.function("f")  # int32 (int32), from the IR type; pinned for each call
    print("f(3) =", f(3))

    # Threads keep calling f while the module is replaced under them.
    stop = threading.Event()
    def caller():
        while not stop.is_set():
            assert f(3) in (9, 27)
    threads = [threading.Thread(target=caller) for _ in range(4)]
    for t in threads:
        t.start()
    with engine.batch() as batch:  # commits when the block ends
        batch.replace("math", ir=CUBE)
    stop.set()
    for t in threads:
        t.join()
    print("f(3) =", f(3))

    try:
        engine.add("broken", ir="define i32 @g( {")
    except hotjit.HotjitError as e:  # nothing changed
        print(e.kind.name, "error:", e.message)
    engine.wait_for_reclamation()
    print("versions freed:", engine.stats()["versions_freed"])
