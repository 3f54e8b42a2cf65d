/**
 * Keeps a long batch's resident memory flat. Native buffers (ONNX Runtime's outputs and arenas in the frame
 * workers, libvips' decodes on libuv's threads, V8's array buffers) are allocated and freed by many threads;
 * glibc's malloc gives threads arenas of their own (up to 8 per core) and keeps what they free for reuse by the
 * same arena, so a batch of 10,000 images grew by about 70 MB of freed but retained memory (docs/speed.md,
 * "Flat memory"). Two arenas, and giving freed pages back to the system after each input, keep it flat.
 * Linux with glibc only: elsewhere both are no-ops.
 */
import type * as Koffi from 'koffi' with { 'resolution-mode': 'require' };

/** glibc's mallopt parameter for the most arenas (malloc.h). */
const M_ARENA_MAX = -8;
/** Arenas allowed: the main thread's and one shared by every other thread. */
const ARENAS = 2;

interface Glibc {
  mallopt: (parameter: number, value: number) => number;
  mallocTrim: (pad: number) => number;
}

let glibc: Glibc | null | undefined;

/**
 * glibc's allocator functions, or null on another C library or platform (or when koffi cannot load). glibc is told
 * apart by its own version function (musl has no libc.so.6, or no gnu_get_libc_version), not by Node's diagnostic
 * report, which can stall for seconds listing network interfaces on some systems.
 */
function glibcAllocator(): Glibc | null {
  if (glibc !== undefined) return glibc;
  glibc = null;
  if (process.platform !== 'linux') return glibc;
  try {
    // koffi's package is "type": "module" with a CommonJS build, which TypeScript (Node16) will not import statically.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof Koffi;
    const libc = koffi.load('libc.so.6');
    libc.func('const char *gnu_get_libc_version()');
    glibc = { mallopt: libc.func('int mallopt(int param, int value)'), mallocTrim: libc.func('int malloc_trim(size_t pad)') };
  } catch {
    glibc = null;
  }
  return glibc;
}

/**
 * Caps malloc's arenas for threads started from now on (worker threads, ONNX Runtime's, libuv's). Call it early,
 * before the worker threads start: glibc fixes its limit once it has made more than 8 arenas.
 */
export function limitMallocArenas(): void {
  try {
    glibcAllocator()?.mallopt(M_ARENA_MAX, ARENAS);
  } catch {
    // Best effort, like the trimming: the analysis runs the same with glibc's own limit.
  }
}

/** Gives the pages malloc holds free, in every arena, back to the system. */
export function releaseFreedMemory(): void {
  try {
    glibcAllocator()?.mallocTrim(0);
  } catch {
    // Best effort: a finished analysis must not fail for memory it could not give back.
  }
}
