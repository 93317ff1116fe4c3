// Imported by render-chart.ts before @resvg/resvg-js, so it runs before resvg's native library is loaded.
// resvg-js allocates each picture's pixels (2.5 MB at 1.25x) through its own mimalloc, which by default hands memory
// freed for 10 ms back to the system; the next picture then takes every page afresh, and on this project's virtual
// machines a page fault is dear (and, with chart threads, makes the kernel flush the other threads' page tables):
// measured, 1,500-2,000 faults a picture were half its time. With purging off, freed pixels are reused as they are;
// the process's peak is the same, only no longer given back (a few pictures' worth, the threads collect often).
// mimalloc reads its options once, when the library loads: set here, from the main thread (a worker's process.env
// is a copy that the native library never sees), unless the operator set it.
if (process.env.MIMALLOC_PURGE_DELAY === undefined) process.env.MIMALLOC_PURGE_DELAY = "-1";
