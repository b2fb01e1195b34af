import { useState } from 'react';

/**
 * Pages over the API's opaque cursors, which only go forward: the cursors of the pages before
 * this one are kept so that "Previous page" can go back.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors.at(-1),
    number: cursors.length,
    previous: () => setCursors((list) => list.slice(0, -1)),
    next: (cursor: string | undefined) => setCursors((list) => [...list, cursor]),
    reset: () => setCursors([undefined]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous and next buttons for a paged list, and the page's number. */
export function Pager({ label, pages, nextCursor }: { label: string; pages: CursorPages; nextCursor: string | undefined }) {
  return (
    <nav aria-label={label} className="pager">
      <button type="button" disabled={pages.number === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span>Page {pages.number}</span>
      <button type="button" disabled={nextCursor === undefined} onClick={() => pages.next(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}
