"""Records, before the package loads libhotjit.so, whether the interpreter had loaded libgcc_s:
that decides how the unwinder finds JIT eh-frames (README, "Embedding from C")."""


def _libgcc_s_loaded():
    with open("/proc/self/maps") as maps:
        return "libgcc_s" in maps.read()


LIBGCC_S_LOADED_BEFORE_HOTJIT = _libgcc_s_loaded()
