/* LD_PRELOAD into cage for tests/ui/test_cage.py: the size of wlroots' headless outputs.
 *
 * wlroots 0.15 (Debian 12) makes every headless output 1280x720 and cage 0.1.4 offers no
 * output management (wlr-randr cannot change it), so this replaces the two numbers that
 * wlroots passes to its own wlr_headless_add_output() (called through the PLT, so the
 * preloaded symbol wins) by KIOSK_HEADLESS_SIZE ("WIDTHxHEIGHT"). Nothing else changes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

struct wlr_backend;
struct wlr_output;
typedef struct wlr_output *(*add_output_fn)(struct wlr_backend *, unsigned int, unsigned int);

struct wlr_output *wlr_headless_add_output(struct wlr_backend *backend, unsigned int width,
                                           unsigned int height) {
    add_output_fn real = (add_output_fn)dlsym(RTLD_NEXT, "wlr_headless_add_output");
    const char *size = getenv("KIOSK_HEADLESS_SIZE");
    unsigned int w, h;
    if (size != NULL && sscanf(size, "%ux%u", &w, &h) == 2) {
        width = w;
        height = h;
    }
    return real(backend, width, height);
}
