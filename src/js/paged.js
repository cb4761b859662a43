// PagedList: the one paged iterator every list method of every provider client returns. The
// paging decisions (next page, end of the run, repeated pages, max items, cursors) are the
// core's (src/core/paging/); this class only turns its pages into JS iteration protocols.

import { OAuthEdgeError } from "./error.js";

const aborted = (signal) =>
  new OAuthEdgeError("ABORTED", "the operation was aborted by its AbortSignal", { cause: signal.reason });

/** One page as the core hands it over (its records as JS values: src/js/records.rs). */
export function pageResult(items, page, total, fetched, cursor) {
  return { items, page, total: total ?? undefined, fetched, cursor: cursor ?? null };
}

export class PagedList {
  #next;
  #signal;
  #onProgress;
  #cursor;
  #started = false;

  /** @param next () => Promise<Page | null>, the core's next page (null: the run is over). */
  constructor(next, startCursor, signal, onProgress) {
    this.#next = next;
    this.#cursor = startCursor ?? null;
    this.#signal = signal ?? undefined;
    this.#onProgress = onProgress ?? undefined;
  }

  /**
   * Where to resume: the cursor after the last page delivered (null once the run completed).
   * Pass it as the `cursor` option of the same list method to continue a run that failed.
   */
  get cursor() {
    return this.#cursor;
  }

  /** The pages, one request each. A list can be iterated once: call the method again for another run. */
  async *pages() {
    if (this.#started) {
      throw new OAuthEdgeError("INVALID_ARGUMENT", "a paged list can be iterated once; call the list method again (with `cursor` to resume)");
    }
    this.#started = true;
    const signal = this.#signal;
    for (;;) {
      if (signal?.aborted) throw aborted(signal);
      const page = await (signal ? untilAborted(this.#next(), signal) : this.#next());
      if (page === null) return;
      this.#cursor = page.cursor;
      // The empty page that ends a run without paging metadata is not a page of results.
      if (page.items.length === 0 && page.cursor === null && page.page > 1) return;
      if (this.#onProgress) {
        try {
          this.#onProgress({ page: page.page, fetched: page.fetched, total: page.total });
        } catch {
          // A throwing progress callback must not break the run.
        }
      }
      yield page;
      if (page.cursor === null) return;
    }
  }

  async *[Symbol.asyncIterator]() {
    const signal = this.#signal;
    for await (const page of this.pages()) {
      for (const item of page.items) {
        if (signal?.aborted) throw aborted(signal);
        yield item;
      }
    }
  }

  /** Every item of every page, in order. */
  async toArray() {
    const out = [];
    for await (const page of this.pages()) for (const item of page.items) out.push(item);
    return out;
  }
}

/** `promise`, or an ABORTED rejection as soon as `signal` fires (the page in flight is dropped). */
function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** new PagedList(...) for Rust, which cannot call a JS constructor of a snippet directly. */
export function pagedList(next, startCursor, signal, onProgress) {
  return new PagedList(next, startCursor, signal, onProgress);
}
