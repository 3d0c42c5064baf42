/*
 * Scalar quarantine: keeps the last 65 536 at::Scalar objects that TorchSharp releases alive a
 * little longer before really deleting them.
 *
 * Why: TorchSharp 0.107 turns every float or double argument of a tensor operation (`x * 2f`,
 * `clamp(0, 1)`, Adam's `mul_(beta1)`) into a Scalar object that only the garbage collector
 * releases. The object is unreachable as soon as its native handle has been read, so a GC that
 * another thread triggers can run its finaliser while the native operation is still about to read
 * the scalar: libtorch then sees freed memory ("Unknown scalar type", "Expected false to be true",
 * or a wrong number). Upstream: dotnet/TorchSharp pull requests #1434 and #1496.
 *
 * This library is what TorchSharp's P/Invokes to "LibTorchSharp" bind to (TorchRuntime installs
 * the resolver). It needs libLibTorchSharp.so, so every other symbol resolves there; only
 * THSTorch_dispose_scalar is ours. A released scalar waits in a ring until 65 536 later releases
 * have pushed it out, long after any operation that could still read it has returned. The cost is
 * at most 65 536 small objects (about 3 MB) held back.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define CAPACITY 65536

static void *ring[CAPACITY];
static size_t next_slot;
static uint64_t released;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*really_dispose)(void *);

__attribute__((constructor)) static void find_libtorchsharp_dispose(void)
{
    /* The next definition after ours in this library's lookup scope: libLibTorchSharp.so's. */
    really_dispose = (void (*)(void *))dlsym(RTLD_NEXT, "THSTorch_dispose_scalar");
}

__attribute__((visibility("default"))) void THSTorch_dispose_scalar(void *scalar)
{
    pthread_mutex_lock(&ring_lock);
    void *oldest = ring[next_slot];
    ring[next_slot] = scalar;
    next_slot = (next_slot + 1) % CAPACITY;
    released++;
    pthread_mutex_unlock(&ring_lock);
    /* Without libLibTorchSharp's function we leak the scalar rather than guess how to free it. */
    if (oldest != NULL && really_dispose != NULL) really_dispose(oldest);
}

/* How many scalars have passed through the quarantine: lets TorchRuntime prove it is in use. */
__attribute__((visibility("default"))) uint64_t StyleLab_ScalarQuarantine_Released(void)
{
    pthread_mutex_lock(&ring_lock);
    uint64_t count = released;
    pthread_mutex_unlock(&ring_lock);
    return count;
}

/* Whether libLibTorchSharp's own release function was found (else quarantined scalars leak). */
__attribute__((visibility("default"))) int StyleLab_ScalarQuarantine_Forwards(void)
{
    return really_dispose != NULL;
}
